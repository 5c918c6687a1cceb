import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';
import { evaluateReadiness, type Readiness, type ReadinessCheck } from './http.ts';
import { runUntilSignal, startOrExit } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { counter, gauge, metricsRegistry, startRuntimeMetrics } from './metrics.ts';
import { createOpsServer } from './ops-server.ts';
import { RestartBackoff } from './restart-backoff.ts';
import { stopTracing } from './telemetry/tracing.ts';

/**
 * One service on every core from one command: a primary process forks
 * `workers` copies of the service (node:cluster), which share its public
 * port (the primary accepts connections and hands them out round-robin, so
 * a connection, and a WebSocket on it, stays with one worker). Each worker is
 * the whole service; the primary serves no request. It:
 *
 *   - owns the metrics port: /metrics is the sum of every worker's registry
 *     and its own (counters and histograms add up, event-loop lag takes the
 *     max or average as prom-client defines), as one process would report
 *     it, so dashboards and alerts read the same with 1 or N workers;
 *   - answers /ready from its workers' own readiness: ready while at least
 *     one worker is (`degraded` while others are not), `draining` on SIGTERM;
 *   - starts a worker again when one exits (with RestartBackoff's delays);
 *     a worker that fails before the service has ever been up stops the
 *     whole service with exit 1, as a single process failing to start does;
 *   - on SIGTERM/SIGINT sends SIGTERM to every worker, each drains as a
 *     single process does (in-flight requests finish), and exits when they
 *     have; a worker still running after `workerGraceMs` is killed.
 *
 * The primary asks its workers over the cluster's IPC channel
 * (`answerOpsRequests` is the worker's side); a worker that does not answer
 * within 2 s counts as not ready and is left out of that scrape.
 */
export interface ClusterPrimaryOptions {
  name: string;
  workers: number;
  metricsPort: number;
  host: string;
  logger: Logger;
  /** How long a worker may drain before it is killed (a worker's own limit is 10 s). */
  workerGraceMs?: number;
}

const REQUEST = 'shop:ops-request';
const ANSWER = 'shop:ops-answer';
const ASK_TIMEOUT_MS = 2_000;

type Question = 'metrics' | 'ready';
interface OpsRequest {
  type: typeof REQUEST;
  id: number;
  question: Question;
}
interface OpsAnswer {
  type: typeof ANSWER;
  id: number;
  value?: unknown;
  error?: string;
}

const isRequest = (message: unknown): message is OpsRequest => (message as OpsRequest | null)?.type === REQUEST;
const isAnswer = (message: unknown): message is OpsAnswer => (message as OpsAnswer | null)?.type === ANSWER;

/**
 * A worker's side of the ops protocol: answers the primary's requests for
 * this process's metrics (its registry as JSON, for aggregation) and its
 * readiness (the same checks /ready runs in a single process).
 */
