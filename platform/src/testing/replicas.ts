import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplicaTopology, type ReplicaTopology } from '../stack/replica-topology.ts';
import { GATEWAY_SPEC, SUBGRAPH_SPECS } from '../stack/services.ts';
import { dropSchema, uniqueSchemaName } from './database.ts';
import { claimRedisDatabase, freePort, testStackEnv } from './processes.ts';

export interface TestReplicas {
  topology: ReplicaTopology;
  /** The public endpoint: nginx in front of the gateways. */
  url: string;
  /** The PostgreSQL schema of each subgraph (shared by its replicas). */
  schemas: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The `npm run start:replicas` topology on free ports, against the test
 * PostgreSQL (a fresh schema per service) and a fresh Redis database, with
 * the demo data seeded. Children's output is kept, not printed.
 */
export async function startTestReplicas(extraEnv: NodeJS.ProcessEnv = {}, replicas = 2): Promise<TestReplicas> {
  const schemas = Object.fromEntries(SUBGRAPH_SPECS.map((spec) => [spec.name, uniqueSchemaName(spec.name)]));
  const balancerPorts = new Map<string, number>();
  const replicaPorts = new Map<string, { port: number; metricsPort: number }>();
  for (const spec of [...SUBGRAPH_SPECS, GATEWAY_SPEC]) {
    balancerPorts.set(spec.name, await freePort());
    for (let i = 0; i < replicas; i++) replicaPorts.set(`${spec.name}/${i}`, { port: await freePort(), metricsPort: await freePort() });
  }
  const prefix = mkdtempSync(join(tmpdir(), 'shop-replicas-'));
  const redisClaim = await claimRedisDatabase();
  const topology = await startReplicaTopology({
    env: await testStackEnv(extraEnv, redisClaim.url),
    serviceEnv: Object.fromEntries(SUBGRAPH_SPECS.map((spec) => [spec.name, { [`${spec.name.toUpperCase()}_DATABASE_SCHEMA`]: schemas[spec.name] }])),
    replicas,
    prefix,
    stdio: 'pipe',
    log: () => {},
    ports: { balancer: (service) => balancerPorts.get(service)!, replica: (service, index) => replicaPorts.get(`${service}/${index}`)! },
  });
  return {
    topology,
    url: topology.url,
    schemas,
    async stop() {
      await topology.stop();
      await Promise.all(Object.values(schemas).map((schema) => dropSchema(schema)));
      rmSync(prefix, { recursive: true, force: true });
      await redisClaim.release();
    },
  };
}
