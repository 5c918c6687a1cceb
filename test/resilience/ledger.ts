import assert from 'node:assert/strict';
import type pg from 'pg';
import type { Traffic } from './traffic.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sale's books, read straight from each service's tables once every
 * checkout has settled: no acknowledged order lost, none placed twice for a
 * key, nothing oversold, one captured payment of the right amount per
 * confirmed order and none for any other, and no stock left held.
 */
export async function assertLedgerBalances(db: pg.Pool | pg.Client, schemas: Record<string, string>, sku: string, units: number, traffic: Traffic): Promise<void> {
  const rows = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
  // Sagas a killed orders replica was driving are finished by a sweeper: wait for them (bounded).
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [unsettled] = await rows<{ pending: number; held: number }>(
      `select (select count(*)::int from "${schemas.orders}".orders where status = 'PENDING') as pending,
              (select count(*)::int from "${schemas.inventory}".reservations where status = 'HELD') as held`,
    );
    if (unsettled!.pending === 0 && unsettled!.held === 0) break;
    assert.ok(Date.now() < deadline, `checkouts still unsettled after 90 s: ${JSON.stringify(unsettled)}`);
    await pause(500);
  }

  const orders = await rows<{ id: string; status: string; idempotency_key: string; total_amount: number; quantity: number }>(
    `select o.id, o.status, o.idempotency_key, o.total_amount, coalesce(sum(i.quantity) filter (where i.sku = $1), 0)::int as quantity
       from "${schemas.orders}".orders o left join "${schemas.orders}".order_items i on i.order_id = o.id
      where o.idempotency_key like 'resil-%' group by o.id`,
    [sku],
  );
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const [key, id] of traffic.acknowledged) {
    const order = byId.get(id);
    assert.ok(order, `acknowledged order ${id} (${key}) is in the orders table`);
    assert.equal(order.idempotency_key, key);
    assert.equal(order.status, 'CONFIRMED', `acknowledged order ${id} is confirmed`);
  }
  assert.equal(new Set(orders.map((o) => o.idempotency_key)).size, orders.length, 'one order per idempotency key');
  for (const key of [...traffic.refused, ...traffic.calledOff]) assert.ok(!orders.some((o) => o.idempotency_key === key && o.status === 'CONFIRMED'), `refused checkout ${key} has no confirmed order`);

  const confirmed = orders.filter((o) => o.status === 'CONFIRMED');
  const payments = await rows<{ order_id: string; status: string; amount: number }>(`select order_id, status, amount from "${schemas.payments}".payments`);
  const capturedRows = payments.filter((p) => p.status === 'CAPTURED');
  const captured = new Map(capturedRows.map((p) => [p.order_id, p]));
  assert.equal(captured.size, capturedRows.length, 'no order has two captured payments');
  for (const order of confirmed) assert.equal(captured.get(order.id)?.amount, order.total_amount, `order ${order.id} has one capture of its total`);
  const confirmedIds = new Set(confirmed.map((o) => o.id));
  for (const [orderId] of captured) if (byId.has(orderId)) assert.ok(confirmedIds.has(orderId), `captured payment for order ${orderId} belongs to a confirmed order`);

  const sold = confirmed.reduce((sum, o) => sum + o.quantity, 0);
  const [stock] = await rows<{ available: number; reserved: number }>(`select available, reserved from "${schemas.inventory}".stock where sku = $1`, [sku]);
  assert.deepEqual(stock, { available: units - sold, reserved: 0 }, `units ${units} = available + sold (${sold}), nothing held`);
}
