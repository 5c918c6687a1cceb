/**
 * `npm run bench:checkout`: what one checkout costs, and what a crowd gets.
 *
 * Starts the whole stack once (five subgraphs + gateway as real processes,
 * real PostgreSQL in a database of its own, `bench_checkout`, and the Redis
 * of TEST_REDIS_URL), signs BUYERS buyers up once and reuses their tokens.
 * Each buyer is a distinct client: its own X-Forwarded-For address
 * (198.18.0.0/15) and its own access token. Payment tokens are written
 * straight into the sandbox provider's vault (one single-use token per
 * attempt; creating 20,000 through the API would take minutes and is not what
 * is measured).
 *
 * For each checkout mode (orders restarted with CHECKOUT_MODE=<mode>), in the
 * order A B A B (`--rounds 2`), it runs:
 *  1. closed loop: INFLIGHT checkouts in flight, CLOSED orders of one unit of
 *     a sku with ample stock; completed/s, p50/p99, and around that window
 *     the CPU ms per checkout of every process (from /proc/<pid>/stat: the
 *     gateway, the five subgraphs, the PostgreSQL backends of the bench
 *     database, redis-server, the load generator apart) and the SQL
 *     statements per checkout (every pg `Client.query` of the services,
 *     counted by bench/lib/count-sql.ts);
 *  2. flash sale, open loop: RATE PlaceOrder/s for SECONDS s at a sku holding
 *     UNITS units; answers placed / out of stock / refused as retryable /
 *     anything else, p99 over all answers, the oversell check, and the time
 *     from the end of the sale until every placed order is captured.
 *
 *   npm run bench:checkout -- --modes naive,batched --rounds 2
 *   npm run bench:checkout -- --profile orders,gateway   # those processes run with --cpu-prof (profiles in .bench/profile-<mode>/<process>/)
 *
 * Figures, not a test: it never fails on a threshold. Run it under
 * `flock /tmp/bench.lock` on a shared machine.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { pool } from './lib/load.ts';
import { percentile } from './load.ts';

const { values: args } = parseArgs({
  options: {
    modes: { type: 'string', default: 'naive,batched' },
    rounds: { type: 'string', default: '2' },
    closed: { type: 'string', default: '600' },
    inflight: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    units: { type: 'string', default: '300' },
    buyers: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '600' },
    phases: { type: 'string', default: 'closed,flash' },
    profile: { type: 'string', default: '' },
  },
});
const MODES = args.modes!.split(',');
const ROUNDS = Number(args.rounds);
const CLOSED = Number(args.closed);
const INFLIGHT = Number(args.inflight);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const UNITS = Number(args.units);
const BUYERS = Number(args.buyers);
const WARMUP = Number(args.warmup);
const PHASES = new Set(args.phases!.split(','));
const PROFILED = new Set(args.profile!.split(',').filter(Boolean));
const ROOT = new URL('..', import.meta.url).pathname;
const WORK_DIR = join(ROOT, '.bench');
const SQL_DIR = join(WORK_DIR, 'sql-counts');

// The stack's database: one of its own, so its PostgreSQL backends (and nothing else) are ours.
const BASE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'bench_checkout';
const benchDbUrl = new URL(BASE_DB);
benchDbUrl.pathname = `/${BENCH_DB}`;
{
  const admin = new pg.Client({ connectionString: BASE_DB });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DB]);
  if (exists.rowCount === 0) await admin.query(`create database ${BENCH_DB}`);
  await admin.end();
}
process.env.TEST_DATABASE_URL = benchDbUrl.toString();
const { startTestStack } = await import('@shop/platform/testing');
const { DEMO_PASSWORD, loadDemoData } = await import('@shop/platform');

const PLACE_ORDER = readFileSync(join(ROOT, 'schema/operations/PlaceOrder.graphql'), 'utf8');

interface Buyer {
  token: string;
  userId: string;
  ip: string;
}

interface Answer {
  ms: number;
  kind: 'placed' | 'out_of_stock' | 'declined' | 'retryable' | string;
  /** Flash sale: the second of the sale the attempt was sent in (0-based). */
  second?: number;
}


