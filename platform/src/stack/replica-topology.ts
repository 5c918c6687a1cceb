import { GATEWAY_SERVICE } from '../identity.ts';
import { generateServiceIdentityEnv } from '../config.ts';
import { startLoadBalancer, type BalancedService, type LoadBalancer } from './load-balancer.ts';
import { GATEWAY_SPEC, SUBGRAPH_SPECS, type ServiceSpec } from './services.ts';
import { SupervisedProcess } from './supervisor.ts';

/** Where each piece of the topology listens. */
export interface TopologyPorts {
  /** nginx's port for a service: the public endpoint for the gateway, an internal balancer for a subgraph. */
  balancer(service: string): number;
  /** The port of replica `index` (0-based) of a service, and its metrics port. */
  replica(service: string, index: number): { port: number; metricsPort: number };
}

export interface ReplicaTopologyOptions {
  /** Environment of every process: DATABASE_URL and REDIS_URL at least. */
  env: NodeJS.ProcessEnv;
  /** Extra environment per service (e.g. its database schema in tests). */
  serviceEnv?: Record<string, NodeJS.ProcessEnv>;
  /** Processes per service (2 by default). */
  replicas?: number;
  ports: TopologyPorts;
  /** Directory for nginx's config, pid and logs. */
  prefix: string;
  host?: string;
  log: (message: string) => void;
  stdio?: 'inherit' | 'pipe';
}

export interface ReplicaTopology {
  /** The public GraphQL endpoint (nginx in front of the gateways). */
  url: string;
  /** Every process, subgraph replicas first, then the gateways. */
  processes: readonly SupervisedProcess[];
  replicasOf(service: string): readonly SupervisedProcess[];
  balancer: LoadBalancer;
  /** Sends `signal` to one process and resolves once its replacement is ready (a rolling-restart step or a crash). */
  restart(process: SupervisedProcess, signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The production shape on one machine: nginx in front of `replicas` gateways
 * on the public port, and in front of `replicas` processes of every subgraph
 * on each subgraph's own port; every process (the gateways, and orders when
 * it calls inventory, payments and products) reaches a subgraph through its
 * balancer. Every process is supervised: one that exits is started again.
 */
export async function startReplicaTopology(options: ReplicaTopologyOptions): Promise<ReplicaTopology> {
  const host = options.host ?? '127.0.0.1';
  const count = options.replicas ?? 2;
  const identityEnv = await generateServiceIdentityEnv();
  const env: NodeJS.ProcessEnv = { ...options.env, ...identityEnv.shared, APOLLO_TELEMETRY_DISABLED: 'true' };
  delete env.PORT;
  delete env.METRICS_PORT;
  for (const spec of SUBGRAPH_SPECS) env[`${spec.name.toUpperCase()}_URL`] = `http://${host}:${options.ports.balancer(spec.name)}/graphql`;

  const replicas = new Map<string, SupervisedProcess[]>();
  const balanced: BalancedService[] = [];
  for (const spec of [...SUBGRAPH_SPECS, GATEWAY_SPEC]) {
    const own = identityEnv.own[spec.name === GATEWAY_SPEC.name ? GATEWAY_SERVICE : spec.name];
    const processes = Array.from({ length: count }, (_, index) => {
      const replica: ServiceSpec = { ...spec, ...options.ports.replica(spec.name, index) };
      return new SupervisedProcess(replica, { ...env, ...own, ...options.serviceEnv?.[spec.name] }, options.log, { stdio: options.stdio });
    });
    replicas.set(spec.name, processes);
    balanced.push({ name: spec.name, listen: `${host}:${options.ports.balancer(spec.name)}`, servers: processes.map((p) => `${host}:${p.spec.port}`) });
  }
  const subgraphs = SUBGRAPH_SPECS.flatMap((spec) => replicas.get(spec.name)!);
  const gateways = replicas.get(GATEWAY_SPEC.name)!;
  const processes = [...subgraphs, ...gateways];

  const balancer = await startLoadBalancer(balanced, options.prefix);
  const stop = async () => {
    await Promise.all(gateways.map((p) => p.stop()));
    await Promise.all(subgraphs.map((p) => p.stop()));
    await balancer.stop();
  };
  try {
    // The first replica of each subgraph migrates and seeds; the others start once that is done.
    const first = SUBGRAPH_SPECS.map((spec) => replicas.get(spec.name)![0]!);
    const rest = subgraphs.filter((p) => !first.includes(p));
    for (const group of [first, rest, gateways]) {
      for (const p of group) p.start();
      await Promise.all(group.map((p) => p.waitUntilReady(180_000)));
    }
  } catch (error) {
    await stop();
    const output = options.stdio === 'pipe' ? processes.map((p) => `--- ${p.name} :${p.spec.port}\n${p.output.slice(-2000)}`).join('\n') : '';
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    url: `http://${host}:${options.ports.balancer(GATEWAY_SPEC.name)}/graphql`,
    processes,
    replicasOf: (service) => replicas.get(service) ?? [],
    balancer,
    async restart(process, signal = 'SIGTERM', timeoutMs = 120_000) {
      const generation = process.generation;
      process.signal(signal);
      await process.waitForNewProcess(generation, timeoutMs);
    },
    stop,
  };
}
