import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadDemoData } from '@shop/platform';
import { postGraphQL, startFaultProxy, startPrivatePostgres, startPrivateRedis, startTestStack, type FaultProxy, type PrivateServer, type TestStack } from '@shop/platform/testing';
import { report, Sale } from './sale.ts';
import type { Traffic } from './traffic.ts';

// Faults of the stack's dependencies under a live sale: Redis stopped for
// 10 s, PostgreSQL restarted, a subgraph answering 500s and then too slowly.
// Redis and PostgreSQL are the test's own servers (stopping the shared ones
// would break everyone else's tests); products is reached by every process
// through a fault-injecting proxy. After each fault the stack must recover
// without restarting any process, and the sale's books must balance.
const FAULT_MS = 10_000;
const PRODUCT_ID = loadDemoData().products[0]!.id;
let postgres: PrivateServer;
let redis: PrivateServer;
let products: FaultProxy;
let stack: TestStack;
let db: pg.Pool;
let sale: Sale;

before(async () => {
  const started = Date.now();
  postgres = await startPrivatePostgres();
  redis = await startPrivateRedis();
  stack = await startTestStack(
    {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      // Short timeouts so that a slow subgraph shows within the fault window; the sweeper then takes stalled sagas over.
      SUBGRAPH_TIMEOUT_MS: '2000',
      SERVICE_CALL_TIMEOUT_MS: '2000',
      SAGA_STALE_AFTER_MS: '9000',
      // A retry of a checkout still being settled answers CHECKOUT_PENDING before the gateway's timeout.
      CHECKOUT_WAIT_MS: '1000',
      // The circuits judge the last 5 s (default 10 s), so that they open well within a 10 s fault however many successes came before it.
      CIRCUIT_BREAKER_WINDOW_MS: '5000',
    },
    {
      subgraphUrl: async (service, url) => {
        if (service !== 'products') return url;
        products = await startFaultProxy(new URL(url).origin);
        return `${products.origin}/graphql`;
      },
    },
  );
  // A pool: the restart cuts its sessions too, and it opens new ones for the test's own reads.
  db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  db.on('error', () => {});
  sale = new Sale({ url: stack.url, db, schemas: stack.schemas });
  report(`fault stack (one process per service, private PostgreSQL and Redis) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
after(async () => {
  await sale?.close();
  await db?.end().catch(() => {});
  await stack?.stop().catch(() => {});
  await products?.close();
  await redis?.close();
  await postgres?.close();
});

/** The pid of every process of the stack: the same pids afterwards mean nothing was restarted. */
const pids = () => Object.fromEntries([...Object.values(stack.subgraphs), stack.gateway].map((p) => [p.spec.name, p.child?.pid]));

/** Waits until the traffic has served `count` more requests successfully. */
async function untilServed(load: Traffic, count: number): Promise<void> {
  const target = load.outcomes.filter((o) => o.ok).length + count;
  for (let i = 0; load.outcomes.filter((o) => o.ok).length < target; i++) {
    assert.ok(i < 1200, `fewer than ${count} requests served in 120 s`);
    await sleep(100);
  }
}

/**
 * The moment the stack answers everything again: a product page, a stock
 * read and a checkout (a fresh key) all succeed. Polled every 250 ms for at
 * most two minutes.
 */
async function untilRecovered(sku: string): Promise<number> {
  const buyer = sale.buyers[0]!;
  for (let i = 0; ; i++) {
    const at = Date.now();
    const page = await sale.shop.call('ProductPage', { id: PRODUCT_ID }).catch(() => undefined);
    const stock = await sale.shop.call('StockLevels', { skus: [sku] }).catch(() => undefined);
    const token = await sale.shop.paymentToken(buyer.token).catch(() => undefined);
    const order = token ? await sale.shop.placeOrder(buyer.token, [{ sku, quantity: 1 }], token, `resil-probe-${Date.now()}-${i}`).catch(() => undefined) : undefined;
    if (!page?.errors && page?.data?.product && !stock?.errors && stock?.data && order?.data?.placeOrder?.__typename === 'OrderPlaced') return at;
    assert.ok(i < 480, `the stack has not recovered after two minutes: ${JSON.stringify({ page: page?.errors, stock: stock?.errors, order: order?.errors ?? order?.data })}`);
    await sleep(250);
  }
}

/**
 * One fault under a live sale: normal traffic first, then `inject`, held for
 * `holdMs` (sampling `during` every half second), then `heal`; then until the
 * stack answers everything again, and more normal traffic after that. Asserts
 * that nothing failed once it had recovered, that no process was restarted,
 * and that the books balance; returns the traffic for more assertions.
 */
async function underFault(
  name: string,
  skuIndex: number,
  fault: { inject: () => Promise<void>; heal: () => Promise<void>; holdMs: number; during?: () => Promise<void> },
): Promise<{ load: Traffic; from: number; healedAt: number; recoveredAt: number }> {
  const sku = await sale.freshSku(skuIndex);
  const subscribers = sale.subscribe(sku);
  const load = sale.traffic(sku);
  const before = pids();
  load.start();
  await untilServed(load, 20);

  const from = Date.now();
  await fault.inject();
  while (Date.now() - from < fault.holdMs) {
    await fault.during?.();
    await sleep(500);
  }
  await fault.heal();
  const healedAt = Date.now();
  const recoveredAt = await untilRecovered(sku);
  await untilServed(load, 30);
  await load.stop();

  const during = load.served(from, recoveredAt);
  // Client operations begun once the stack had recovered (a checkout in flight during the fault may still be called off).
  const afterwards = load.outcomes.filter((o) => o.operationStartedAt >= recoveredAt);
  report(
    `${name}: ${during.ok} requests served and ${during.failed} failed from the fault to recovery ${load.errorsIn(from, recoveredAt)}; ` +
      `recovered ${((recoveredAt - healedAt) / 1000).toFixed(1)} s after the fault ended; ${afterwards.length} requests after, ${afterwards.filter((o) => !o.ok).length} failed; ${load.acknowledged.size} orders acknowledged`,
  );
  assert.deepEqual(pids(), before, 'no process was restarted');
  assert.deepEqual(afterwards.filter((o) => !o.ok), [], 'nothing failed once the stack had recovered');
  assert.deepEqual([...load.unresolved], [], 'every checkout got a definite answer');
  await sale.assertLedgerBalances(sku, load);
  await sale.assertSubscribersResume(subscribers, sku);
  return { load, from, healedAt, recoveredAt };
}

describe('faults of dependencies under a live sale', () => {
  it('Redis stopped for 10 s and started again (empty: no persistence): the stack recovers without a restart and the books balance', async () => {
    await underFault('Redis down 10 s', 5, { inject: () => redis.stop(), heal: () => redis.start(), holdMs: FAULT_MS });
  });

  it('PostgreSQL restarted (fast shutdown, sessions cut): the stack recovers without a restart and the books balance', async () => {
    await underFault('PostgreSQL restart', 6, { inject: () => postgres.stop(), heal: () => postgres.start(), holdMs: 0 });
  });

  it('products answering 500s for 10 s: the gateway and orders open their circuit to products, stock reads never fail, and everything recovers without a restart', async () => {
    const states = new Set<string>();
    const { load, from, recoveredAt } = await underFault('products answering 500 for 10 s', 7, {
      inject: async () => void (products.fault = { kind: 'status', status: 500 }),
      heal: async () => void (products.fault = { kind: 'none' }),
      holdMs: FAULT_MS,
      during: async () => {
        // Reads the response cache cannot answer (a text of their own each), so that the gateway calls products often enough for its
        // breaker to judge: the sale's product pages are mostly served from the cache, and its checkout loops mostly retry meanwhile.
        await Promise.all(Array.from({ length: 6 }, () => postGraphQL(stack.url, `{ product(id: "${PRODUCT_ID}") { id name } } # ${randomUUID()}`)));
        for (const p of [stack.gateway, stack.subgraphs.orders!]) {
          const metrics = await (await fetch(`${p.metricsUrl}/metrics`)).text();
          if (/circuit_breaker_state\{[^}]*target="products"[^}]*\} 1/.test(metrics)) states.add(`${p.spec.name}: open`);
        }
      },
    });
    // When within the 10 s each opens depends on how many successful calls the window still holds; that it opened is what counts
    // (what an open circuit answers is gateway/test/circuit-breaker.test.ts's subject).
    assert.deepEqual([...states].sort(), ['gateway: open', 'orders: open'], 'both callers opened their circuit to products');
    const stockReads = load.outcomes.filter((o) => o.kind === 'StockLevels' && o.startedAt >= from && o.endedAt <= recoveredAt);
    assert.ok(stockReads.length > 0);
    assert.deepEqual(stockReads.filter((o) => !o.ok), [], 'stock reads (inventory alone) never failed while products did');
  });

  it('products slower than the timeout for 10 s: the same, and recovered once it is fast again', async () => {
    const { load, from, recoveredAt } = await underFault('products slower than the timeout for 10 s', 8, {
      inject: async () => void (products.fault = { kind: 'delay', ms: 5_000 }),
      heal: async () => void (products.fault = { kind: 'none' }),
      holdMs: FAULT_MS,
    });
    const stockReads = load.outcomes.filter((o) => o.kind === 'StockLevels' && o.startedAt >= from && o.endedAt <= recoveredAt);
    assert.deepEqual(stockReads.filter((o) => !o.ok), [], 'stock reads never failed while products was slow');
  });
});
