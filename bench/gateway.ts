/**
 * `npm run bench:gateway`: this gateway against stock @apollo/gateway, side by
 * side on this machine, then the contract's read path on our own stack.
 *
 * Part 1, the Guild's federation gateway benchmark
 * (github.com/graphql-hive/graphql-gateways-benchmark): its four subgraphs
 * and its query, rebuilt in Node in bench/guild/ (the code is ours, see
 * bench/guild/subgraphs.ts), composed into a supergraph whose routing URLs
 * point at them. Three gateways take turns, A B C A B C (`--rounds`), each
 * fresh process warmed up then loaded by `--connections` closed-loop callers
 * for `--duration` seconds:
 *   - stock: @apollo/gateway + @apollo/server with defaults (bench/guild/stock-gateway.ts);
 *   - ours, sharing off: gateway/src/main.ts with SUPERGRAPH_PATH, INFLIGHT_DEDUP=off, RESPONSE_CACHE=off;
 *   - ours, sharing on: the defaults;
 * ours once per `--workers` value (GATEWAY_WORKERS: 1, 2, `auto`; "1,2" runs both in turn), named in the table.
 * Every answer is compared byte for byte with the stock gateway's first one.
 *
 * Part 2, the contract's `StockLevels` (open loop at `--stock-rate`) and
 * `ProductPage` (closed loop, `--connections`) through our gateway on the
 * full stack (five subgraphs, PostgreSQL, Redis), sharing off then on.
 *
 * Printed: req/s, p50/p99 ms, gateway CPU ms per request (from
 * /proc/PID/stat, the primary and its workers added up) and the ratio to stock; medians over the rounds. Figures,
 * not a test. Wrap runs in `flock /tmp/bench.lock` on a shared machine.
 *
 *   npm run bench:gateway -- --duration 10 --rounds 2 --connections 50 --stock-rate 2000
 *   npm run bench:gateway -- --parts guild        # or: contract
 *   npm run bench:gateway -- --parts guild --only stock,off --workers 1,2
 *   npm run bench:gateway -- --parts contract --operations StockLevels --sharing on
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadDemoData } from '@shop/platform';
import { freePort, ServiceProcess, startTestStack, TEST_REDIS_URL } from '@shop/platform/testing';
import { composeGuildSupergraph } from './guild/supergraph.ts';
import { runLoad, treeCpuMs, type LoadOptions, type LoadResult } from './load.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'stock-rate': { type: 'string', default: '2000' },
    parts: { type: 'string', default: 'guild,contract' },
    only: { type: 'string', default: 'stock,off,on' },
    // The contract part's operations and sharing settings.
    operations: { type: 'string', default: 'StockLevels,ProductPage' },
    sharing: { type: 'string', default: 'off,on' },
    // Our gateway runs with --cpu-prof; profiles in .bench/profile-gateway/<variant>/ (read them with bench/lib/profile-summary.ts).
    profile: { type: 'boolean', default: false },
    // Our gateway's GATEWAY_WORKERS in the Guild part: one value, or several ("1,2") run in turn in each round.
    workers: { type: 'string', default: '1' },
    // Extra node flags for our gateway's process (e.g. "--max-semi-space-size=16"), to compare runtime settings.
    'node-args': { type: 'string', default: '' },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const STOCK_RATE = Number(args['stock-rate']);
const PARTS = new Set(args.parts.split(','));
const ROOT = new URL('../', import.meta.url).pathname;
const SHARING_OFF = { INFLIGHT_DEDUP: 'off', RESPONSE_CACHE: 'off' };

interface Row extends LoadResult {
  name: string;
  cpuPerRequest: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms`);
}

const PROFILE_DIR = join(ROOT, '.bench/profile-gateway');

/** Node flags of our gateway: `--node-args`, and with `--profile` `--cpu-prof` (profile written under PROFILE_DIR/<name> when it exits). */
const profileFlags = (name: string): string[] => [
  ...args['node-args'].split(' ').filter(Boolean),
  ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, name)}`] : []),
];

function startProcess(entry: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...execArgv, join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Other processes whose CPU time per request is printed beside the gateway's (name -> pid). */
let others: Record<string, number> = {};

/**
 * From our gateway's metrics port: the longest event-loop stall since the
 * last scrape (prom-client's `nodejs_eventloop_lag_max_seconds` starts over
 * at each scrape), in ms, the GC time so far by kind (ms), and the answers of
 * shareable queries so far by source (executed, in-flight, cache); undefined
 * for a process without one.
 */
async function gatewayLoop(metricsUrl: string | undefined): Promise<{ stallMs: number; gcMs: Record<string, number>; answers: Record<string, number> } | undefined> {
  if (!metricsUrl) return undefined;
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const stall = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
  const gcMs: Record<string, number> = {};
  for (const [, kind, seconds] of text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*kind="(\w+)"[^}]*\} (\S+)$/gm)) gcMs[kind!] = Number(seconds) * 1000;
  const answers: Record<string, number> = {};
  for (const [, source, count] of text.matchAll(/^gateway_read_sharing_answers_total\{[^}]*source="([\w-]+)"[^}]*\} (\S+)$/gm)) answers[source!] = Number(count);
  return { stallMs: Number(stall ?? 0) * 1000, gcMs, answers };
}

/** Warms a gateway up, then loads it and reads its CPU time around the measured part. */
async function measure(name: string, pid: number, load: LoadOptions, metricsUrl?: string): Promise<Row> {
  await runLoad({ ...load, durationMs: WARMUP_MS });
  const loopBefore = await gatewayLoop(metricsUrl);
  // A stalled load generator delays its own requests and reads: its stalls are printed beside the gateway's.
  const ownLoop = monitorEventLoopDelay({ resolution: 10 });
  ownLoop.enable();
  // A gateway with cluster workers is the primary and its workers: the whole tree is counted.
  const cpuBefore = treeCpuMs(pid);
  const othersBefore = Object.fromEntries(Object.entries(others).map(([n, p]) => [n, treeCpuMs(p)]));
  const selfBefore = process.cpuUsage();
  const result = await runLoad(load);
  const cpu = treeCpuMs(pid) - cpuBefore;
  const self = process.cpuUsage(selfBefore);
  ownLoop.disable();
  const loopAfter = await gatewayLoop(metricsUrl);
  const gc = loopAfter ? Object.entries(loopAfter.gcMs).map(([kind, ms]) => `${kind} ${(ms - (loopBefore?.gcMs[kind] ?? 0)).toFixed(0)} ms`).join(', ') : '';
  // With sharing on: how many answers one execution served (a closed loop of N identical callers that all join: N).
  const answered = (source: string) => (loopAfter?.answers[source] ?? 0) - (loopBefore?.answers[source] ?? 0);
  const executions = answered('executed');
  const sharing = executions > 0 ? `\n    answers per execution: ${((executions + answered('in-flight')) / executions).toFixed(1)} (${executions} executions, ${answered('in-flight')} joined, ${answered('cache')} from the cache)` : '';
  const perRequest = (ms: number) => (ms / Math.max(1, result.requests)).toFixed(2);
  const besides = [
    ...Object.entries(othersBefore).map(([n, before]) => `${n} ${perRequest(treeCpuMs(others[n]!) - before)}`),
    `load generator ${perRequest((self.user + self.system) / 1000)}`,
  ].join(', ');
  const row = { name, ...result, cpuPerRequest: cpu / Math.max(1, result.requests) };
  console.log(
    `  ${name.padEnd(34)} ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${row.p50.toFixed(1).padStart(6)} ms  p99 ${row.p99.toFixed(1).padStart(7)} ms  ` +
      `${row.cpuPerRequest.toFixed(2).padStart(6)} CPU ms/req  ${row.requests} answers, ${row.mismatches} mismatched, ${row.failures} failed` +
      `\n    CPU ms/req elsewhere: ${besides}` +
      `\n    longest event-loop stall: ${loopAfter ? `gateway ${loopAfter.stallMs.toFixed(0)} ms, ` : ''}load generator ${(ownLoop.max / 1e6).toFixed(0)} ms` +
      (gc ? `\n    gateway GC during the run: ${gc}` : '') +
      sharing +
      (row.sample ? `\n    first bad answer: ${row.sample}` : ''),
  );
  return row;
}

function printTable(title: string, rows: Row[], baseline?: string): void {
  const names = [...new Set(rows.map((r) => r.name))];
  const stats = names.map((name) => {
    const runs = rows.filter((r) => r.name === name);
    return {
      name,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      cpu: median(runs.map((r) => r.cpuPerRequest)),
      bad: runs.reduce((n, r) => n + r.mismatches + r.failures, 0),
      runs: runs.length,
    };
  });
  const base = stats.find((s) => s.name === baseline);
  console.log(`\n${title} (medians of ${stats[0]?.runs ?? 0} runs)`);
  console.log('| gateway | req/s | p50 ms | p99 ms | CPU ms/req | ratio | bad answers |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of stats) {
    const ratio = base ? `${(s.rps / base.rps).toFixed(2)}x` : '';
    console.log(`| ${s.name} | ${s.rps.toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.cpu.toFixed(2)} | ${ratio} | ${s.bad} |`);
  }
  console.log(`JSON ${JSON.stringify({ title, date: new Date().toISOString(), stats })}`);
}

async function guild(): Promise<void> {
  // The subgraphs run in a process of their own, so that their CPU time and the load generator's are told apart.
  const subgraphPort = await freePort();
  const subgraphs = startProcess('bench/guild/subgraphs.ts', { PORT: String(subgraphPort) });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${subgraphPort}/health`)).ok, 'guild subgraphs', subgraphs);
  others = { subgraphs: subgraphs.pid! };
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeGuildSupergraph(`http://127.0.0.1:${subgraphPort}`));
  const body = JSON.stringify({ query: readFileSync(join(ROOT, 'bench/guild/query.graphql'), 'utf8') });
  const variants: Record<string, { label: string; entry: string; env: NodeJS.ProcessEnv; path: string; ready: string }> = {
    stock: { label: 'stock @apollo/gateway 2.14', entry: 'bench/guild/stock-gateway.ts', env: {}, path: '/', ready: '/' },
    off: { label: 'this gateway, sharing off', entry: 'gateway/src/main.ts', env: SHARING_OFF, path: '/graphql', ready: '/ready' },
    on: { label: 'this gateway, sharing on', entry: 'gateway/src/main.ts', env: {}, path: '/graphql', ready: '/ready' },
  };
  // Our gateway once per GATEWAY_WORKERS value asked for; the label says which.
  const workerCounts = args.workers.split(',').filter(Boolean);
  for (const key of ['off', 'on']) {
    const base = variants[key]!;
    delete variants[key];
    for (const workers of workerCounts) {
      variants[`${key}:${workers}`] = { ...base, label: `${base.label}, GATEWAY_WORKERS=${workers}`, env: { ...base.env, GATEWAY_WORKERS: workers } };
    }
  }
  const chosen = Object.keys(variants).filter((v) => args.only.split(',').includes(v.split(':')[0]!));
  let expected: Buffer | undefined;
  const rows: Row[] = [];
  console.log(`Guild query: ${CONNECTIONS} connections, ${DURATION_MS / 1000} s per run after ${WARMUP_MS / 1000} s warm-up, ${ROUNDS} rounds`);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const key of chosen) {
        const variant = variants[key]!;
        const port = await freePort();
        // Our gateway answers readiness on its metrics port only (the service kit); stock answers on its public one.
        const metricsPort = await freePort();
        const child = startProcess(variant.entry, {
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          HOST: '127.0.0.1',
          SUPERGRAPH_PATH: supergraphPath,
          REDIS_URL: process.env.REDIS_URL ?? TEST_REDIS_URL,
          LOG_LEVEL: 'warn',
          RATE_LIMIT_PER_MINUTE: '100000000',
          RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
          // The Guild query asks for every product's reviews' authors' reviews: ~98,600 by our cost estimate, past the default limit.
          MAX_QUERY_COST: '1000000',
          APOLLO_TELEMETRY_DISABLED: 'true',
          NODE_ENV: 'development',
          ...variant.env,
        }, key === 'stock' ? [] : profileFlags(`guild-${key.replace(':', '-w')}`));
        const url = `http://127.0.0.1:${port}${variant.path}`;
        try {
          await waitFor(async () => (await fetch(`http://127.0.0.1:${key === 'stock' ? port : metricsPort}${variant.ready}`, { method: key === 'stock' ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: key === 'stock' ? body : undefined })).ok, variant.label, child);
          if (!expected) {
            const first = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            expected = Buffer.from(await first.arrayBuffer());
            if (first.status !== 200 || JSON.parse(expected.toString()).errors) throw new Error(`the first answer is not a clean one: ${expected.toString().slice(0, 500)}`);
            console.log(`  expected answer: ${expected.length} bytes, from ${variant.label}`);
          }
          rows.push(
            await measure(variant.label, child.pid!, { url, body, expected, durationMs: DURATION_MS, connections: CONNECTIONS }, key === 'stock' ? undefined : `http://127.0.0.1:${metricsPort}`),
          );
        } finally {
          await stopProcess(child);
        }
      }
    }
  } finally {
    await stopProcess(subgraphs);
  }
  printTable('Guild federation benchmark query', rows, variants.stock!.label);
}

