import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AdmissionGate } from '@shop/platform';
import { CheckoutService, DEFAULT_ADMISSION } from '../src/checkout/checkout.service.ts';
import { createCheckoutSweeper, startCheckoutSweeper } from '../src/checkout/checkout.sweeper.ts';
import { OrderRepository } from '../src/order/order.repository.ts';
import { startSagaHarness, type SagaHarness } from './saga-harness.ts';

let h: SagaHarness;

before(async () => {
  h = await startSagaHarness();
});

after(async () => {
  await h?.stop();
});

const repository = () => new OrderRepository(h.orders.orm.em.fork());

/**
 * Runs a checkout the way placeOrder does, but stops after `steps` saga
 * steps, as if the process had died there: returns the order id, the
 * request as the client sent it, and the saga step left behind.
 */
async function stalledCheckout(options: { customer: string; sku: string; quantity?: number; steps: number }) {
  const checkout = new CheckoutService({ repository: repository(), admission: new AdmissionGate(DEFAULT_ADMISSION), products: h.services.products, saga: h.saga });
  const input = { items: [{ sku: options.sku, quantity: options.quantity ?? 1 }], paymentToken: await h.tokenFor(options.customer), idempotencyKey: randomUUID() };
  const { orderId, request } = await checkout.startCheckout({ userId: options.customer, roles: ['CUSTOMER'] }, input);
  for (let i = 0; i < options.steps; i++) {
    const order = await repository().findFresh(orderId);
    assert.ok(await h.saga.step(order!, { kind: 'checkout', paymentToken: request.paymentToken }), `step ${i + 1} moved the saga`);
  }
  return { orderId, input, step: (await h.order(orderId))!.saga_step };
}

/** Makes a saga look as if it stopped moving a minute ago. */
async function age(orderId: string) {
  await h.ordersSql(`update $schema.orders set saga_updated_at = now() - interval '1 minute' where id = ?`, [orderId]);
}

const sweeper = () => createCheckoutSweeper({ orm: h.orders.orm, saga: h.saga, logger: h.logger, staleAfterMs: 10_000 });

async function product(name: string, price: number, stock: number) {
  const sku = h.sku(name);
  await h.createProduct([{ sku, price }]);
  await h.addStock(sku, stock);
  return sku;
}