function clientAddress(i: number): string {
  return `198.18.${(i >> 8) & 255}.${i & 255}`;
}

// ---- CPU accounting from /proc ----
const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

type Sample = Map<string, Map<number, number>>;

async function sampleCpu(pids: Record<string, number[]>): Promise<Sample> {
  const sample: Sample = new Map();
  for (const [name, list] of Object.entries(pids)) {
    const m = new Map<number, number>();
    for (const pid of list) {
      const t = cpuTicks(pid);
      if (t !== null) m.set(pid, t);
    }
    sample.set(name, m);
  }
  return sample;
}

function cpuMsBetween(before: Sample, after: Sample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, end] of after) {
    const start = before.get(name) ?? new Map();
    let ticks = 0;
    // A backend that appeared during the window started at zero.
    for (const [pid, t] of end) ticks += t - (start.get(pid) ?? 0);
    out[name] = ticks * TICK_MS;
  }
  return out;
}

/** Statements sent so far by the running services: each writes its count when signalled (bench/lib/count-sql.ts). */
async function sqlStatements(): Promise<number> {
  // Only processes started with the counter preloaded: SIGUSR2 would end any other.
  const pids = Object.entries(processPids()).flatMap(([name, p]) => (processOf(name).env.NODE_OPTIONS?.includes('count-sql') ? p : []));
  for (const pid of pids) rmSync(join(SQL_DIR, String(pid)), { force: true });
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 5_000;
  let total = 0;
  for (const pid of pids) {
    const file = join(SQL_DIR, String(pid));
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`process ${pid} did not write its SQL count`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    total += Number(readFileSync(file, 'utf8'));
  }
  return total;
}

// ---- the stack ----
rmSync(SQL_DIR, { recursive: true, force: true });
mkdirSync(SQL_DIR, { recursive: true });
process.stderr.write('starting the stack...\n');
const stack = await startTestStack({
  LOG_LEVEL: 'error',
  DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '10',
  RATE_LIMIT_PER_MINUTE: '100000000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
  CHECKOUT_MODE: MODES[0]!,
  BENCH_SQL_COUNT_DIR: SQL_DIR,
  NODE_OPTIONS: `--import ${join(ROOT, 'bench/lib/count-sql.ts')}`,
});
const db = new pg.Client({ connectionString: benchDbUrl.toString() });
await db.connect();
const redisUrl = stack.gateway.env.REDIS_URL!;
const redis = new Redis(redisUrl);
const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
const gatewayUrl = new URL(stack.url);
const http = new Pool(gatewayUrl.origin, { connections: 512, pipelining: 1, keepAliveTimeout: 60_000 });
const loadgenCpu = () => process.cpuUsage();

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await http.request({
    method: 'POST',
    path: gatewayUrl.pathname,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: JSON.parse(text) as { data?: any; errors?: any[] } };
}


