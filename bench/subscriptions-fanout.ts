/**
 * Subscription fan-out benchmark: N WebSocket subscribers on ONE gateway
 * process, all watching the same hot sku with the contract's StockChanged
 * (plus a few on cold skus), while a flash sale restocks the hot sku many
 * times a second through the gateway. Not a test: it prints figures.
 *
 *   npm run bench:fanout                          # raises `ulimit -n` as far as allowed, then runs
 *   npm run bench:fanout -- --subscribers 1000
 *   bash -c 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; node bench/subscriptions-fanout.ts --subscribers 10000'
 *
 * Options (all optional):
 *   --subscribers N   subscribers of the main run                     (10000)
 *   --baseline N      subscribers of the baseline run, 0 to skip       (100)
 *   --workers N       client processes (default: 1 per 2500 subs, max 4)
 *   --rate N          restocks per second during the sale              (20)
 *   --duration S      seconds of sale                                  (10)
 *   --cold-every N    every Nth subscriber watches a cold sku, 0: none (50)
 *   --cold-skus N     distinct cold skus                               (3)
 *   --concurrency N   handshakes in flight per client process          (64)
 *   --budget S        the whole run gives up after this many seconds   (230)
 *
 * The clients are raw `ws` sockets speaking graphql-transport-ws
 * (connection_init, subscribe, next), spread over forked processes of this
 * same file (`--worker`), so that the client side stays cheap. Every restock
 * adds one unit, so each `available` value the clients see identifies the
 * restock that produced it: delivery latency = receive time - the time the
 * restock's response (the commit) reached the driver ("from ack"), and the
 * same from the time the restock was sent ("from send"). All processes run
 * on one machine and stamp with performance.timeOrigin + performance.now().
 *
 * File descriptors: the gateway holds one per subscriber and inherits this
 * process's `ulimit -n` (node cannot raise it); the bench refuses to start
 * when N does not fit under it. On the 2-core dev VM the hard limit is 20000
 * and cannot be raised (no CAP_SYS_RESOURCE), so one gateway process holds at
 * most ~19,500 subscribers there; 19,000 was run without errors.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Messages between the driver and the client processes
// ---------------------------------------------------------------------------

interface OpenCommand {
  type: 'open';
  url: string;
  query: string;
  /** The sku each socket of this process subscribes to. */
  skus: string[];
  hotSku: string;
  concurrency: number;
  deadline: number;
}
interface FinishCommand {
  type: 'finish';
  finalValue: number;
  /** [available, sentAt, ackAt] per successful restock. */
  commits: [number, number, number][];
  waitUntil: number;
}
type Command = OpenCommand | { type: 'mark' } | FinishCommand | { type: 'close' };

interface ReadyReport {
  type: 'ready';
  ready: number;
  failed: number;
  connectErrors: Record<string, number>;
}
interface ResultReport {
  type: 'result';
  hotReady: number;
  /** Deliveries of the hot sku per hot subscriber since the sale started. */
  counts: Uint32Array;
  latAck: Float64Array;
  latSend: Float64Array;
  sawFinal: number;
  /** Per hot subscriber that saw it: receive time of the final value - its ack. */
  finalLat: Float64Array;
  outOfOrder: number;
  duplicates: number;
  unknownValues: number;
  badPayloads: number;
  coldDeliveries: number;
  graphqlErrors: number;
  closes: Record<string, number>;
  socketErrors: number;
  eldP99Ms: number;
  eldMaxMs: number;
  cpuMs: number;
  cpuSystemMs: number;
  comparedFrames: number;
}
type Report = { type: 'progress'; ready: number; failed: number } | ReadyReport | ResultReport | { type: 'closed' };

// ---------------------------------------------------------------------------
// Client process
// ---------------------------------------------------------------------------

interface Sub {
  ws: WebSocket;
  /** The graphql-ws subscription id: a UUID per subscriber, as graphql-ws clients make them, so no two next frames are alike. */
  id: string;
  sku: string;
  hot: boolean;
  ready: boolean;
  done: boolean;
  values: number[];
  times: number[];
  /** The first valid event, split around its level (see frameTemplate). */
  frame?: FrameTemplate;
  markAt: number;
}

/**
 * Checking a delivery without parsing it: every `next` of one subscription
 * is the same bytes (id, sku, variant and product names) but for the level.
 * The first one is parsed and checked field by field; it is kept as head
 * (up to `"available":`) and tail (after the number), and each later frame
 * is compared with them byte for byte: stricter than reading the fields,
 * and a fraction of the CPU of JSON.parse, so that the client processes
 * leave the machine to the gateway. A frame that differs anywhere takes the
 * full parse and its checks again.
 */
interface FrameTemplate {
  head: Buffer;
  tail: Buffer;
}

function frameTemplate(data: Buffer, available: number): FrameTemplate | undefined {
  const marker = Buffer.from('"available":');
  const at = data.indexOf(marker);
  if (at < 0 || data.indexOf(marker, at + 1) >= 0) return undefined;
  const head = data.subarray(0, at + marker.length);
  const number = Buffer.from(String(available));
  if (!data.subarray(head.length, head.length + number.length).equals(number)) return undefined;
  const tail = data.subarray(head.length + number.length);
  if (tail[0] !== 0x2c) return undefined; // the level is followed by a comma
  return { head: Buffer.from(head), tail: Buffer.from(tail) };
}

