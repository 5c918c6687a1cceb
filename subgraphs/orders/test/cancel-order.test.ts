import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertOrder } from './fixtures.ts';
import { startSagaHarness, type SagaHarness } from './saga-harness.ts';

let h: SagaHarness;

before(async () => {
  h = await startSagaHarness();
});

after(async () => {
  await h?.stop();
});

/** A CONFIRMED order of `quantity` units at `price` each, placed through placeOrder; the sku started with `stock` units. */
async function confirmedOrder(name: string, options: { price?: number; quantity?: number; stock?: number } = {}) {
  const sku = h.sku(name);
  await h.createProduct([{ sku, price: options.price ?? 1500 }]);
  await h.addStock(sku, options.stock ?? 10);
  const customer = randomUUID();
  const result = await h.placeOrder(customer, { items: [{ sku, quantity: options.quantity ?? 2 }], paymentToken: await h.tokenFor(customer) });
  assert.equal(result.body.data?.placeOrder.__typename, 'OrderPlaced', JSON.stringify(result.body));
  return { sku, customer, orderId: result.body.data!.placeOrder.order.id as string };
}

describe('cancelOrder', () => {
  it("cancels the customer's confirmed order: CANCELLED with history, the payment refunded in full, an OrderCancelled event", async () => {
    const { customer, orderId } = await confirmedOrder('CANCEL', { price: 1500, quantity: 2 });
    const result = await h.cancelOrder(orderId, await h.as(customer));
    assert.deepEqual(result.body, { data: { cancelOrder: { id: orderId, status: 'CANCELLED', total: { amount: 3000, currency: 'USD' } } } });
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => [p.status, p.amount, p.refunded_amount]), [['REFUNDED', 3000, 3000]]);
    assert.deepEqual(await h.history(orderId), [[null, 'PENDING'], ['PENDING', 'CONFIRMED'], ['CONFIRMED', 'CANCELLED']]);
    const events = await h.events(orderId);
    assert.deepEqual(events.map((e) => [e.type, e.payload.fromStatus ?? null]), [['OrderPlaced', null], ['OrderCancelled', 'CONFIRMED']]);
  });

  it(
    'puts the sold units back on sale',
    async () => {
      const { sku, customer, orderId } = await confirmedOrder('RESTOCKED', { quantity: 3, stock: 10 });
      assert.deepEqual(await h.stock(sku), { available: 7, reserved: 0 });
      await h.cancelOrder(orderId, await h.as(customer));
      assert.deepEqual(await h.stock(sku), { available: 10, reserved: 0 });
      assert.equal((await h.order(orderId))?.saga_step, 'DONE');
    },
  );

  it('refunds only once when cancelled twice, and returns the cancelled order the second time', async () => {
    const { customer, orderId } = await confirmedOrder('TWICE', { price: 1000, quantity: 1 });
    const headers = await h.as(customer);
    const [first, second] = await Promise.all([h.cancelOrder(orderId, headers), h.cancelOrder(orderId, headers)]);
    for (const result of [first, second]) assert.equal(result.body.data?.cancelOrder.status, 'CANCELLED', JSON.stringify(result.body));
    const third = await h.cancelOrder(orderId, headers);
    assert.equal(third.body.data?.cancelOrder.status, 'CANCELLED');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => [p.status, p.refunded_amount]), [['REFUNDED', 1000]]);
    assert.equal((await h.history(orderId)).filter(([, to]) => to === 'CANCELLED').length, 1);
  });

  it("lets an ADMIN cancel a customer's order", async () => {
    const { orderId } = await confirmedOrder('ADMIN');
    const result = await h.cancelOrder(orderId, await h.as(randomUUID(), 'ADMIN'));
    assert.equal(result.body.data?.cancelOrder.status, 'CANCELLED', JSON.stringify(result.body));
  });

  it("answers NOT_FOUND for another customer's order and for an unknown id, UNAUTHENTICATED for anonymous callers, and changes nothing", async () => {
    const { orderId } = await confirmedOrder('PRIVATE');
    const cases = [
      { id: orderId, headers: await h.as(randomUUID()), code: 'NOT_FOUND' },
      { id: randomUUID(), headers: await h.as(randomUUID()), code: 'NOT_FOUND' },
      { id: 'not-a-uuid', headers: await h.as(randomUUID()), code: 'NOT_FOUND' },
      { id: orderId, headers: {}, code: 'UNAUTHENTICATED' },
    ];
    for (const { id, headers, code } of cases) {
      const result = await h.cancelOrder(id, headers);
      assert.deepEqual([result.body.data, result.body.errors?.map((e) => e.extensions?.code)], [null, [code]]);
    }
    assert.equal((await h.order(orderId))?.status, 'CONFIRMED');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['CAPTURED']);
  });

  it('refuses to cancel a FULFILLED order or one whose checkout is still PENDING with CONFLICT', async () => {
    const customer = randomUUID();
    for (const status of ['FULFILLED', 'PENDING'] as const) {
      const orderId = await insertOrder(h.orders.orm, { userId: customer, status });
      const result = await h.cancelOrder(orderId, await h.as(customer));
      assert.deepEqual(result.body.errors?.map((e) => e.extensions?.code), ['CONFLICT'], status);
      assert.equal((await h.order(orderId))?.status, status);
    }
  });
});