async function signUp(i: number): Promise<Buyer> {
  const email = `bench-${i}-${randomBytes(4).toString('hex')}@buyers.test`;
  const ip = clientAddress(i);
  const { body } = await post(
    'mutation SignUp($email: String!, $password: String!, $name: String!) { signUp(input: { email: $email, password: $password, name: $name }) { accessToken user { id } } }',
    { email, password: 'correct-horse-battery', name: `bench ${i}` },
    { 'x-forwarded-for': ip },
  );
  if (!body.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(body.errors)}`);
  return { token: body.data.signUp.accessToken, userId: body.data.signUp.user.id, ip };
}

/** One single-use sandbox payment token per attempt, written straight into the provider's vault. */
async function paymentTokens(buyers: readonly Buyer[], count: number): Promise<string[]> {
  const tokens = Array.from({ length: count }, () => `tok_bench_${randomBytes(18).toString('base64url')}`);
  const now = new Date();
  await db.query(
    `insert into "${stack.schemas.payments}".sandbox_tokens (token_hash, customer_id, brand, last4, scenario, created_at, expires_at)
     select h, c, 'visa', '4242', 'approve', $3, $4 from unnest($1::text[], $2::uuid[]) as t(h, c)`,
    [tokens.map((t) => createHash('sha256').update(t).digest('hex')), tokens.map((_, i) => buyers[i % buyers.length]!.userId), now, new Date(now.getTime() + 60 * 60 * 1000)],
  );
  return tokens;
}

async function placeOrder(buyer: Buyer, sku: string, paymentToken: string, key: string): Promise<Answer> {
  const sent = performance.now();
  try {
    const { status, body } = await post(PLACE_ORDER, { items: [{ sku, quantity: 1 }], paymentToken, idempotencyKey: key }, {
      authorization: `Bearer ${buyer.token}`,
      'x-forwarded-for': buyer.ip,
    });
    const ms = performance.now() - sent;
    if (status === 429 || status === 503) return { ms, kind: 'retryable' };
    const error = body.errors?.[0];
    if (error) return { ms, kind: error.extensions?.code === 'SERVICE_UNAVAILABLE' && error.extensions?.retryAfter !== undefined ? 'retryable' : `error:${error.extensions?.code ?? status}` };
    const typename = body.data?.placeOrder?.__typename;
    return { ms, kind: typename === 'OrderPlaced' ? 'placed' : typename === 'InsufficientStock' ? 'out_of_stock' : typename === 'PaymentDeclined' ? 'declined' : `other:${typename}` };
  } catch (error) {
    return { ms: performance.now() - sent, kind: `error:${(error as Error).message.slice(0, 40)}` };
  }
}

async function setStock(sku: string, units: number) {
  await db.query(`update "${stack.schemas.inventory}".stock set available = 0, reserved = 0 where sku = $1`, [sku]);
  const { body } = await post('mutation Restock($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { available } }', { sku, quantity: units }, { authorization: `Bearer ${adminToken}` });
  if (!body.data?.restock) throw new Error(`restock failed: ${JSON.stringify(body.errors)}`);
}

function processPids(): Record<string, number[]> {
  const pids: Record<string, number[]> = { gateway: [stack.gateway.child!.pid!] };
  for (const [name, proc] of Object.entries(stack.subgraphs)) pids[name] = [proc.child!.pid!];
  return pids;
}

async function backendPids(): Promise<number[]> {
  const { rows } = await db.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [BENCH_DB]);
  return rows.map((r) => r.pid as number);
}

const processOf = (name: string) => (name === 'gateway' ? stack.gateway : stack.subgraphs[name]!);
const baseNodeOptions = new Map(Object.keys(processPids()).map((name) => [name, processOf(name).env.NODE_OPTIONS ?? '']));

/** Restarts the processes to profile (with --cpu-prof) and orders (in `mode`); each profile covers one mode's phases. */
async function restartFor(mode: string) {
  const names = new Set([...PROFILED, 'orders']);
  for (const name of names) {
    const proc = processOf(name);
    await proc.stop();
    if (name === 'orders') proc.env.CHECKOUT_MODE = mode;
    proc.env.NODE_OPTIONS = PROFILED.has(name) ? `${baseNodeOptions.get(name)} --cpu-prof --cpu-prof-dir=${join(WORK_DIR, `profile-${mode}`, name)}`.trim() : baseNodeOptions.get(name)!;
  }
  await Promise.all([...names].map((name) => processOf(name).start()));
}

/**
 * Waits until every checkout of the sale has settled (saga DONE: captured and
 * committed, or called off); returns the seconds waited (null after 120 s)
 * and how many of the sale's orders have a captured payment.
 */
async function secondsUntilSettled(since: Date): Promise<{ seconds: number | null; captured: number }> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query(`select count(*)::int as n from "${stack.schemas.orders}".orders where saga_step <> 'DONE' and placed_at >= $1`, [since]);
    const settled = rows[0].n === 0;
    if (settled || performance.now() - started > 120_000) {
      // Only the sale's own orders: the closed loop's last payments may also be younger than `since`.
      const { rows: captured } = await db.query(
        `select count(*)::int as n from "${stack.schemas.payments}".payments p
          where p.status = 'CAPTURED' and p.order_id in (
            select o.id from "${stack.schemas.orders}".orders o join "${stack.schemas.orders}".order_items i on i.order_id = o.id where i.sku = $2 and o.placed_at >= $1)`,
        [since, HOT_SKU],
      );
      return { seconds: settled ? (performance.now() - started) / 1000 : null, captured: captured[0].n as number };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---- setup (not measured) ----
const demo = loadDemoData();
const HOT_SKU = demo.stock[3]!.sku;
const AMPLE_SKU = demo.stock[4]!.sku;
const { body: adminBody } = await post('mutation SignIn($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { accessToken } }', {
  email: 'admin@demo.shop',
  password: DEMO_PASSWORD,
});
const adminToken: string = adminBody.data.signIn.accessToken;
process.stderr.write(`signing ${BUYERS} buyers up...\n`);
const buyers = await pool(BUYERS, 8, signUp);

/**
 * Before each round, WARMUP checkouts (32 in flight, not measured): a process
 * just (re)started runs its first few hundred checkouts unoptimized by V8, and
 * a service runs for hours. Measured 2026-12-02 21:03 UTC: with 64 warm-up
 * checkouts the first round cost 6.8 ms of stack CPU per checkout and the
 * second, same processes, 4.6 ms.
 */
async function warmUp(mode: string) {
  if (WARMUP <= 0) return;
  await setStock(AMPLE_SKU, 1_000_000);
  const tokens = await paymentTokens(buyers, WARMUP);
  const run = `${mode}-${randomBytes(3).toString('hex')}`;
  await pool(WARMUP, INFLIGHT, (i) => placeOrder(buyers[i % buyers.length]!, AMPLE_SKU, tokens[i]!, `warm-${run}-${i}`));
  await new Promise((resolve) => setTimeout(resolve, 500));
}

async function closedLoop(mode: string) {
  await setStock(AMPLE_SKU, 1_000_000);
  const tokens = await paymentTokens(buyers, CLOSED);
  const run = `${mode}-${randomBytes(3).toString('hex')}`;

  const pids = { ...processPids(), postgres: await backendPids(), redis: [redisPid] };
  const sqlBefore = await sqlStatements();
  const cpuBefore = await sampleCpu(pids);
  const loadBefore = loadgenCpu();
  const started = performance.now();
  const answers = await pool(CLOSED, INFLIGHT, (i) => placeOrder(buyers[i % buyers.length]!, AMPLE_SKU, tokens[i]!, `closed-${run}-${i}`));
  const seconds = (performance.now() - started) / 1000;
  const pidsAfter = { ...pids, postgres: await backendPids() };
  const cpuAfter = await sampleCpu(pidsAfter);
  const load = process.cpuUsage(loadBefore);
  const statements = (await sqlStatements()) - sqlBefore;

  const completed = answers.filter((a) => a.kind === 'placed').length;
  const cpu = cpuMsBetween(cpuBefore, cpuAfter);
  const perCheckout: Record<string, number> = {};
  for (const [name, ms] of Object.entries(cpu)) perCheckout[name] = ms / Math.max(1, completed);
  const stackTotal = Object.values(perCheckout).reduce((a, b) => a + b, 0);
  const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    mode,
    completed,
    others: countKinds(answers.filter((a) => a.kind !== 'placed')),
    perSecond: completed / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerCheckout: { ...perCheckout, stack: stackTotal, loadgen: (load.user + load.system) / 1000 / Math.max(1, completed) } as Record<string, number>,
    sqlPerCheckout: statements / Math.max(1, completed),
  };
}

async function flashSale(mode: string) {
  await setStock(HOT_SKU, UNITS);
  const attempts = RATE * SECONDS;
  const tokens = await paymentTokens(buyers, attempts);
  const run = `${mode}-${randomBytes(3).toString('hex')}`;
  const since = new Date(Date.now() - 1000);
  const answers: Answer[] = [];
  const inFlight: Promise<void>[] = [];
  const pids = { ...processPids(), postgres: await backendPids(), redis: [redisPid] };
  const cpuBefore = await sampleCpu(pids);
  const loadBefore = loadgenCpu();
  const started = performance.now();
  for (let i = 0; i < attempts; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(placeOrder(buyers[i % buyers.length]!, HOT_SKU, tokens[i]!, `flash-${run}-${i}`).then((a) => void answers.push({ ...a, second: Math.floor(i / RATE) })));
  }
  const offeredFor = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  // CPU per attempt answered, from the first call to the last answer (the capture that follows is not in it).
  const cpu = cpuMsBetween(cpuBefore, await sampleCpu({ ...pids, postgres: await backendPids() }));
  const load = process.cpuUsage(loadBefore);
  const cpuMsPerAttempt: Record<string, number> = {};
  for (const [name, ms] of Object.entries(cpu)) cpuMsPerAttempt[name] = ms / attempts;
  cpuMsPerAttempt.stack = Object.values(cpuMsPerAttempt).reduce((a, b) => a + b, 0);
  cpuMsPerAttempt.loadgen = (load.user + load.system) / 1000 / attempts;
  const placed = answers.filter((a) => a.kind === 'placed').length;
  // Every checkout settled (captured and committed, or called off) before the stock row is read.
  const capture = await secondsUntilSettled(since);
  const [stock] = (await db.query(`select available, reserved from "${stack.schemas.inventory}".stock where sku = $1`, [HOT_SKU])).rows;
  const [{ sold }] = (
    await db.query(
      `select coalesce(sum(i.quantity), 0)::int as sold from "${stack.schemas.orders}".order_items i join "${stack.schemas.orders}".orders o on o.id = i.order_id
        where o.status = 'CONFIRMED' and i.sku = $1 and o.placed_at >= $2`,
      [HOT_SKU, since],
    )
  ).rows;
  const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    mode,
    offeredPerSecond: attempts / offeredFor,
    kinds: countKinds(answers),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    sold: sold as number,
    available: stock.available as number,
    reserved: stock.reserved as number,
    oversold: Math.max(0, (sold as number) - UNITS),
    consistent: stock.available + stock.reserved + sold === UNITS && stock.available >= 0,
    placed,
    captured: capture.captured,
    secondsUntilCaptured: capture.seconds,
    cpuMsPerAttempt,
    // Where the tail is: p99 of each kind of answer, and of the attempts sent in each second of the sale.
    p99ByKind: p99By(answers, (a) => a.kind),
    p99BySecond: p99By(answers, (a) => String(a.second)),
  };
}

function p99By(answers: readonly Answer[], group: (a: Answer) => string): Record<string, { n: number; p99: number }> {
  const groups = new Map<string, number[]>();
  for (const a of answers) groups.set(group(a), [...(groups.get(group(a)) ?? []), a.ms]);
  return Object.fromEntries([...groups].map(([key, ms]) => [key, { n: ms.length, p99: Math.round(percentile(ms.sort((x, y) => x - y), 99)) }]));
}

function countKinds(answers: readonly Answer[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const a of answers) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
  return kinds;
}

const closedResults: Awaited<ReturnType<typeof closedLoop>>[] = [];
const flashResults: Awaited<ReturnType<typeof flashSale>>[] = [];
try {
  let current = MODES[0]!;
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      if (mode !== current || PROFILED.size) await restartFor(mode);
      current = mode;
      process.stderr.write(`round ${round + 1}, ${mode}: ${WARMUP} warm-up checkouts...\n`);
      await warmUp(mode);
      if (PHASES.has('closed')) {
        process.stderr.write(`round ${round + 1}, ${mode}: closed loop...\n`);
        closedResults.push(await closedLoop(mode));
        process.stderr.write(`${JSON.stringify(closedResults.at(-1))}\n`);
      }
      if (PHASES.has('flash')) {
        process.stderr.write(`round ${round + 1}, ${mode}: flash sale...\n`);
        flashResults.push(await flashSale(mode));
        process.stderr.write(`${JSON.stringify(flashResults.at(-1))}\n`);
      }
    }
  }
  for (const name of PROFILED) await processOf(name).stop();
} finally {
  await http.close();
  redis.disconnect();
  await db.end();
  await stack.stop();
}

// ---- report: medians over the rounds ----
const median = (values: number[]) => {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const names = ['gateway', 'accounts', 'products', 'orders', 'inventory', 'payments', 'postgres', 'redis', 'stack', 'loadgen'];
console.log(`\nCheckout benchmark, ${new Date().toISOString().slice(0, 10)}: medians of ${ROUNDS} round(s) per mode, modes run in turn (A B A B).`);
if (closedResults.length) {
  console.log(`\nClosed loop: ${INFLIGHT} in flight, ${CLOSED} orders of 1 unit, ample stock. CPU ms per completed checkout.`);
  console.log(`| mode | completed/s | p50 ms | p99 ms | SQL/checkout | ${names.join(' | ')} |`);
  console.log(`|---|---|---|---|---|${names.map(() => '---').join('|')}|`);
  for (const mode of MODES) {
    const rs = closedResults.filter((r) => r.mode === mode);
    const cpu = names.map((n) => f(median(rs.map((r) => r.cpuMsPerCheckout[n] ?? Number.NaN)), 1));
    console.log(`| ${mode} | ${f(median(rs.map((r) => r.perSecond)))} | ${f(median(rs.map((r) => r.p50)))} | ${f(median(rs.map((r) => r.p99)))} | ${f(median(rs.map((r) => r.sqlPerCheckout)), 1)} | ${cpu.join(' | ')} |`);
  }
}
if (flashResults.length) {
  console.log(`\nFlash sale: ${RATE} PlaceOrder/s offered for ${SECONDS} s (open loop) at one sku holding ${UNITS} units, ${BUYERS} buyers (distinct clients).`);
  console.log('| mode | offered/s | placed | out of stock | retryable | other | p50 ms | p99 ms | sold | oversold | stock consistent | all settled (captured, committed) after s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of flashResults) {
    const other = Object.entries(r.kinds).filter(([k]) => !['placed', 'out_of_stock', 'retryable'].includes(k));
    console.log(
      `| ${r.mode} | ${f(r.offeredPerSecond)} | ${r.kinds.placed ?? 0} | ${r.kinds.out_of_stock ?? 0} | ${r.kinds.retryable ?? 0} | ${other.map(([k, v]) => `${v} ${k}`).join(', ') || 0} | ${f(r.p50)} | ${f(r.p99)} | ${r.sold} | ${r.oversold} | ${r.consistent ? 'yes' : `NO (${r.available} + ${r.reserved} reserved + ${r.sold})`} | ${r.secondsUntilCaptured === null ? `not within 120 s (${r.captured} captured / ${r.placed} answered placed)` : f(r.secondsUntilCaptured, 1)} |`,
    );
  }
}
if (flashResults.length) {
  console.log('\nFlash sale: CPU ms per attempt answered (first call to last answer), by process.');
  console.log(`| mode | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---').join('|')}|`);
  for (const r of flashResults) console.log(`| ${r.mode} | ${names.map((n) => f(r.cpuMsPerAttempt[n] ?? Number.NaN, 2)).join(' | ')} |`);
  console.log('\nFlash sale: where the tail is, p99 ms (answers) by kind of answer and by the second of the sale the attempt was sent in.');
  for (const r of flashResults) {
    const show = (groups: Record<string, { n: number; p99: number }>) => Object.entries(groups).map(([k, g]) => `${k} ${g.p99} (${g.n})`).join(', ');
    console.log(`- ${r.mode}: ${show(r.p99ByKind)}; by second: ${show(r.p99BySecond)}`);
  }
}
console.log(JSON.stringify({ bench: 'checkout', date: new Date().toISOString(), closed: closedResults, flash: flashResults }));