/** The level of a frame that matches the template but for its (non-negative integer) level, else undefined. */
function sameFrameBut(template: FrameTemplate, data: Buffer): number | undefined {
  const { head, tail } = template;
  if (data.length <= head.length + tail.length || data.compare(head, 0, head.length, 0, head.length) !== 0) return undefined;
  let value = 0;
  let i = head.length;
  const end = data.length - tail.length;
  if (end - i > 15 || (data[i] === 0x30 && end - i > 1)) return undefined;
  for (; i < end; i++) {
    const digit = data[i]! - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return data.compare(tail, 0, tail.length, end) === 0 ? value : undefined;
}

function runWorker(): void {
  const send = (report: Report) => process.send?.(report);
  const subs: Sub[] = [];
  const closes: Record<string, number> = {};
  const connectErrors: Record<string, number> = {};
  let socketErrors = 0;
  let graphqlErrors = 0;
  let badPayloads = 0;
  /** Next frames checked against the subscription's first one byte for byte (the rest were parsed). */
  let comparedFrames = 0;
  let closing = false;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let cpuAtMark = process.cpuUsage();

  const open = async (cmd: OpenCommand) => {
    let next = 0;
    let inFlight = 0;
    let ready = 0;
    let failed = 0;
    const progress = setInterval(() => send({ type: 'progress', ready, failed }), 1_000);
    await new Promise<void>((resolve) => {
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(deadline);
        resolve();
      };
      const settle = (sub: Sub, ok: boolean, reason?: string) => {
        if (sub.done) return;
        sub.done = true;
        inFlight--;
        if (ok) ready++;
        else {
          failed++;
          const key = reason ?? 'unknown';
          connectErrors[key] = (connectErrors[key] ?? 0) + 1;
        }
        pump();
      };
      const record = (sub: Sub, available: number, at: number) => {
        sub.values.push(available);
        sub.times.push(at);
        if (!sub.ready) {
          sub.ready = true;
          settle(sub, true);
        }
      };
      const start = (index: number) => {
        const sku = cmd.skus[index]!;
        const ws = new WebSocket(cmd.url, 'graphql-transport-ws', { perMessageDeflate: false, handshakeTimeout: 30_000 });
        const sub: Sub = { ws, id: randomUUID(), sku, hot: sku === cmd.hotSku, ready: false, done: false, values: [], times: [], markAt: 0 };
        subs.push(sub);
        inFlight++;
        ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
        ws.on('message', (data: Buffer) => {
          const at = now();
          // The fast path: a next event that is the first one byte for byte but for the level.
          const available = sub.frame ? sameFrameBut(sub.frame, data) : undefined;
          if (available !== undefined) {
            comparedFrames++;
            return record(sub, available, at);
          }
          let message: { type?: string; id?: string; payload?: any };
          try {
            message = JSON.parse(data.toString());
          } catch {
            badPayloads++;
            return;
          }
          switch (message.type) {
            case 'connection_ack':
              ws.send(JSON.stringify({ id: sub.id, type: 'subscribe', payload: { query: cmd.query, operationName: 'StockChanged', variables: { skus: [sku] } } }));
              return;
            case 'next': {
              const event = message.payload?.data?.stockChanged;
              if (message.payload?.errors?.length) graphqlErrors++;
              if (message.id !== sub.id || !event || typeof event.available !== 'number' || event.sku !== sku || typeof event.variant?.product?.name !== 'string') {
                badPayloads++;
                return;
              }
              sub.frame ??= frameTemplate(data, event.available);
              record(sub, event.available, at);
              return;
            }
            case 'ping':
              ws.send(JSON.stringify({ type: 'pong' }));
              return;
            case 'error':
              graphqlErrors++;
              settle(sub, false, `graphql error: ${JSON.stringify(message.payload).slice(0, 120)}`);
              return;
            case 'complete':
              settle(sub, false, 'completed by server');
              return;
            default:
              return;
          }
        });
        ws.on('error', (error: NodeJS.ErrnoException) => {
          socketErrors++;
          settle(sub, false, `socket error ${error.code ?? error.message}`);
        });
        ws.on('close', (code) => {
          // Closes before the first event count as connect failures (settle), not here.
          if (!closing && sub.ready) closes[String(code)] = (closes[String(code)] ?? 0) + 1;
          settle(sub, false, `closed ${code}`);
        });
      };
      const pump = () => {
        if (finished) return;
        while (inFlight < cmd.concurrency && next < cmd.skus.length && now() < cmd.deadline) start(next++);
        if (inFlight === 0 && (next >= cmd.skus.length || now() >= cmd.deadline)) done();
      };
      // Sockets still shaking hands at the deadline count as failed.
      const deadline = setTimeout(() => {
        for (const sub of subs) {
          if (sub.done) continue;
          settle(sub, false, 'not subscribed before the deadline');
          sub.ws.terminate();
        }
        done();
      }, Math.max(0, cmd.deadline - now()));
      pump();
    });
    clearInterval(progress);
    send({ type: 'ready', ready, failed, connectErrors });
  };

  const mark = () => {
    for (const sub of subs) sub.markAt = sub.values.length;
    eld.reset();
    eld.enable();
    cpuAtMark = process.cpuUsage();
  };

  const finish = async (cmd: FinishCommand) => {
    const hot = subs.filter((s) => s.hot && s.ready);
    const hasFinal = (s: Sub) => s.values.length > 0 && s.values[s.values.length - 1] === cmd.finalValue;
    // Wait (bounded) until every live hot subscriber has the final value.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (hot.every((s) => hasFinal(s) || s.ws.readyState !== WebSocket.OPEN) || now() >= cmd.waitUntil) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        }
      };
      const timer = setTimeout(check, Math.max(0, cmd.waitUntil - now()));
      const poll = setInterval(check, 100);
      check();
    });
    eld.disable();
    const cpu = process.cpuUsage(cpuAtMark);
    const commits = new Map(cmd.commits.map(([available, sentAt, ackAt]) => [available, { sentAt, ackAt }]));
    const ack = commits.get(cmd.finalValue)?.ackAt ?? 0;
    const counts = new Uint32Array(hot.length);
    const latAck: number[] = [];
    const latSend: number[] = [];
    const finalLat: number[] = [];
    let sawFinal = 0;
    let outOfOrder = 0;
    let duplicates = 0;
    let unknownValues = 0;
    hot.forEach((sub, i) => {
      counts[i] = sub.values.length - sub.markAt;
      let previous = sub.markAt > 0 ? sub.values[sub.markAt - 1]! : Number.NEGATIVE_INFINITY;
      for (let j = sub.markAt; j < sub.values.length; j++) {
        const value = sub.values[j]!;
        const at = sub.times[j]!;
        if (value < previous) outOfOrder++;
        else if (value === previous) duplicates++;
        previous = value;
        const commit = commits.get(value);
        if (!commit) {
          unknownValues++;
          continue;
        }
        latAck.push(at - commit.ackAt);
        latSend.push(at - commit.sentAt);
        if (value === cmd.finalValue) finalLat.push(at - ack);
      }
      if (sub.values.includes(cmd.finalValue)) sawFinal++;
    });
    const coldDeliveries = subs.filter((s) => !s.hot && s.ready).reduce((n, s) => n + s.values.length - s.markAt, 0);
    send({
      type: 'result',
      hotReady: hot.length,
      counts,
      latAck: Float64Array.from(latAck),
      latSend: Float64Array.from(latSend),
      sawFinal,
      finalLat: Float64Array.from(finalLat),
      outOfOrder,
      duplicates,
      unknownValues,
      badPayloads,
      coldDeliveries,
      graphqlErrors,
      closes: { ...closes },
      socketErrors,
      eldP99Ms: eld.percentile(99) / 1e6,
      eldMaxMs: eld.max / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1_000,
      cpuSystemMs: cpu.system / 1_000,
      comparedFrames,
    });
  };

  const close = async () => {
    closing = true;
    const open = subs.filter((s) => s.ws.readyState === WebSocket.OPEN || s.ws.readyState === WebSocket.CONNECTING);
    await Promise.race([
      Promise.all(
        open.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.ws.once('close', () => resolve());
              s.ws.close(1000);
            }),
        ),
      ),
      sleep(5_000),
    ]);
    for (const s of subs) if (s.ws.readyState !== WebSocket.CLOSED) s.ws.terminate();
    send({ type: 'closed' });
    setTimeout(() => process.exit(0), 100);
  };

  process.on('message', (cmd: Command) => {
    if (cmd.type === 'open') void open(cmd);
    else if (cmd.type === 'mark') mark();
    else if (cmd.type === 'finish') void finish(cmd);
    else if (cmd.type === 'close') void close();
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

interface Options {
  subscribers: number;
  baseline: number;
  workers: number | undefined;
  rate: number;
  duration: number;
  coldEvery: number;
  coldSkus: number;
  concurrency: number;
  budget: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { subscribers: 10_000, baseline: 100, workers: undefined, rate: 20, duration: 10, coldEvery: 50, coldSkus: 3, concurrency: 64, budget: 230 };
  const names: Record<string, keyof Options> = {
    '--subscribers': 'subscribers',
    '--baseline': 'baseline',
    '--workers': 'workers',
    '--rate': 'rate',
    '--duration': 'duration',
    '--cold-every': 'coldEvery',
    '--cold-skus': 'coldSkus',
    '--concurrency': 'concurrency',
    '--budget': 'budget',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const key = names[flag];
    if (!key) throw new Error(`unknown option ${flag}; known: ${Object.keys(names).join(' ')}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a non-negative number`);
    options[key] = value;
  }
  if (options.subscribers < 1 || options.rate <= 0 || options.duration <= 0 || options.concurrency < 1) throw new Error('subscribers, rate, duration and concurrency must be positive');
  return options;
}

/** The soft limit on open files of this process (what the gateway and the client processes inherit). */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' || soft === undefined ? Number.POSITIVE_INFINITY : Number(soft);
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0);
}