/** Waits until the machine is at rest (under a fifth of a core busy over half a second, /proc/stat), at most 20 s. */
async function settle(): Promise<void> {
  const busy = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const idle = fields[3]! + fields[4]!;
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const before = busy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = busy();
    const cores = availableParallelism();
    const usedCores = (1 - (after.idle - before.idle) / Math.max(1, after.total - before.total)) * cores;
    if (usedCores < 0.2) return;
  }
}

async function contract(): Promise<void> {
  const demo = loadDemoData();
  const operations = {
    StockLevels: readFileSync(join(ROOT, 'schema/operations/StockLevels.graphql'), 'utf8'),
    ProductPage: readFileSync(join(ROOT, 'schema/operations/ProductPage.graphql'), 'utf8'),
  };
  const stockBody = JSON.stringify({ query: operations.StockLevels, operationName: 'StockLevels', variables: { skus: demo.stock.slice(0, 5).map((s) => s.sku) } });
  const pageBody = JSON.stringify({ query: operations.ProductPage, operationName: 'ProductPage', variables: { id: demo.products[0]!.id } });
  others = {};
  console.log(`\nContract reads on the full stack: StockLevels open loop at ${STOCK_RATE}/s, ProductPage closed loop with ${CONNECTIONS} connections`);
  // A shared machine can take more than the tests' minute to start five services.
  const stack = await startTestStack({ LOG_LEVEL: 'warn' }, { startTimeoutMs: 240_000 });
  const rows: Row[] = [];
  try {
    await stack.gateway.stop();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [label, env] of (
        [
          ['sharing off', SHARING_OFF],
          ['sharing on', {}],
        ] as const
      ).filter(([label]) => args.sharing.split(',').includes(label.slice('sharing '.length)))) {
        const profiled = args.profile || args['node-args'] ? { NODE_OPTIONS: `${stack.gateway.env.NODE_OPTIONS ?? ''} ${profileFlags(`contract-${label.replace(' ', '-')}`).join(' ')}`.trim() } : {};
        // Each phase starts on a stack at rest: the subgraphs, PostgreSQL and this process finish what the last phase left.
        await settle();
        const gateway = new ServiceProcess(stack.gateway.spec, { ...stack.gateway.env, ...env, ...profiled });
        await gateway.start(240_000);
        try {
          for (const [name, body, extra] of (
            [
              ['StockLevels', stockBody, { rate: STOCK_RATE, connections: 256 }],
              ['ProductPage', pageBody, { connections: CONNECTIONS }],
            ] as const
          ).filter(([name]) => args.operations.split(',').includes(name))) {
            const first = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            const expected = Buffer.from(await first.arrayBuffer());
            if (JSON.parse(expected.toString()).errors) throw new Error(`${name}: ${expected.toString().slice(0, 500)}`);
            rows.push(await measure(`${name}, ${label}`, gateway.child!.pid!, { url: gateway.url, body, expected, durationMs: DURATION_MS, ...extra }, gateway.metricsUrl));
          }
        } finally {
          await gateway.stop();
        }
      }
    }
  } finally {
    await stack.stop();
  }
  printTable('Contract reads through this gateway', rows);
}

if (PARTS.has('guild')) await guild();
if (PARTS.has('contract')) await contract();