export function answerOpsRequests(options: { readiness: () => readonly ReadinessCheck[]; isDraining: () => boolean }): void {
  process.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
    const work: Promise<unknown> = message.question === 'metrics' ? metricsRegistry.getMetricsAsJSON() : evaluateReadiness(options.readiness(), options.isDraining);
    work.then(
      (value) => reply({ type: ANSWER, id: message.id, value }),
      (error: unknown) => reply({ type: ANSWER, id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

function reply(answer: OpsAnswer): void {
  // The channel closes when the primary is gone; there is no one left to answer.
  if (process.connected) process.send?.(answer, undefined, undefined, () => {});
}

interface Slot {
  /** 1..workers, stable across restarts (the logs' `slot`). */
  index: number;
  worker: Worker | undefined;
  startedAt: number;
  backoff: RestartBackoff;
}

export async function runClusterPrimary(options: ClusterPrimaryOptions): Promise<void> {
  const { name, logger } = options;
  startRuntimeMetrics(name);
  const restarts = counter('cluster_worker_restarts_total', 'Worker processes started again after one exited');
  gauge('cluster_workers', 'Worker processes running', [], function () {
    this.set(slots.filter((slot) => slot.worker && !slot.worker.isDead()).length);
  });
  const slots: Slot[] = Array.from({ length: options.workers }, (_, i) => ({ index: i + 1, worker: undefined, startedAt: 0, backoff: new RestartBackoff() }));
  let everUp = false;
  let stopping = false;

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  cluster.on('message', (_worker, message: unknown) => {
    if (!isAnswer(message)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.value);
  });
  const ask = (worker: Worker, question: Question): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`no answer within ${ASK_TIMEOUT_MS} ms`));
      }, ASK_TIMEOUT_MS);
      pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      worker.send({ type: REQUEST, id, question } satisfies OpsRequest, undefined, (error) => {
        if (error) pending.get(id)?.reject(error);
      });
    });
  const running = () => slots.flatMap((slot) => (slot.worker && slot.worker.isConnected() ? [{ slot, worker: slot.worker }] : []));

  const ready = async (): Promise<Readiness> => {
    const checks: Record<string, string> = {};
    let readyCount = 0;
    await Promise.all(
      slots.map(async (slot) => {
        const key = `worker ${slot.index}`;
        const worker = slot.worker;
        if (!worker || !worker.isConnected()) return void (checks[key] = 'not running');
        try {
          const answer = (await ask(worker, 'ready')) as Readiness;
          if (answer.ready) readyCount++;
          checks[key] = answer.status === 'ready' ? 'ok' : `${answer.status}: ${JSON.stringify(answer.checks)}`;
        } catch (error) {
          checks[key] = (error as Error).message;
        }
      }),
    );
    if (stopping) return { ready: false, status: 'draining', checks };
    if (readyCount === 0) return { ready: false, status: 'unavailable', checks };
    return { ready: true, status: readyCount === slots.length && Object.values(checks).every((c) => c === 'ok') ? 'ready' : 'degraded', checks };
  };

  const metrics = async () => {
    const answers = await Promise.all(running().map(({ worker }) => ask(worker, 'metrics').catch(() => undefined)));
    const own = await metricsRegistry.getMetricsAsJSON();
    const all = [own, ...answers.filter((a): a is typeof own => Array.isArray(a))];
    const aggregated = client.AggregatorRegistry.aggregate(all);
    return { contentType: aggregated.contentType, body: await aggregated.metrics() };
  };

  const ops = createOpsServer({ logger, readiness: () => [], isDraining: () => stopping, ready, metrics });
  const metricsPort = await startOrExit(name, () => ops.listen(options.metricsPort, options.host));

  const fork = (slot: Slot) => {
    const worker = cluster.fork({ CLUSTER_WORKER_SLOT: String(slot.index) });
    slot.worker = worker;
    slot.startedAt = Date.now();
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (!everUp) {
        logger.fatal({ slot: slot.index, pid: worker.process.pid, exit: how }, `${name} worker failed to start; stopping`);
        for (const other of running()) other.worker.process.kill('SIGTERM');
        process.exitCode = 1;
        setTimeout(() => process.exit(1), 1000).unref();
        stopping = true;
        void ops.close();
        return;
      }
      const delay = slot.backoff.next(Date.now() - slot.startedAt);
      restarts.inc();
      logger.error({ slot: slot.index, pid: worker.process.pid, exit: how, delayMs: delay }, `${name} worker exited; starting another`);
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, delay).unref();
    });
  };
  for (const slot of slots) fork(slot);

  // Up once every worker has opened the public port (each `listening` is one worker's server).
  await new Promise<void>((resolve) => {
    const listening = new Set<number>();
    const onListening = (worker: Worker) => {
      listening.add(worker.id);
      if (listening.size < slots.length) return;
      cluster.off('listening', onListening);
      resolve();
    };
    cluster.on('listening', onListening);
  });
  everUp = true;
  logger.info({ workers: slots.length, metrics: `http://localhost:${metricsPort}/metrics` }, `${name} ready with ${slots.length} workers`);

  const workerGraceMs = options.workerGraceMs ?? 12_000;
  runUntilSignal(
    logger,
    async () => {
      stopping = true;
      const exits = running().map(
        ({ slot, worker }) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), workerGraceMs);
            worker.once('exit', (code) => {
              clearTimeout(timer);
              if (code !== 0) logger.error({ slot: slot.index, code }, `${name} worker did not drain cleanly`);
              resolve(code === 0);
            });
            worker.process.kill('SIGTERM');
          }),
      );
      const clean = (await Promise.all(exits)).every(Boolean);
      await ops.close();
      await stopTracing();
      if (!clean) throw new Error('a worker did not drain cleanly');
    },
    workerGraceMs + 3_000,
  );
}