const CLOCK_TICKS = 100;
/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const [user, system] = cpuSplitMs(pid);
  return user + system;
}
/** [utime, stime] of a process, in ms: user space, and the kernel (socket writes on loopback carry the receiving side's TCP work too). */
function cpuSplitMs(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [(Number(fields[11]) * 1_000) / CLOCK_TICKS, (Number(fields[12]) * 1_000) / CLOCK_TICKS];
}

/** Machine-wide [busy, total] jiffies. */
function machineCpu(): [number, number] {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return [total - idle, total];
}

/** The gateway's metrics (read on its metrics port), each summed over its series. */
async function metrics(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  const sums = new Map<string, number>();
  for (const m of text.matchAll(/^([a-z_]+)(?:\{[^}]*\})? (-?[\d.e+]+)$/gm)) sums.set(m[1]!, (sums.get(m[1]!) ?? 0) + Number(m[2]));
  return sums;
}
const delta = (after: Map<string, number>, before: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function concat<T extends Float64Array | Uint32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
function addCounts(into: Record<string, number>, from: Record<string, number>) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

interface PhaseResult {
  name: string;
  requested: number;
  workers: number;
  connected: number;
  connectFailed: number;
  connectErrors: Record<string, number>;
  connectSeconds: number;
  connectPerSecond: number;
  upstreamsOpened: number;
  upstreamsExpected: number;
  upstreamsOpenGauge: number;
  clientsGauge: number;
  restocksSent: number;
  restocksOk: number;
  restocksFailed: number;
  restocksSkipped: number;
  restockAckP50Ms: number;
  restockAckMaxMs: number;
  changesCommitted: number;
  enrichmentsDuringSale: number;
  coalescedDuringSale: number;
  queuedDuringSale: number;
  expectedPerSubscriber: number;
  expectedUpperBound: number;
  hotSubscribers: number;
  receivedMin: number;
  receivedMedian: number;
  receivedMax: number;
  deliveries: number;
  deliveriesExpected: number;
  sawFinal: number;
  finalFanoutP50Ms: number;
  finalFanoutMaxMs: number;
  latencyAck: { p50: number; p95: number; p99: number; max: number };
  latencySend: { p50: number; p95: number; p99: number; max: number };
  outOfOrder: number;
  duplicates: number;
  unknownValues: number;
  badPayloads: number;
  coldDeliveries: number;
  graphqlErrors: number;
  socketErrors: number;
  unexpectedCloses: Record<string, number>;
  slowConsumersCut: number;
  rssBeforeMb: number;
  rssConnectedMb: number;
  rssPeakMb: number;
  rssAfterSaleMb: number;
  rssPerSubscriberKb: number;
  gatewayCpuConnectPct: number;
  gatewayCpuSalePct: number;
  machineBusySalePct: number;
  clientCpuSalePct: number;
  gatewayUserSaleMs: number;
  gatewaySystemSaleMs: number;
  gatewayCpuPerFrameUs: number;
  clientCpuPerFrameUs: number;
  clientUserSaleMs: number;
  framesCompared: number;
  clientSystemSaleMs: number;
  clientEldP99Ms: number;
  clientEldMaxMs: number;
}

async function runDriver(options: Options): Promise<void> {
  const started = Date.now();
  const budgetEnds = started + options.budget * 1_000;
  const fdLimit = openFileLimit();
  const largest = Math.max(options.subscribers, options.baseline);
  // The gateway holds one descriptor per subscriber plus its own (~100); leave room.
  if (largest + 500 > fdLimit) {
    throw new Error(
      `ulimit -n is ${fdLimit}: the gateway cannot hold ${largest} sockets. Raise it (bash -c 'ulimit -n 65536; node bench/subscriptions-fanout.ts ...') or lower --subscribers to ${fdLimit - 500}.`,
    );
  }

  const { DEMO_PASSWORD, loadDemoData } = await import('@shop/platform');
  const { startTestStack } = await import('@shop/platform/testing');
  const { operation, ShopClient } = await import('../gateway/test/shop-client.ts');
  type Stack = Awaited<ReturnType<typeof startTestStack>>;

  const children = new Set<ChildProcess>();
  let stack: Stack | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stack?.stop().catch((error: unknown) => console.error('stack.stop failed:', error));
  };
  const watchdog = setTimeout(() => {
    console.error(`\nbench: over its ${options.budget} s budget; stopping everything.`);
    void cleanup().finally(() => process.exit(2));
  }, options.budget * 1_000 + 15_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  const log = (message: string) => console.error(`[${((Date.now() - started) / 1_000).toFixed(1).padStart(5)} s] ${message}`);

  try {
    log(`ulimit -n ${fdLimit}; starting the stack (5 subgraphs + gateway)`);
    // Every subscriber connects from 127.0.0.1: lift the per-address and anonymous limits of the
    // WebSocket admission, which would otherwise (rightly) refuse one address opening 10,000 sockets.
    stack = await startTestStack({
      SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: '100000',
      SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    });
    const gatewayPid = stack.gateway.child?.pid;
    if (!gatewayPid) throw new Error('no gateway pid');
    const url = stack.url;
    const metricsUrl = stack.gateway.metricsUrl;
    const wsUrl = url.replace(/^http/, 'ws');
    log(`stack up: gateway ${url} (pid ${gatewayPid})`);
    const shop = new ShopClient(url);
    const admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    const query = operation('StockChanged');
    const restockQuery = operation('Restock');
    const demo = loadDemoData();
    const hotProduct = demo.products[10]!;
    const coldSkus = demo.products
      .slice(20, 20 + options.coldSkus)
      .map((p) => p.variants[0]!.sku)
      .filter(Boolean);

    const restock = async (sku: string): Promise<{ available: number; sentAt: number; ackAt: number }> => {
      const sentAt = now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: restockQuery, variables: { sku, quantity: 1 } }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as { data?: { restock?: { available: number } }; errors?: unknown };
      const ackAt = now();
      if (!body.data?.restock) throw new Error(`restock failed: ${JSON.stringify(body.errors)}`);
      return { available: body.data.restock.available, sentAt, ackAt };
    };

    const runPhase = async (name: string, n: number, hotSku: string, duration = options.duration): Promise<PhaseResult> => {
      const workerCount = Math.max(1, Math.min(n, options.workers ?? Math.min(4, Math.ceil(n / 2_500))));
      log(`${name}: ${n} subscribers over ${workerCount} client process(es), hot sku ${hotSku}`);
      // Start from a quiet gateway: no subscribers left from a previous phase.
      for (let i = 0; i < 50; i++) {
        const m = await metrics(metricsUrl);
        if ((m.get('gateway_subscription_clients') ?? 0) === 0) break;
        await sleep(200);
      }
      const m0 = await metrics(metricsUrl);
      const rss0 = rssKb(gatewayPid);
      const cpu0 = cpuMs(gatewayPid);

      // Who watches what: every coldEvery-th subscriber a cold sku, the others the hot one.
      const skus = Array.from({ length: n }, (_, i) =>
        options.coldEvery > 0 && coldSkus.length > 0 && i % options.coldEvery === options.coldEvery - 1 ? coldSkus[Math.floor(i / options.coldEvery) % coldSkus.length]! : hotSku,
      );
      const coldUsed = new Set(skus.filter((s) => s !== hotSku)).size;
      const workers = Array.from({ length: workerCount }, () => {
        const child = fork(fileURLToPath(import.meta.url), ['--worker'], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.add(child);
        return child;
      });
      const progress = new Map<ChildProcess, { ready: number; failed: number }>();
      const expect = <T extends Report['type']>(child: ChildProcess, type: T, timeoutMs: number) =>
        new Promise<Extract<Report, { type: T }>>((resolve, reject) => {
          const onMessage = (report: Report) => {
            if (report.type === 'progress') progress.set(child, report);
            if (report.type !== type) return;
            cleanupListeners();
            resolve(report as Extract<Report, { type: T }>);
          };
          const onExit = (code: number | null) => {
            cleanupListeners();
            reject(new Error(`client process exited (${code}) while waiting for ${type}`));
          };
          const timer = setTimeout(() => {
            cleanupListeners();
            reject(new Error(`client process did not report ${type} within ${timeoutMs} ms`));
          }, timeoutMs);
          const cleanupListeners = () => {
            clearTimeout(timer);
            child.off('message', onMessage);
            child.off('exit', onExit);
          };
          child.on('message', onMessage);
          child.on('exit', onExit);
        });

      // Connect: bounded by the remaining budget (keep ~60 s for the sale, the drain and teardown).
      const connectBudget = Math.max(15_000, Math.min(120_000, budgetEnds - Date.now() - 60_000));
      const connectStart = now();
      const deadline = connectStart + connectBudget;
      const readyPromises = workers.map((child) => expect(child, 'ready', connectBudget + 10_000));
      workers.forEach((child, w) => {
        const mine = skus.filter((_, i) => i % workerCount === w);
        const cmd: OpenCommand = { type: 'open', url: wsUrl, query, skus: mine, hotSku, concurrency: options.concurrency, deadline };
        child.send(cmd);
      });
      const ticker = setInterval(() => {
        let ready = 0;
        let failed = 0;
        for (const p of progress.values()) {
          ready += p.ready;
          failed += p.failed;
        }
        log(`${name}: ${ready}/${n} subscribed, ${failed} failed, gateway RSS ${(rssKb(gatewayPid) / 1024).toFixed(0)} MB`);
      }, 5_000);
      const readies = await Promise.all(readyPromises).finally(() => clearInterval(ticker));
      const connectSeconds = (now() - connectStart) / 1_000;
      const connected = readies.reduce((s, r) => s + r.ready, 0);
      const connectFailed = readies.reduce((s, r) => s + r.failed, 0);
      const connectErrors: Record<string, number> = {};
      for (const r of readies) addCounts(connectErrors, r.connectErrors);
      const cpu1 = cpuMs(gatewayPid);
      log(`${name}: ${connected} subscribed in ${connectSeconds.toFixed(1)} s (${connectFailed} failed); settling`);
      await sleep(2_000);
      const rss1 = rssKb(gatewayPid);
      const m1 = await metrics(metricsUrl);

      // The flash sale: `rate` restocks of one unit per second, open loop, at most 20 in flight.
      const commits: [number, number, number][] = [];
      const ackTimes: number[] = [];
      let failedRestocks = 0;
      let skipped = 0;
      let inFlight = 0;
      const pending: Promise<void>[] = [];
      let rssPeak = rss1;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssKb(gatewayPid));
      }, 250);
      for (const child of workers) child.send({ type: 'mark' } satisfies Command);
      await sleep(50);
      const saleCpu0 = cpuMs(gatewayPid);
      const saleSplit0 = cpuSplitMs(gatewayPid);
      const machine0 = machineCpu();
      const saleStart = now();
      const total = Math.round(options.rate * duration);
      const interval = 1_000 / options.rate;
      for (let k = 0; k < total; k++) {
        const at = saleStart + k * interval;
        const wait = at - now();
        if (wait > 0) await sleep(wait);
        if (inFlight >= 20) {
          skipped++;
          continue;
        }
        inFlight++;
        pending.push(
          restock(hotSku)
            .then((r) => {
              commits.push([r.available, r.sentAt, r.ackAt]);
              ackTimes.push(r.ackAt - r.sentAt);
            })
            .catch((error: unknown) => {
              failedRestocks++;
              if (failedRestocks <= 3) log(`${name}: ${(error as Error).message}`);
            })
            .finally(() => inFlight--),
        );
      }
      await Promise.all(pending);
      const saleSeconds = (now() - saleStart) / 1_000;
      const finalValue = commits.reduce((max, [available]) => Math.max(max, available), Number.NEGATIVE_INFINITY);
      log(`${name}: sale over: ${commits.length} restocks committed in ${saleSeconds.toFixed(1)} s, final available ${finalValue}; waiting for the fan-out`);
      const waitUntil = now() + Math.max(5_000, Math.min(30_000, budgetEnds - Date.now() - 20_000));
      const resultPromises = workers.map((child) => expect(child, 'result', waitUntil - now() + 30_000));
      for (const child of workers) child.send({ type: 'finish', finalValue, commits, waitUntil } satisfies Command);
      const results = await Promise.all(resultPromises);
      const fanoutSeconds = (now() - saleStart) / 1_000;
      clearInterval(sampler);
      const saleCpu1 = cpuMs(gatewayPid);
      const saleSplit1 = cpuSplitMs(gatewayPid);
      const machine1 = machineCpu();
      const rss2 = rssKb(gatewayPid);
      const m2 = await metrics(metricsUrl);

      // Teardown of this phase's clients.
      const closed = workers.map((child) => expect(child, 'closed', 20_000).catch(() => undefined));
      for (const child of workers) child.send({ type: 'close' } satisfies Command);
      await Promise.all(closed);
      // They exit by themselves just after `closed` (writing a --cpu-prof profile if asked); killed if not.
      await Promise.all(workers.map((child) => (child.exitCode !== null ? undefined : Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(3_000)]))));
      for (const child of workers) {
        if (child.exitCode === null) child.kill('SIGKILL');
        children.delete(child);
      }

      const counts = concat(results.map((r) => r.counts), (len) => new Uint32Array(len)).sort();
      const latAck = concat(results.map((r) => r.latAck), (len) => new Float64Array(len)).sort();
      const latSend = concat(results.map((r) => r.latSend), (len) => new Float64Array(len)).sort();
      const finalLat = concat(results.map((r) => r.finalLat), (len) => new Float64Array(len)).sort();
      const sum = (f: (r: ResultReport) => number) => results.reduce((s, r) => s + f(r), 0);
      const closes: Record<string, number> = {};
      for (const r of results) addCounts(closes, r.closes);
      const hotSubscribers = sum((r) => r.hotReady);
      const enrichments = delta(m2, m1, 'gateway_subscription_enrichments_total');
      const broadcasts = hotSubscribers > 0 ? delta(m2, m1, 'gateway_subscription_events_delivered_total') / hotSubscribers : 0;
      const coalesceMs = 100;
      const r2 = (x: number) => Math.round(x * 100) / 100;
      const sortedAcks = ackTimes.sort((a, b) => a - b);
      return {
        name,
        requested: n,
        workers: workerCount,
        connected,
        connectFailed,
        connectErrors,
        connectSeconds: r2(connectSeconds),
        connectPerSecond: Math.round(connected / connectSeconds),
        upstreamsOpened: delta(m1, m0, 'gateway_subscription_upstreams_opened_total'),
        upstreamsExpected: 1 + coldUsed,
        upstreamsOpenGauge: m1.get('gateway_subscription_upstreams') ?? 0,
        clientsGauge: m1.get('gateway_subscription_clients') ?? 0,
        restocksSent: total - skipped,
        restocksOk: commits.length,
        restocksFailed: failedRestocks,
        restocksSkipped: skipped,
        restockAckP50Ms: r2(percentile(sortedAcks, 50)),
        restockAckMaxMs: r2(percentile(sortedAcks, 100)),
        changesCommitted: commits.length,
        enrichmentsDuringSale: enrichments,
        coalescedDuringSale: delta(m2, m1, 'gateway_subscription_events_coalesced_total'),
        queuedDuringSale: delta(m2, m1, 'gateway_subscription_events_delivered_total'),
        // Only the hot stream changes during the sale: every enrichment is one hot event.
        expectedPerSubscriber: r2(broadcasts),
        // One event per window from the first commit to one window after the last one.
        expectedUpperBound: Math.min(commits.length, Math.floor((saleSeconds * 1_000 + coalesceMs) / coalesceMs) + 1),
        hotSubscribers,
        receivedMin: counts.length ? counts[0]! : 0,
        receivedMedian: percentile(counts, 50),
        receivedMax: counts.length ? counts[counts.length - 1]! : 0,
        deliveries: counts.reduce((s, c) => s + c, 0),
        deliveriesExpected: Math.round(broadcasts * hotSubscribers),
        sawFinal: sum((r) => r.sawFinal),
        finalFanoutP50Ms: r2(percentile(finalLat, 50)),
        finalFanoutMaxMs: r2(percentile(finalLat, 100)),
        latencyAck: { p50: r2(percentile(latAck, 50)), p95: r2(percentile(latAck, 95)), p99: r2(percentile(latAck, 99)), max: r2(percentile(latAck, 100)) },
        latencySend: { p50: r2(percentile(latSend, 50)), p95: r2(percentile(latSend, 95)), p99: r2(percentile(latSend, 99)), max: r2(percentile(latSend, 100)) },
        outOfOrder: sum((r) => r.outOfOrder),
        duplicates: sum((r) => r.duplicates),
        unknownValues: sum((r) => r.unknownValues),
        badPayloads: sum((r) => r.badPayloads),
        coldDeliveries: sum((r) => r.coldDeliveries),
        graphqlErrors: sum((r) => r.graphqlErrors),
        socketErrors: sum((r) => r.socketErrors),
        unexpectedCloses: closes,
        slowConsumersCut: delta(m2, m0, 'gateway_subscription_slow_consumers_total'),
        rssBeforeMb: r2(rss0 / 1024),
        rssConnectedMb: r2(rss1 / 1024),
        rssPeakMb: r2(Math.max(rssPeak, rss2) / 1024),
        rssAfterSaleMb: r2(rss2 / 1024),
        rssPerSubscriberKb: connected > 0 ? r2((rss1 - rss0) / connected) : Number.NaN,
        gatewayCpuConnectPct: Math.round(((cpu1 - cpu0) / (connectSeconds * 1_000)) * 100),
        gatewayCpuSalePct: Math.round(((saleCpu1 - saleCpu0) / (fanoutSeconds * 1_000)) * 100),
        machineBusySalePct: Math.round(((machine1[0] - machine0[0]) / Math.max(1, machine1[1] - machine0[1])) * 100),
        clientCpuSalePct: Math.round((sum((r) => r.cpuMs) / (fanoutSeconds * 1_000)) * 100),
        gatewayUserSaleMs: Math.round(saleSplit1[0] - saleSplit0[0]),
        gatewaySystemSaleMs: Math.round(saleSplit1[1] - saleSplit0[1]),
        // CPU per frame received by a hot subscriber during the sale (cold sockets only get pings).
        gatewayCpuPerFrameUs: counts.length ? r2(((saleCpu1 - saleCpu0) * 1_000) / Math.max(1, counts.reduce((s, c) => s + c, 0))) : Number.NaN,
        clientSystemSaleMs: Math.round(sum((r) => r.cpuSystemMs)),
        framesCompared: sum((r) => r.comparedFrames),
        clientUserSaleMs: Math.round(sum((r) => r.cpuMs - r.cpuSystemMs)),
        clientCpuPerFrameUs: counts.length ? r2((sum((r) => r.cpuMs) * 1_000) / Math.max(1, counts.reduce((s, c) => s + c, 0))) : Number.NaN,
        clientEldP99Ms: r2(Math.max(...results.map((r) => r.eldP99Ms))),
        clientEldMaxMs: r2(Math.max(...results.map((r) => r.eldMaxMs))),
      };
    };

    const phases: PhaseResult[] = [];
    const hotSkus = hotProduct.variants.map((v) => v.sku);
    // Warm-up (not reported): the first subscription builds the upstream client, JITs the
    // planner and enrichment path and grows the heap; that one-time cost would otherwise
    // land on the first phase's memory and latency figures.
    await runPhase('warm-up', 20, hotSkus[2] ?? hotSkus[0]!, 1);
    if (options.baseline > 0) phases.push(await runPhase('baseline', options.baseline, hotSkus[1] ?? hotSkus[0]!));
    phases.push(await runPhase('main', options.subscribers, hotSkus[0]!));
    printReport(phases, options, fdLimit);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
    log('stack stopped');
  }
}

