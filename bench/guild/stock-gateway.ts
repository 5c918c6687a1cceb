/**
 * The baseline: stock @apollo/gateway on @apollo/server (the versions this
 * repository pins), configured as the Guild's benchmark configures it
 * (`gateways/apollo-gateway`): the supergraph SDL, defaults for everything
 * else, one process.
 *
 *   SUPERGRAPH_PATH=... PORT=4100 node bench/guild/stock-gateway.ts
 */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway } from '@apollo/gateway';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4100), host: '127.0.0.1' } });
console.log(`stock gateway ready at ${url}`);
