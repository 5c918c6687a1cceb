import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ServiceCallError } from '../src/remote/service-client.ts';
import { startSagaHarness } from './saga-harness.ts';

let harness: Awaited<ReturnType<typeof startSagaHarness>>;

before(async () => {
  harness = await startSagaHarness();
});

after(async () => {
  await harness?.stop();
});

/** What a batch answered at each index: the value, or the failed item's code. */
function codes<T>(answers: readonly (T | ServiceCallError)[]): (T | string | undefined)[] {
  return answers.map((a) => (a instanceof ServiceCallError ? a.code : a));
}

describe('the clients of the batch mutations', () => {
  it('captureMany and commitMany answer per order in request order, an order that failed as its ServiceCallError', async () => {
    const sku = harness.sku('REMOTE');
    await harness.addStock(sku, 10);
    const customers = [randomUUID(), randomUUID()];
    const orderIds = [randomUUID(), randomUUID()];
    const reserved = await harness.services.inventory.reserveMany(orderIds.map((orderId) => ({ orderId, items: [{ sku, quantity: 2 }], ttlSeconds: 600 })));
    assert.deepEqual(reserved.map((r) => !(r instanceof ServiceCallError) && r.kind), ['reserved', 'reserved']);
    const authorized = await harness.services.payments.authorizeMany(
      await Promise.all(orderIds.map(async (orderId, i) => ({ orderId, userId: customers[i]!, token: await harness.tokenFor(customers[i]!), amount: 2_000, currency: 'USD' }))),
    );
    assert.deepEqual(authorized.map((r) => !(r instanceof ServiceCallError) && r.kind), ['authorized', 'authorized']);

    const unknown = randomUUID();
    const captured = await harness.services.payments.captureMany([orderIds[0]!, unknown, orderIds[1]!]);
    assert.deepEqual(
      codes(captured).map((c) => (typeof c === 'object' ? c.status : c)),
      ['CAPTURED', 'NOT_FOUND', 'CAPTURED'],
    );
    const committed = await harness.services.inventory.commitMany([orderIds[0]!, unknown, orderIds[1]!]);
    assert.deepEqual(codes(committed), ['committed', 'NOT_FOUND', 'committed']);
    assert.deepEqual(await harness.stock(sku), { available: 6, reserved: 0 });
    // Both are idempotent per order.
    assert.deepEqual(codes(await harness.services.inventory.commitMany(orderIds)), ['committed', 'committed']);
    assert.deepEqual((await harness.paymentsOf(orderIds[0]!)).map((p) => p.status), ['CAPTURED']);
  });

  it('releaseMany returns held units, and refuses a committed reservation at its index', async () => {
    const sku = harness.sku('REMOTE-R');
    await harness.addStock(sku, 5);
    const [held, committed, none] = [randomUUID(), randomUUID(), randomUUID()];
    await harness.services.inventory.reserveMany([held, committed].map((orderId) => ({ orderId, items: [{ sku, quantity: 1 }], ttlSeconds: 600 })));
    await harness.services.inventory.commit(committed);
    const released = await harness.services.inventory.releaseMany([held, committed, none]);
    assert.deepEqual(codes(released), [undefined, 'CONFLICT', undefined]);
    assert.deepEqual(await harness.stock(sku), { available: 4, reserved: 0 });
  });
});
