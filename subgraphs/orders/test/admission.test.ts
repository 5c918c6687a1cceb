import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startSagaHarness, type SagaHarness } from './saga-harness.ts';

// Admission control with one checkout at a time and no queue: a crowd beyond
// capacity is refused at once, retryably, and a refused checkout leaves nothing.
let h: SagaHarness;

before(async () => {
  h = await startSagaHarness({ admission: { maxInFlight: 1, maxQueued: 0, maxWaitMs: 1_000 } });
});
after(async () => {
  await h?.stop();
});

describe('checkout admission control', () => {
  it('refuses checkouts beyond capacity with a retryable SERVICE_UNAVAILABLE, stores nothing for them, and accepts the same key on retry', async () => {
    const sku = h.sku('ADMIT');
    await h.createProduct([{ sku, price: 1500 }]);
    await h.addStock(sku, 10);
    const customers = [randomUUID(), randomUUID(), randomUUID()];
    const attempts = await Promise.all(
      customers.map(async (customer) => ({ customer, key: randomUUID(), token: await h.tokenFor(customer) })),
    );
    const answers = await Promise.all(attempts.map((a) => h.placeOrder(a.customer, { items: [{ sku, quantity: 1 }], paymentToken: a.token, idempotencyKey: a.key })));

    const refused = answers.map((answer, i) => ({ answer, attempt: attempts[i]! })).filter(({ answer }) => answer.body.errors?.length);
    const placed = answers.filter((answer) => answer.body.data?.placeOrder?.__typename === 'OrderPlaced');
    assert.ok(refused.length >= 1, 'at least one checkout is refused');
    assert.equal(placed.length + refused.length, 3);
    for (const { answer, attempt } of refused) {
      assert.equal(answer.body.errors![0]!.extensions?.code, 'SERVICE_UNAVAILABLE');
      assert.equal(answer.body.errors![0]!.extensions?.retryable, true);
      assert.deepEqual(await h.ordersOfUser(attempt.customer), [], 'a refused checkout stores no order');
    }

    const retry = refused[0]!.attempt;
    const again = await h.placeOrder(retry.customer, { items: [{ sku, quantity: 1 }], paymentToken: retry.token, idempotencyKey: retry.key });
    assert.equal(again.body.data?.placeOrder?.__typename, 'OrderPlaced', JSON.stringify(again.body));
  });
});