function printReport(phases: PhaseResult[], options: Options, fdLimit: number): void {
  const lat = (l: PhaseResult['latencyAck']) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`;
  const closes = (p: PhaseResult) => Object.entries(p.unexpectedCloses).map(([code, n]) => `${n}x${code}`).join(' ') || '0';
  const rows: [string, (p: PhaseResult) => string | number][] = [
    ['subscribers connected / requested', (p) => `${p.connected} / ${p.requested}`],
    ['connect time s (subs/s)', (p) => `${p.connectSeconds} (${p.connectPerSecond}/s)`],
    ['client processes', (p) => p.workers],
    ['upstream subs opened (expected: 1 hot + cold)', (p) => `${p.upstreamsOpened} (${p.upstreamsExpected})`],
    ['gateway clients gauge', (p) => p.clientsGauge],
    ['restocks ok / sent (failed, skipped)', (p) => `${p.restocksOk} / ${p.restocksSent} (${p.restocksFailed}, ${p.restocksSkipped})`],
    ['restock round trip p50 / max ms', (p) => `${p.restockAckP50Ms} / ${p.restockAckMaxMs}`],
    ['frames written per hot subscriber (<= bound)', (p) => `${p.expectedPerSubscriber} (<= ${p.expectedUpperBound})`],
    ['enrichments during sale (changes)', (p) => `${p.enrichmentsDuringSale} (${p.changesCommitted})`],
    ['events coalesced away', (p) => p.coalescedDuringSale],
    ['received per subscriber min/med/max', (p) => `${p.receivedMin} / ${p.receivedMedian} / ${p.receivedMax}`],
    ['deliveries received / queued by gateway', (p) => `${p.deliveries} / ${p.deliveriesExpected}`],
    ['subscribers that saw the final value', (p) => `${p.sawFinal} / ${p.hotSubscribers}`],
    ['final value fan-out p50 / max ms', (p) => `${p.finalFanoutP50Ms} / ${p.finalFanoutMaxMs}`],
    ['latency from ack p50/p95/p99/max ms', (p) => lat(p.latencyAck)],
    ['latency from send p50/p95/p99/max ms', (p) => lat(p.latencySend)],
    ['next frames checked byte for byte (whole run)', (p) => p.framesCompared],
    ['out of order / duplicate / unknown', (p) => `${p.outOfOrder} / ${p.duplicates} / ${p.unknownValues}`],
    ['cold-sku deliveries during sale', (p) => p.coldDeliveries],
    ['errors: connect / graphql / socket / payload', (p) => `${p.connectFailed} / ${p.graphqlErrors} / ${p.socketErrors} / ${p.badPayloads}`],
    ['unexpected closes (code)', closes],
    ['slow consumers cut (4429)', (p) => p.slowConsumersCut],
    ['gateway RSS before / connected MB', (p) => `${p.rssBeforeMb} / ${p.rssConnectedMb}`],
    ['gateway RSS peak / after sale MB', (p) => `${p.rssPeakMb} / ${p.rssAfterSaleMb}`],
    // Below ~1000 subscribers the delta is mostly heap growth and GC timing, not the subscribers.
    ['gateway RSS per subscriber KB', (p) => (p.connected >= 1_000 ? String(p.rssPerSubscriberKb) : `(${p.rssPerSubscriberKb}, noise)`)],
    ['gateway CPU % connect / sale', (p) => `${p.gatewayCpuConnectPct} / ${p.gatewayCpuSalePct}`],
    ['machine busy % during sale (2 cores=100)', (p) => p.machineBusySalePct],
    ['client procs CPU % / max ELD p99 ms', (p) => `${p.clientCpuSalePct} / ${p.clientEldP99Ms}`],
    ['gateway CPU during sale user / sys ms', (p) => `${p.gatewayUserSaleMs} / ${p.gatewaySystemSaleMs}`],
    ['client procs CPU during sale user / sys ms', (p) => `${p.clientUserSaleMs} / ${p.clientSystemSaleMs}`],
    ['CPU per frame received µs gateway / clients', (p) => `${p.gatewayCpuPerFrameUs} / ${p.clientCpuPerFrameUs}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const columns = phases.map((p) => rows.map(([, f]) => String(f(p))));
  const colWidth = columns.map((c, i) => Math.max(phases[i]!.name.length + 8, ...c.map((s) => s.length)));
  const line = (label: string, cells: string[]) => `${label.padEnd(width)} | ${cells.map((c, i) => c.padStart(colWidth[i]!)).join(' | ')}`;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\nSubscription fan-out: ${options.rate} restocks/s for ${options.duration} s on one hot sku; ulimit -n ${fdLimit}; ${process.version}; load average at the end ${load}`);
  console.log(line('', phases.map((p) => `${p.name} (N=${p.requested})`)));
  console.log(`${'-'.repeat(width)}-+-${colWidth.map((w) => '-'.repeat(w)).join('-+-')}`);
  rows.forEach(([label], r) => console.log(line(label, columns.map((c) => c[r]!))));
  const connectErrors = phases.filter((p) => Object.keys(p.connectErrors).length).map((p) => `${p.name}: ${JSON.stringify(p.connectErrors)}`);
  if (connectErrors.length) console.log(`connect errors: ${connectErrors.join('; ')}`);
  console.log(`BENCH_JSON ${JSON.stringify({ bench: 'subscriptions-fanout', node: process.version, fdLimit, loadAverage: load, options, phases })}`);
}

if (process.argv.includes('--worker')) {
  runWorker();
} else {
  try {
    await runDriver(parseOptions(process.argv.slice(2)));
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
