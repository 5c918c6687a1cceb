/**
 * `npm run start:replicas`: the production shape on this machine.
 *
 *   nginx :4000                    -> gateway :4100, :4200
 *   nginx :4001 .. :4005           -> accounts :4101, :4201 ... payments :4105, :4205
 *   metrics ports                  -> 9000-9005 + 100 per replica (9100.., 9200..)
 *
 * Needs DATABASE_URL and REDIS_URL or REDIS_CLUSTER_NODES (the in-process stand-ins of `npm start`
 * serve one replica only) and nginx (NGINX_BIN, default /usr/sbin/nginx).
 * Any process that exits is started again, so a rolling restart is a SIGTERM
 * to one process at a time; Ctrl-C stops everything.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startReplicaTopology } from './replica-topology.ts';
import { GATEWAY_SPEC, ROOT, SUBGRAPH_SPECS } from './services.ts';

const log = (message: string) => process.stdout.write(`[replicas] ${message}\n`);
const env = process.env;
const started = Date.now();
const example = '(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379)';
if (!env.DATABASE_URL || !(env.REDIS_URL || env.REDIS_CLUSTER_NODES)) {
  log(`${env.DATABASE_URL ? 'REDIS_URL (or REDIS_CLUSTER_NODES)' : 'DATABASE_URL'} is required: replicas share PostgreSQL and Redis ${example}`);
  process.exit(1);
}
const replicas = Number(env.REPLICAS ?? 2);
const basePorts = new Map([...SUBGRAPH_SPECS, GATEWAY_SPEC].map((spec) => [spec.name, spec]));
const prefix = resolve(ROOT, env.DATA_DIR ?? '.data', 'replicas-nginx');
mkdirSync(prefix, { recursive: true });

const topology = await startReplicaTopology({
  env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn', SEED_DEMO_DATA: env.SEED_DEMO_DATA ?? 'true' },
  replicas,
  prefix,
  log,
  ports: {
    balancer: (service) => (service === GATEWAY_SPEC.name ? Number(env.PORT ?? GATEWAY_SPEC.port) : basePorts.get(service)!.port),
    replica: (service, index) => {
      const base = basePorts.get(service)!;
      return { port: base.port + 100 * (index + 1), metricsPort: base.metricsPort + 100 * (index + 1) };
    },
  },
}).catch((error: Error) => {
  log(`failed to start: ${error.message}`);
  process.exit(1);
});

let stopping = false;
const stopAll = () => {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  void topology.stop().then(() => {
    log('stopped');
    process.exit(0);
  });
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  GraphQL endpoint: ${topology.url} (nginx, config in ${prefix}/nginx.conf)
${[...SUBGRAPH_SPECS, GATEWAY_SPEC]
  .map((spec) => `  ${spec.name.padEnd(10)} ${topology.replicasOf(spec.name).map((p) => `pid ${p.pid} :${p.spec.port}`).join(', ')}`)
  .join('\n')}
  Rolling restart: kill -TERM one pid at a time (the launcher starts a replacement). Ctrl-C stops everything.`);
