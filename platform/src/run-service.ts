import cluster from 'node:cluster';
import { answerOpsRequests, runClusterPrimary } from './cluster.ts';
import type { LogLevel } from './config.ts';
import type { ReadinessCheck } from './http.ts';
import { runUntilSignal, startOrExit } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';
import { startRuntimeMetrics } from './metrics.ts';
import { createOpsServer } from './ops-server.ts';
import { stopTracing } from './telemetry/tracing.ts';

/** What `runService` needs from a process's config: where it listens, where operators look, and what it logs. */
export interface ProcessConfig {
  readonly port: number;
  readonly host: string;
  /** The metrics port: /metrics, /health and /ready (METRICS_PORT; 9000 gateway, 9001-9005 subgraphs). */
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  /** Processes serving the public port (node:cluster, see cluster.ts); 1 or absent: this process serves it alone. */
  readonly workers?: number;
}

/** A built server that has not listened yet (Apollo on node:http, or Fastify). */
export interface ListeningServer {
  /** Resolves with the port, or the address Fastify reports. */
  listen(port: number, host: string): Promise<number | string>;
  /** Stops accepting requests and lets in-flight ones finish. */
  close(): Promise<void>;
  /** What /ready on the metrics port checks. */
  readonly readiness: readonly ReadinessCheck[];
}

/** What a process's `start` receives: its config, its logger, and a place to register what to stop on SIGTERM. */
export interface ServiceRuntime<TConfig> {
  readonly name: string;
  readonly config: TConfig;
  readonly logger: Logger;
  /** Registers a stop step; steps run after the server has closed, the last registered first. */
  onStop(stop: () => Promise<void> | void): void;
}

export interface ServiceDefinition<TConfig extends ProcessConfig> {
  /** The service's name: the logger's `service`, and the name telemetry reports. */
  name: string;
  /** The service's own `readConfig(process.env)`. */
  readConfig: () => TConfig;
  /** Builds the server (and anything that runs beside it); never listens. */
  start: (runtime: ServiceRuntime<TConfig>) => Promise<ListeningServer>;
}

/**
 * The process shape every service shares, gateway and subgraphs alike:
 * config -> logger and runtime metrics -> start -> the metrics port
 * (/metrics, /health, /ready) -> listen -> on SIGTERM readiness turns to
 * draining, the server closes, then every registered stop step runs in
 * reverse order. A failure before listening prints the reason and exits 1.
 *
 * With `workers` above 1 this process becomes the cluster primary (cluster.ts)
 * and each worker runs the steps above, except that the primary owns the
 * metrics port and asks the worker for its metrics and readiness over IPC.
 */
export async function runService<TConfig extends ProcessConfig>(definition: ServiceDefinition<TConfig>): Promise<void> {
  const { name } = definition;
  const config = await startOrExit(name, async () => definition.readConfig());
  const logger = createLogger(name, config.logLevel);
  if (cluster.isPrimary && (config.workers ?? 1) > 1) {
    return runClusterPrimary({ name, workers: config.workers!, metricsPort: config.metricsPort, host: config.host, logger });
  }
  startRuntimeMetrics(name);
  const stops: (() => Promise<void> | void)[] = [];
  const runtime: ServiceRuntime<TConfig> = { name, config, logger, onStop: (stop) => void stops.push(stop) };
  // The metrics port opens first: liveness answers, and readiness says
  // `starting` (503) while migrations, seeding and the build run.
  let readiness: readonly ReadinessCheck[] = [['started', () => Promise.reject(new Error('starting'))]];
  let draining = false;
  // A cluster worker's metrics port is its primary's: it answers the primary instead of listening.
  const ops = cluster.isWorker ? undefined : createOpsServer({ logger, readiness: () => readiness, isDraining: () => draining });
  if (!ops) answerOpsRequests({ readiness: () => readiness, isDraining: () => draining });
  const metricsPort = ops ? await startOrExit(name, () => ops.listen(config.metricsPort, config.host)) : config.metricsPort;
  const server = await startOrExit(name, () => definition.start(runtime));
  const address = await startOrExit(name, () => server.listen(config.port, config.host));
  const url = typeof address === 'number' ? `http://localhost:${address}/graphql` : `${address}/graphql`;
  readiness = server.readiness;
  logger.info({ url, metrics: `http://localhost:${metricsPort}/metrics`, ...(cluster.isWorker ? { worker: process.env.CLUSTER_WORKER_SLOT } : {}) }, `${name} ready`);
  runUntilSignal(logger, async () => {
    // Readiness turns 503 first, so load balancers stop sending while in-flight requests finish.
    draining = true;
    await server.close();
    for (const stop of stops.reverse()) await stop();
    await ops?.close();
    await stopTracing();
  });
}
