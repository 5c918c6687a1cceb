/**
 * `npm run bench`: a flash sale through the gateway on this machine.
 *
 * For each inventory design (the batched hot-sku path we ship, then the naive
 * one-transaction-per-reservation baseline, RESERVATION_BATCHING=false) it
 * starts the whole stack (five subgraphs + gateway, real PostgreSQL and
 * Redis), puts UNITS units on one hot sku, and offers ATTEMPTS PlaceOrder
 * calls (the contract's mutation, quantity 1, each with its own buyer token,
 * payment token and idempotency key) at RATE per second, open loop: calls are
 * sent on schedule whether or not earlier ones have answered, as a crowd does.
 * It prints throughput, latency percentiles, outcomes, errors and the
 * oversell check (initial = available + sold, nothing left reserved, one
 * captured payment per confirmed order).
 *
 *   npm run bench -- --attempts 2000 --rate 1000 --units 1000 --buyers 40
 *
 * Figures, not a test: it never fails on a threshold.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { startTestStack, TEST_DATABASE_URL, type TestStack } from '@shop/platform/testing';
import { ShopClient } from '../gateway/test/shop-client.ts';
import { pool } from './lib/load.ts';
import { percentile } from './load.ts';

const { values: args } = parseArgs({
  options: {
    attempts: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '1000' },
    units: { type: 'string', default: '1000' },
    buyers: { type: 'string', default: '40' },
    designs: { type: 'string', default: 'batched,naive' },
  },
});
const ATTEMPTS = Number(args.attempts);
const RATE = Number(args.rate);
const UNITS = Number(args.units);
const BUYERS = Number(args.buyers);

interface Outcome {
  ms: number;
  kind: string;
}



async function run(design: 'batched' | 'naive') {
  const stack: TestStack = await startTestStack({ RESERVATION_BATCHING: design === 'batched' ? 'true' : 'false', LOG_LEVEL: 'error', DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20' });
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    const shop = new ShopClient(stack.url);
    const sku = loadDemoData().stock[3]!.sku;
    const admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    await db.query(`update "${stack.schemas.inventory}".stock set available = 0, reserved = 0 where sku = $1`, [sku]);
    await shop.restock(admin, sku, UNITS);

    // Setup (not measured): buyers and one single-use payment token per attempt.
    const buyers = await pool(BUYERS, 8, (i) => shop.signUp(`bench-${design}-${i}-${Date.now()}@buyers.test`));
    const tokens = await pool(ATTEMPTS, 16, (i) => shop.paymentToken(buyers[i % BUYERS]!.token));

    const outcomes: Outcome[] = [];
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const buyer = buyers[i % BUYERS]!;
      const sent = performance.now();
      inFlight.push(
        shop.placeOrder(buyer.token, [{ sku, quantity: 1 }], tokens[i]!, `bench-${i}`).then(
          (body) => {
            outcomes.push({ ms: performance.now() - sent, kind: body.errors?.length ? `error:${body.errors[0]?.extensions?.code ?? 'unknown'}` : body.data?.placeOrder?.__typename });
          },
          (error: Error) => {
            outcomes.push({ ms: performance.now() - sent, kind: `error:${error.message.slice(0, 40)}` });
          },
        ),
      );
    }
    const offeredSeconds = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    const totalSeconds = (performance.now() - started) / 1000;

    // The consistency check, straight on the data.
    const [stock] = (await db.query(`select available, reserved from "${stack.schemas.inventory}".stock where sku = $1`, [sku])).rows;
    const [{ sold }] = (
      await db.query(
        `select coalesce(sum(i.quantity), 0)::int as sold from "${stack.schemas.orders}".order_items i join "${stack.schemas.orders}".orders o on o.id = i.order_id where o.status = 'CONFIRMED' and i.sku = $1`,
        [sku],
      )
    ).rows;
    const [{ captured }] = (await db.query(`select count(*)::int as captured from "${stack.schemas.payments}".payments where status = 'CAPTURED'`)).rows;
    const [{ confirmed }] = (await db.query(`select count(*)::int as confirmed from "${stack.schemas.orders}".orders where status = 'CONFIRMED'`)).rows;

    const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const placed = outcomes.filter((o) => o.kind === 'OrderPlaced').map((o) => o.ms).sort((a, b) => a - b);
    const kinds: Record<string, number> = {};
    for (const o of outcomes) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    return {
      design,
      offeredRate: Math.round(ATTEMPTS / offeredSeconds),
      throughput: Math.round(ATTEMPTS / totalSeconds),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      placedP99: percentile(placed, 99),
      kinds,
      errors: Object.entries(kinds).filter(([k]) => k.startsWith('error')).reduce((n, [, v]) => n + v, 0),
      oversell: {
        initial: UNITS,
        available: stock.available as number,
        reserved: stock.reserved as number,
        sold: sold as number,
        ok: stock.available + sold === UNITS && stock.reserved === 0 && stock.available >= 0 && captured === confirmed,
        capturedPayments: captured as number,
        confirmedOrders: confirmed as number,
      },
    };
  } finally {
    await db.end();
    await stack.stop();
  }
}

const results = [];
for (const design of args.designs!.split(',') as ('batched' | 'naive')[]) {
  process.stderr.write(`running ${design}...\n`);
  results.push(await run(design));
}
const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
console.log(`\nFlash sale through the gateway: ${ATTEMPTS} PlaceOrder attempts offered at ${RATE}/s on one sku with ${UNITS} units, ${BUYERS} buyers`);
console.log('| design | offered/s | completed/s | p50 ms | p95 ms | p99 ms | max ms | p99 OrderPlaced ms | placed | insufficient | errors | oversell check |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.design} | ${r.offeredRate} | ${r.throughput} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.placedP99)} | ${r.kinds.OrderPlaced ?? 0} | ${r.kinds.InsufficientStock ?? 0} | ${r.errors} | ${r.oversell.ok ? 'ok' : 'FAILED'}: ${r.oversell.available} available + ${r.oversell.sold} sold = ${r.oversell.initial}, ${r.oversell.reserved} reserved, ${r.oversell.capturedPayments} captures / ${r.oversell.confirmedOrders} confirmed |`,
  );
}
console.log(JSON.stringify({ bench: 'flash-sale', attempts: ATTEMPTS, rate: RATE, units: UNITS, results }));