describe('checkout sweeper', () => {
  it('compensates a checkout that died after reserving stock: releases it, cancels the order, and a retry learns CHECKOUT_FAILED', async () => {
    const sku = await product('DIED-RESERVED', 1000, 5);
    const customer = randomUUID();
    const { orderId, input, step } = await stalledCheckout({ customer, sku, quantity: 2, steps: 1 });
    assert.equal(step, 'AUTHORIZING');
    assert.deepEqual(await h.stock(sku), { available: 3, reserved: 2 });

    await age(orderId);
    await sweeper().sweepOnce();

    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CANCELLED', 'DONE']);
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 2, status: 'RELEASED' }]);
    assert.deepEqual(await h.stock(sku), { available: 5, reserved: 0 });
    assert.deepEqual(await h.paymentsOf(orderId), []);
    const retry = await h.placeOrder(customer, input);
    assert.deepEqual(retry.body.errors?.map((e) => e.extensions?.code), ['CHECKOUT_FAILED']);
  });

  it('voids an authorization that landed after the checkout died, and releases the stock', async () => {
    const sku = await product('DIED-AUTHORIZING', 1000, 5);
    const customer = randomUUID();
    const { orderId, input } = await stalledCheckout({ customer, sku, steps: 1 });
    // The authorization reached payments, but the process died before recording it.
    const order = (await h.order(orderId))!;
    const authorized = await h.services.payments.authorize({ orderId, userId: customer, token: input.paymentToken, amount: order.total_amount, currency: 'USD' });
    assert.equal(authorized.kind, 'authorized');

    await age(orderId);
    await sweeper().sweepOnce();

    assert.equal((await h.order(orderId))?.status, 'CANCELLED');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['VOIDED']);
    assert.deepEqual((await h.chargesOfCustomer(customer)).map((c) => c.status), ['voided']);
    assert.deepEqual(await h.stock(sku), { available: 5, reserved: 0 });
  });

  it('finishes a checkout that died after authorizing: captures, commits the stock, confirms, and a retry gets OrderPlaced', async () => {
    const sku = await product('DIED-AUTHORIZED', 1250, 5);
    const customer = randomUUID();
    const { orderId, input, step } = await stalledCheckout({ customer, sku, quantity: 2, steps: 2 });
    assert.equal(step, 'CAPTURING');

    await age(orderId);
    await sweeper().sweepOnce();

    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CONFIRMED', 'DONE']);
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => [p.status, p.amount]), [['CAPTURED', 2500]]);
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 2, status: 'COMMITTED' }]);
    assert.deepEqual(await h.stock(sku), { available: 3, reserved: 0 });
    assert.deepEqual((await h.events(orderId)).map((e) => e.type), ['OrderPlaced']);
    const retry = await h.placeOrder(customer, input);
    assert.deepEqual([retry.body.data?.placeOrder.__typename, retry.body.data?.placeOrder.order.id], ['OrderPlaced', orderId]);
  });

  it('finishes a checkout that died after capturing the payment', async () => {
    const sku = await product('DIED-CAPTURED', 700, 5);
    const customer = randomUUID();
    const { orderId, step } = await stalledCheckout({ customer, sku, steps: 3 });
    assert.equal(step, 'COMMITTING');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['CAPTURED']);

    await age(orderId);
    await sweeper().sweepOnce();

    assert.equal((await h.order(orderId))?.status, 'CONFIRMED');
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 1, status: 'COMMITTED' }]);
    assert.deepEqual(await h.history(orderId), [[null, 'PENDING'], ['PENDING', 'CONFIRMED']]);
  });

  it('refunds and cancels when the held stock was released before it could be committed', async () => {
    const sku = await product('EXPIRED-HOLD', 900, 5);
    const customer = randomUUID();
    const { orderId, input } = await stalledCheckout({ customer, sku, steps: 3 });
    // The hold expired (inventory's own sweeper released it) while the checkout was down.
    await h.services.inventory.release(orderId);

    await age(orderId);
    await sweeper().sweepOnce();

    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CANCELLED', 'DONE']);
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => [p.status, p.refunded_amount]), [['REFUNDED', 900]]);
    assert.deepEqual(await h.stock(sku), { available: 5, reserved: 0 });
    const retry = await h.placeOrder(customer, input);
    assert.deepEqual(retry.body.errors?.map((e) => [e.extensions?.code, e.message]), [
      ['CHECKOUT_FAILED', 'Your order could not be placed: the stock held for it was released before it could be confirmed. Your payment was refunded.'],
    ]);
  });

  it('leaves a saga alone while its driver is still moving it', async () => {
    const sku = await product('STILL-MOVING', 500, 5);
    const { orderId } = await stalledCheckout({ customer: randomUUID(), sku, steps: 1 });
    await sweeper().sweepOnce();
    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['PENDING', 'AUTHORIZING']);
    // Settle it so that it does not linger.
    await age(orderId);
    await sweeper().sweepOnce();
    assert.equal((await h.order(orderId))?.status, 'CANCELLED');
  });

  it('lets concurrent sweepers claim disjoint sagas (for update skip locked), each pushing the claimed saga clock forward', async () => {
    const sku = await product('CLAIMS', 100, 50);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await stalledCheckout({ customer: randomUUID(), sku, steps: 0 })).orderId);
    for (const id of ids) await age(id);

    const now = new Date();
    const staleBefore = new Date(now.getTime() - 10_000);
    const claims = await Promise.all([1, 2, 3].map(() => repository().claimStaleSagas(staleBefore, now, 4)));
    const claimed = claims.flat().filter((id) => ids.includes(id));
    assert.equal(new Set(claimed).size, claimed.length, `a saga was claimed twice: ${JSON.stringify(claims)}`);
    assert.deepEqual(new Set(claimed), new Set(ids));
    assert.deepEqual(await repository().claimStaleSagas(staleBefore, new Date(), 10).then((again) => again.filter((id) => ids.includes(id))), []);

    for (const id of ids) await h.saga.drive(id, { kind: 'recovery' });
    for (const id of ids) assert.equal((await h.order(id))?.status, 'CANCELLED');
  });

  it('runs on its own: a running sweeper settles a stalled checkout once it has been still for the stale time', async () => {
    const sku = await product('BACKGROUND', 400, 5);
    const { orderId } = await stalledCheckout({ customer: randomUUID(), sku, steps: 2 });
    const running = startCheckoutSweeper({ orm: h.orders.orm, saga: h.saga, logger: h.logger, intervalMs: 100, staleAfterMs: 500 });
    try {
      const deadline = Date.now() + 10_000;
      while ((await h.order(orderId))?.status === 'PENDING' && Date.now() < deadline) await sleep(100);
    } finally {
      await running.stop();
    }
    assert.equal((await h.order(orderId))?.status, 'CONFIRMED');
    assert.deepEqual(await h.stock(sku), { available: 4, reserved: 0 });
  });
});
