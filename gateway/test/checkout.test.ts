import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { startTestStack, TEST_DATABASE_URL, type TestStack } from '@shop/platform/testing';
import { ShopClient } from './shop-client.ts';

// The consistency core, end to end: real gateway, subgraphs, PostgreSQL and
// Redis; purchases sent as the contract's PlaceOrder through the gateway.
const demo = loadDemoData();
let stack: TestStack;
let shop: ShopClient;
let db: pg.Client;
let admin: string;

async function rows<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(query, params)).rows as T[];
}

/** Signs up `count` buyers and gives each `perBuyer` single-use payment tokens. */
async function buyers(prefix: string, count: number, perBuyer: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { token, userId } = await shop.signUp(`${prefix}-${i}-${Date.now()}@buyers.test`);
      const paymentTokens = [];
      for (let t = 0; t < perBuyer; t++) paymentTokens.push(await shop.paymentToken(token));
      return { token, userId, paymentTokens };
    }),
  );
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * After a crash and a restart, once the sweeper and the settler have done
 * their work: every acknowledged order CONFIRMED and captured, nothing left
 * in the middle, nothing reserved, initial = available + sold, no capture
 * without a confirmed order, no authorization left hanging, one payment per order.
 */
async function assertSettledAfterCrash(sku: string, units: number, acknowledged: readonly string[]) {
  // The sweeper settles sagas that stopped moving 10 s ago; captures follow the events.
  const deadline = Date.now() + 60_000;
  let pending = Infinity;
  let open = Infinity;
  while (Date.now() < deadline) {
    pending = (await rows<{ pending: number }>(`select count(*)::int as pending from "${stack.schemas.orders}".orders where status = 'PENDING'`))[0]!.pending;
    open = (await rows<{ open: number }>(`select count(*)::int as open from "${stack.schemas.orders}".orders where saga_step <> 'DONE'`))[0]!.open;
    const { held } = (await rows<{ held: number }>(`select coalesce(sum(reserved), 0)::int as held from "${stack.schemas.inventory}".stock where sku = $1`, [sku]))[0]!;
    if (pending === 0 && open === 0 && held === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.equal(pending, 0, 'no checkout is left pending');
  assert.equal(open, 0, 'no saga is left in the middle');

  const confirmed = new Set((await rows<{ id: string }>(`select id from "${stack.schemas.orders}".orders where status = 'CONFIRMED'`)).map((r) => r.id));
  for (const id of acknowledged) assert.ok(confirmed.has(id), `acknowledged order ${id} must exist and be confirmed`);

  const [stock] = await rows<{ available: number; reserved: number }>(`select available, reserved from "${stack.schemas.inventory}".stock where sku = $1`, [sku]);
  assert.equal(stock!.reserved, 0, 'no stock stays reserved for a dead checkout');
  const sold = (await rows<{ n: number }>(
    `select coalesce(sum(i.quantity), 0)::int as n from "${stack.schemas.orders}".order_items i join "${stack.schemas.orders}".orders o on o.id = i.order_id where o.status = 'CONFIRMED' and i.sku = $1`,
    [sku],
  ))[0]!.n;
  assert.equal(stock!.available + sold, units, 'initial = available + sold');

  const captured = await rows<{ order_id: string }>(`select order_id from "${stack.schemas.payments}".payments where status = 'CAPTURED'`);
  const capturedIds = new Set(captured.map((c) => c.order_id));
  for (const { order_id } of captured) assert.ok(confirmed.has(order_id), `payment for ${order_id} is captured without a confirmed order`);
  for (const id of confirmed) assert.ok(capturedIds.has(id), `confirmed order ${id} is captured`);
  const authorizedOnly = await rows<{ n: number }>(`select count(*)::int as n from "${stack.schemas.payments}".payments where status = 'AUTHORIZED'`);
  assert.equal(authorizedOnly[0]!.n, 0, 'no authorization is left hanging');
  const charges = await rows<{ n: number }>(`select count(*)::int as n from "${stack.schemas.payments}".sandbox_charges where status = 'captured'`);
  assert.equal(charges[0]!.n, captured.length, 'the provider captured each order once');
}

/** The hot sku starts from exactly `units` available. */
async function hotSku(index: number, units: number): Promise<string> {
  const sku = demo.stock[index]!.sku;
  await db.query(`update "${stack.schemas.inventory}".stock set available = 0, reserved = 0 where sku = $1`, [sku]);
  await shop.restock(admin, sku, units);
  return sku;
}

before(async () => {
  // Every buyer here must get a definite answer; the gateway's purchase admission has tests of its own.
  stack = await startTestStack({ PURCHASE_MAX_IN_FLIGHT: '10000' });
  shop = new ShopClient(stack.url);
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
});
after(async () => {
  await db?.end();
  await stack?.stop();
});

describe('flash sale through the gateway', () => {
  it('sells exactly the units that exist to 200 concurrent buyers, one captured payment per confirmed order, and answers everyone', async () => {
    const units = 60;
    const sku = await hotSku(5, units);
    const crowd = await buyers('flash', 20, 10);
    const attempts = crowd.flatMap((buyer, b) => buyer.paymentTokens.map((paymentToken, t) => ({ buyer, paymentToken, key: `flash-${b}-${t}` })));

    const answers = await Promise.all(attempts.map((a) => shop.placeOrder(a.buyer.token, [{ sku, quantity: 1 }], a.paymentToken, a.key)));

    for (const answer of answers) assert.equal(answer.errors, undefined, `every buyer gets a definite answer, got ${JSON.stringify(answer.errors)}`);
    const kinds = answers.map((a) => a.data!.placeOrder.__typename);
    const placed = answers.filter((a) => a.data!.placeOrder.__typename === 'OrderPlaced').map((a) => a.data!.placeOrder.order);
    assert.equal(placed.length, Math.min(units, attempts.length));
    assert.equal(kinds.filter((k) => k === 'InsufficientStock').length, attempts.length - placed.length);
    // The answer comes once the payment is authorized; capture follows from the OrderPlaced event.
    for (const order of placed) {
      assert.equal(order.status, 'CONFIRMED');
      assert.ok(['AUTHORIZED', 'CAPTURED'].includes(order.payment.status), order.payment.status);
    }
    await until(async () => {
      const [{ n }] = (await rows<{ n: number }>(`select count(*)::int as n from "${stack.schemas.orders}".orders where saga_step <> 'DONE'`)) as [{ n: number }];
      return n === 0;
    }, 'every placed order captured and its stock committed');

    const [stock] = await rows<{ available: number; reserved: number }>(`select available, reserved from "${stack.schemas.inventory}".stock where sku = $1`, [sku]);
    assert.deepEqual(stock, { available: 0, reserved: 0 }, 'initial = available + sold, nothing left reserved');
    assert.equal(await shop.available(sku), 0);

    const payments = await rows<{ order_id: string; status: string; amount: number }>(`select order_id, status, amount from "${stack.schemas.payments}".payments where status = 'CAPTURED'`);
    const orders = await rows<{ id: string; status: string; total_amount: number }>(`select id, status, total_amount from "${stack.schemas.orders}".orders where status = 'CONFIRMED'`);
    const capturedByOrder = new Map(payments.map((p) => [p.order_id, p]));
    assert.equal(payments.length, orders.length, 'one captured payment per confirmed order');
    for (const order of orders) assert.equal(capturedByOrder.get(order.id)?.amount, order.total_amount, 'the capture matches the order total');
  });
});

describe('crash safety', () => {
  it('after kill -9 of orders mid-checkout and a restart, keeps every acknowledged order, leaves no stock reserved and no capture without a confirmed order', async () => {
    const units = 40;
    const sku = await hotSku(7, units);
    const crowd = await buyers('crash', 10, 8);
    const crowdIds = crowd.map((b) => b.userId);
    const attempts = crowd.flatMap((buyer, b) => buyer.paymentTokens.map((paymentToken, t) => ({ buyer, paymentToken, key: `crash-${b}-${t}` })));

    const inFlight = Promise.all(attempts.map((a) => shop.placeOrder(a.buyer.token, [{ sku, quantity: 1 }], a.paymentToken, a.key).catch((e: Error) => ({ errors: [{ message: e.message }] }) as any)));
    // Kill once checkouts are under way: some orders written, others not yet.
    for (let started = 0; started < 15; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      started = (await rows<{ n: number }>(`select count(*)::int as n from "${stack.schemas.orders}".orders where user_id = any($1::uuid[])`, [crowdIds]))[0]!.n;
    }
    await stack.subgraphs.orders!.stop('SIGKILL');
    const answers = await inFlight;
    await stack.subgraphs.orders!.start();

    const acknowledged = answers.filter((a) => a.data?.placeOrder?.__typename === 'OrderPlaced').map((a) => a.data.placeOrder.order.id as string);
    const cutOff = answers.filter((a) => a.errors?.length).length;
    const interrupted = (await rows<{ n: number }>(`select count(*)::int as n from "${stack.schemas.orders}".orders where saga_step <> 'DONE'`))[0]!.n;
    assert.ok(cutOff > 0 && interrupted > 0, `the kill must hit checkouts in flight (cut off ${cutOff}, interrupted ${interrupted})`);
    await assertSettledAfterCrash(sku, units, acknowledged);
  });

  for (const [victim, index] of [['inventory', 8], ['payments', 9]] as const) {
    it(`after kill -9 of ${victim} mid-sale and a restart, keeps every acknowledged order and settles every other one, overselling and double-charging nothing`, async () => {
      const units = 30;
      const sku = await hotSku(index, units);
      const crowd = await buyers(`kill-${victim}`, 10, 6);
      const attempts = crowd.flatMap((buyer, b) => buyer.paymentTokens.map((paymentToken, t) => ({ buyer, paymentToken, key: `kill-${victim}-${b}-${t}` })));
      const inFlight = Promise.all(
        attempts.map((a, i) =>
          new Promise((resolve) => setTimeout(resolve, i * 5)).then(() =>
            shop.placeOrder(a.buyer.token, [{ sku, quantity: 1 }], a.paymentToken, a.key).catch((e: Error) => ({ errors: [{ message: e.message }] }) as any),
          ),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 80));
      await stack.subgraphs[victim]!.stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stack.subgraphs[victim]!.start();
      const answers = await inFlight;
      const acknowledged = answers.filter((a) => a.data?.placeOrder?.__typename === 'OrderPlaced').map((a) => a.data.placeOrder.order.id as string);
      await assertSettledAfterCrash(sku, units, acknowledged);
    });
  }
});
