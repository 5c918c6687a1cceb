/**
 * Micro-benchmark of the reserve path on ONE hot sku against real
 * PostgreSQL (and Redis for the cache and pub/sub when reachable): the naive
 * design (one transaction per reservation, all queuing for the sku's row
 * lock) against the batched one (ReservationBatcher). Not a test: it prints
 * figures.
 *
 *   node subgraphs/inventory/bench/reserve.bench.ts
 *
 * Environment (all optional):
 *   ATTEMPTS      reservations per run                       (5000)
 *   STOCK         units of the hot sku at the start          (80% of ATTEMPTS)
 *   CONCURRENCY   closed loop: reservations in flight        (200)
 *   RATE          open loop: reservations started per second (1000; 0 skips the open-loop runs)
 *   POOL          PostgreSQL connections                     (10, the service default)
 *   SAGA          1: commit every successful reservation, as the orders saga does after payment
 *   DATABASE_URL / TEST_DATABASE_URL, REDIS_URL / TEST_REDIS_URL
 *
 * Every run ends with the oversell check: initial stock = available +
 * reserved + sold (sold = committed units), and reserved + sold = the
 * units the successful reservations hold.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  createKeyValueStore,
  createLogger,
  createPubSub,
  migrateDatabase,
  RedisKeyValueStore,
  sql,
  type KeyValueStore,
  type PubSub,
} from '@shop/platform';
import { dropSchema, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSchemaName } from '@shop/platform/testing';
import { ReservationBatcher } from '../src/reservation/reservation.batcher.ts';
import { ReservationService, type ReserveOutcome } from '../src/reservation/reservation.service.ts';
import { openDatabase } from '../src/server.ts';
import { StockCache } from '../src/stock/stock.cache.ts';
import { StockEvents } from '../src/stock/stock.events.ts';
import { StockNotifier } from '../src/stock/stock.notifier.ts';

const ATTEMPTS = Number(process.env.ATTEMPTS ?? 5_000);
const STOCK = Number(process.env.STOCK ?? Math.floor(ATTEMPTS * 0.8));
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 200);
const RATE = Number(process.env.RATE ?? 1_000);
const POOL = Number(process.env.POOL ?? 10);
const SAGA = process.env.SAGA === '1';

type Design = 'naive' | 'batched';
type Load = { kind: 'closed'; concurrency: number } | { kind: 'open'; rate: number };

interface RunResult {
  design: Design;
  load: string;
  wallMs: number;
  latencies: number[];
  reserved: number;
  insufficient: number;
  errors: number;
  transactions: number;
  check: string;
}

async function connectStores(): Promise<{ store: KeyValueStore; pubsub: PubSub; redis: string }> {
  const url = process.env.REDIS_URL ?? TEST_REDIS_URL;
  const store = createKeyValueStore(url, 'inventory-bench');
  if (store instanceof RedisKeyValueStore) {
    store.redis.on('error', () => {});
    const ready = await Promise.race([
      once(store.redis, 'ready').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    if (ready) {
      const pubsub = createPubSub(url, 'inventory-bench');
      // Its publishing connection, too, fails fast until connected.
      for (let i = 0; i < 200; i++) if (await pubsub.publish('inventory-bench:probe', '').then(() => true, () => false)) break;
      return { store, pubsub, redis: url };
    }
    await store.close();
  }
  return { store: createKeyValueStore(undefined, 'inventory-bench'), pubsub: createPubSub(undefined, 'inventory-bench'), redis: 'in-process stand-in' };
}

async function run(design: Design, load: Load): Promise<RunResult> {
  const schema = uniqueSchemaName('inventory_bench');
  // Its own sku: the Redis cache outlives a run, and a sold-out level would turn the next run away.
  const SKU = `BENCH-HOT-${randomUUID()}`;
  let transactions = 0;
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: POOL, onQuery: (q) => q === 'begin' && (transactions += 1) });
  const { store, pubsub } = await connectStores();
  try {
    await migrateDatabase(orm, schema, TEST_DATABASE_URL);
    await sql(orm.em.fork(), `insert into "${schema}".stock (sku, available) values (?, ?)`, [SKU, STOCK]);
    const logger = createLogger('inventory-bench', 'silent');
    const notifier = new StockNotifier(new StockCache(store, logger), new StockEvents(pubsub, logger));
    const batcher = design === 'batched' ? new ReservationBatcher(orm, notifier) : undefined;
    const deps = { notifier, ...(batcher ? { batcher } : {}) };
    transactions = 0;

    const latencies: number[] = [];
    const counts = { reserved: 0, insufficient: 0, errors: 0 };
    const attempt = async () => {
      const orderId = randomUUID();
      const startedAt = performance.now();
      let outcome: ReserveOutcome | undefined;
      try {
        // A fresh service per call, as per request in the server.
        outcome = await new ReservationService(orm.em.fork(), deps).reserve(orderId, [{ sku: SKU, quantity: 1 }], 900_000);
        if (outcome.kind === 'reserved') counts.reserved += 1;
        else counts.insufficient += 1;
      } catch {
        counts.errors += 1;
      }
      latencies.push(performance.now() - startedAt);
      if (SAGA && outcome?.kind === 'reserved') await new ReservationService(orm.em.fork(), deps).commit(orderId).catch(() => (counts.errors += 1));
    };

    const startedAt = performance.now();
    if (load.kind === 'closed') {
      let started = 0;
      await Promise.all(
        Array.from({ length: load.concurrency }, async () => {
          while (started < ATTEMPTS) {
            started += 1;
            await attempt();
          }
        }),
      );
    } else {
      // Open loop: start attempts on schedule whatever the ones before them are doing, as a crowd does.
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < ATTEMPTS; i++) {
        const due = startedAt + (i * 1000) / load.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(attempt());
      }
      await Promise.all(inFlight);
    }
    const wallMs = performance.now() - startedAt;
    await batcher?.drain();

    const [row] = await sql<{ available: number; reserved: number }>(orm.em.fork(), `select available, reserved from "${schema}".stock where sku = ?`, [SKU]);
    const [held] = await sql<{ held: number; sold: number }>(
      orm.em.fork(),
      `select coalesce(sum(quantity) filter (where status = 'HELD'), 0)::int as held,
              coalesce(sum(quantity) filter (where status = 'COMMITTED'), 0)::int as sold
         from "${schema}".reservations where sku = ?`,
      [SKU],
    );
    const available = Number(row?.available);
    const reserved = Number(row?.reserved);
    const sold = held?.sold ?? 0;
    const balanced = available + reserved + sold === STOCK && reserved === held?.held && reserved + sold === counts.reserved && available >= 0;
    const check = `${STOCK} = ${available} + ${reserved} + ${sold} ${balanced ? 'OK' : 'MISMATCH'}`;
    return { design, load: load.kind === 'closed' ? `closed c=${load.concurrency}` : `open ${load.rate}/s`, wallMs, latencies, ...counts, transactions, check };
  } finally {
    await pubsub.close();
    await store.close();
    await orm.close();
    await dropSchema(schema);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function print(results: readonly RunResult[]): void {
  const rows = results.map((r) => {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    return {
      design: r.design,
      load: r.load,
      'attempts/s': Math.round((r.latencies.length / r.wallMs) * 1000),
      'p50 ms': percentile(sorted, 50).toFixed(1),
      'p95 ms': percentile(sorted, 95).toFixed(1),
      'p99 ms': percentile(sorted, 99).toFixed(1),
      reserved: r.reserved,
      insufficient: r.insufficient,
      errors: r.errors,
      transactions: r.transactions,
      'initial = available + reserved + sold': r.check,
    };
  });
  console.table(rows);
}

const { redis } = await connectStores().then(async (s) => {
  await s.pubsub.close();
  await s.store.close();
  return s;
});
console.log(
  `reserve on one hot sku: ${ATTEMPTS} attempts of 1 unit against ${STOCK} units, pool ${POOL}, ` +
    `PostgreSQL ${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//')}, cache/pubsub ${redis}${SAGA ? ', each success committed (saga)' : ''}`,
);
const results: RunResult[] = [];
const loads: Load[] = [{ kind: 'closed', concurrency: CONCURRENCY }, ...(RATE > 0 ? [{ kind: 'open', rate: RATE } as const] : [])];
for (const load of loads) {
  for (const design of ['naive', 'batched'] as const) {
    results.push(await run(design, load));
  }
}
print(results);
