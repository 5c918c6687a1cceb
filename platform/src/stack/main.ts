/**
 * `npm start`: the whole stack on one machine.
 *
 * - With DATABASE_URL unset, an embedded PostgreSQL (PGlite over the wire
 *   protocol) keeps its data in .data/pglite between runs; with it set, that
 *   server is used (each service in its own schema).
 * - With REDIS_URL unset, services use in-process stand-ins for the Redis
 *   features (single replica only); with it set, the real server.
 * - Starts the five subgraphs (migrations applied, demo data seeded on first
 *   start), then the gateway; prints the endpoint and the demo logins; stops
 *   every child on Ctrl-C.
 */
import { resolve } from 'node:path';
import { GATEWAY_SERVICE } from '../identity.ts';
import { generateServiceIdentityEnv } from '../config.ts';
import { DEMO_PASSWORD, loadDemoData } from '../demo.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { GATEWAY_SPEC, ROOT, SUBGRAPH_SPECS } from './services.ts';
import { SupervisedProcess } from './supervisor.ts';

const log = (message: string) => process.stdout.write(`[stack] ${message}\n`);
const started = Date.now();
const env = process.env;
const POOL_PER_SERVICE = 4;

let embedded: EmbeddedPostgres | undefined;
let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  const dataDir = resolve(ROOT, env.DATA_DIR ?? '.data', 'pglite');
  log(`DATABASE_URL not set: starting embedded PostgreSQL (PGlite) with data in ${dataDir}`);
  embedded = await startEmbeddedPostgres({
    dataDir,
    port: Number(env.EMBEDDED_POSTGRES_PORT ?? 5499),
    // Each service pool plus one migration-lock connection per service.
    maxConnections: SUBGRAPH_SPECS.length * (POOL_PER_SERVICE + 2),
  });
  databaseUrl = embedded.url;
  if (embedded.recovered) log('the embedded PostgreSQL was not stopped cleanly last time (killed?): recovered its data from the write-ahead log');
}
if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES) log('REDIS_URL not set: using in-process stand-ins for cache, rate limits and pub/sub (one replica per service)');

// A key pair per signing service, new on every run; each private key goes to its own process only.
const identityEnv = await generateServiceIdentityEnv();
const childEnv: NodeJS.ProcessEnv = {
  ...env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  SEED_DEMO_DATA: env.SEED_DEMO_DATA ?? 'true',
  ...identityEnv.shared,
  APOLLO_TELEMETRY_DISABLED: 'true',
  ...(embedded ? { DATABASE_POOL_SIZE: String(POOL_PER_SERVICE) } : {}),
};
// Child processes get their own PORT; a PORT given to `npm start` is the gateway's.
const gatewaySpec = { ...GATEWAY_SPEC, port: Number(env.PORT ?? GATEWAY_SPEC.port) };
for (const spec of SUBGRAPH_SPECS) delete childEnv[`${spec.name.toUpperCase()}_PORT`];
delete childEnv.PORT;
// Each child has its own metrics port: 9000 gateway, 9001-9005 subgraphs (see services.ts).
delete childEnv.METRICS_PORT;

const subgraphs = SUBGRAPH_SPECS.map((spec) => new SupervisedProcess(spec, { ...childEnv, ...identityEnv.own[spec.name] }, log));
const gateway = new SupervisedProcess(gatewaySpec, { ...childEnv, ...identityEnv.own[GATEWAY_SERVICE] }, log);
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  log('stopping...');
  await gateway.stop();
  await Promise.all(subgraphs.map((s) => s.stop()));
  await embedded?.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  for (const subgraph of subgraphs) subgraph.start();
  await Promise.all(subgraphs.map((s) => s.waitUntilReady(120_000)));
  gateway.start();
  await gateway.waitUntilReady(60_000);
} catch (error) {
  log(`failed to start: ${(error as Error).message}`);
  await stopAll(1);
}

const demo = loadDemoData();
const logins = ['admin@demo.shop', 'seller@demo.shop', 'customer@demo.shop']
  .map((email) => `    ${email.padEnd(22)} ${demo.users.find((u) => u.email === email)?.role ?? ''}`)
  .join('\n');
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  GraphQL endpoint: http://localhost:${gatewaySpec.port}/graphql
  Subgraphs:        ${SUBGRAPH_SPECS.map((s) => `${s.name} :${s.port}`).join(', ')}
  Metrics:          ${[gatewaySpec, ...SUBGRAPH_SPECS].map((s) => `${s.name} :${s.metricsPort}`).join(', ')} (/metrics, /health, /ready)
  Demo logins (password "${DEMO_PASSWORD}"):
${logins}
  Press Ctrl-C to stop.`);
