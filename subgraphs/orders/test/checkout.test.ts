import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CARDS, startSagaHarness, type SagaHarness } from './saga-harness.ts';

// Payments' provider gives up after 300 ms (PAYMENT_PROVIDER_TIMEOUT_MS), so
// the slow test card answers `provider_timeout` quickly.
let h: SagaHarness;

before(async () => {
  h = await startSagaHarness({ providerTimeoutMs: 300 });
});

after(async () => {
  await h?.stop();
});

/** A published product with one variant at `price` cents and `stock` units; returns its sku. */
async function stockedSku(name: string, price: number, stock: number): Promise<string> {
  const sku = h.sku(name);
  await h.createProduct([{ sku, price }]);
  if (stock > 0) await h.addStock(sku, stock);
  return sku;
}

/** Asserts that an order left nothing behind: stock as before, nothing held, no money taken. */
async function assertNothingHeldOrTaken(orderId: string, customer: string, sku: string, stockBefore: number) {
  assert.deepEqual(await h.stock(sku), { available: stockBefore, reserved: 0 });
  assert.ok((await h.reservations(orderId)).every((r) => r.status === 'RELEASED'), 'no reservation stays HELD or COMMITTED');
  const payments = await h.paymentsOf(orderId);
  assert.ok(payments.every((p) => p.status === 'FAILED' || p.status === 'VOIDED'), `no captured payment: ${JSON.stringify(payments)}`);
  const charges = await h.chargesOfCustomer(customer);
  assert.ok(charges.every((c) => c.status === 'declined' || c.status === 'voided'), `the provider holds no money: ${JSON.stringify(charges)}`);
}

async function onlyOrderOf(customer: string) {
  const orders = await h.ordersOfUser(customer);
  assert.equal(orders.length, 1, JSON.stringify(orders));
  return orders[0]!;
}

describe('placeOrder', () => {
  it('places an order: OrderPlaced with the CONFIRMED order, the total captured and the stock committed', async () => {
    const sku = await stockedSku('HAPPY', 2500, 10);
    const other = await stockedSku('HAPPY-2', 799, 5);
    const customer = randomUUID();
    const result = await h.placeOrder(customer, {
      items: [{ sku, quantity: 2 }, { sku: other, quantity: 1 }],
      paymentToken: await h.tokenFor(customer),
    });
    assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
    const placed = result.body.data!.placeOrder;
    const orderId = placed.order.id as string;
    assert.deepEqual(placed, {
      __typename: 'OrderPlaced',
      order: {
        id: orderId,
        status: 'CONFIRMED',
        total: { amount: 5799, currency: 'USD' },
        items: [
          { quantity: 2, unitPrice: { amount: 2500, currency: 'USD' }, variant: { sku } },
          { quantity: 1, unitPrice: { amount: 799, currency: 'USD' }, variant: { sku: other } },
        ],
      },
    });

    const payments = await h.paymentsOf(orderId);
    assert.deepEqual(payments.map((p) => [p.status, p.amount, p.user_id]), [['CAPTURED', 5799, customer]]);
    assert.deepEqual(await h.paymentOfOrder(orderId, customer), { id: payments[0]!.id, status: 'CAPTURED', amount: { amount: 5799 } });
    assert.deepEqual(await h.reservations(orderId), [
      { sku, quantity: 2, status: 'COMMITTED' },
      { sku: other, quantity: 1, status: 'COMMITTED' },
    ].sort((a, b) => (a.sku < b.sku ? -1 : 1)));
    assert.deepEqual(await h.stock(sku), { available: 8, reserved: 0 });
    assert.deepEqual(await h.stock(other), { available: 4, reserved: 0 });
    assert.deepEqual(await h.history(orderId), [[null, 'PENDING'], ['PENDING', 'CONFIRMED']]);
    assert.equal((await h.order(orderId))?.saga_step, 'DONE');

    const events = await h.events(orderId);
    assert.deepEqual(events.map((e) => e.type), ['OrderPlaced']);
    assert.deepEqual(events[0]!.payload.total, { amount: 5799, currency: 'USD' });
    assert.deepEqual(events[0]!.payload.items.map((i: { sku: string }) => i.sku), [sku, other]);
  });

  it('charges the live-sale price while a sale of the product is LIVE', async () => {
    const sku = h.sku('ON-SALE');
    const product = await h.createProduct([{ sku, price: 5000 }]);
    await h.addStock(sku, 3);
    const now = Date.now();
    const sale = await fetch(h.products.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...product.seller },
      body: JSON.stringify({
        query: 'mutation ($input: ScheduleLiveSaleInput!) { scheduleLiveSale(input: $input) { id } }',
        variables: {
          input: {
            title: 'Flash',
            startsAt: new Date(now - 60_000).toISOString(),
            endsAt: new Date(now + 3_600_000).toISOString(),
            productIds: [product.id],
            prices: [{ sku, amount: 2999 }],
          },
        },
      }),
    }).then((r) => r.json() as Promise<{ errors?: unknown }>);
    assert.equal(sale.errors, undefined, JSON.stringify(sale.errors));

    const customer = randomUUID();
    const result = await h.placeOrder(customer, { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer) });
    assert.equal(result.body.data?.placeOrder.order.total.amount, 2999, JSON.stringify(result.body));
    const [payment] = await h.paymentsOf(result.body.data!.placeOrder.order.id);
    assert.deepEqual([payment?.status, payment?.amount], ['CAPTURED', 2999]);
  });

  it('answers InsufficientStock when a sku is short, and leaves nothing reserved and no payment', async () => {
    const sku = await stockedSku('SHORT', 1000, 1);
    const plenty = await stockedSku('PLENTY', 1000, 50);
    const customer = randomUUID();
    const result = await h.placeOrder(customer, {
      items: [{ sku: plenty, quantity: 1 }, { sku, quantity: 2 }],
      paymentToken: await h.tokenFor(customer),
    });
    assert.deepEqual(result.body, {
      data: { placeOrder: { __typename: 'InsufficientStock', sku, available: 1, message: `Only 1 of ${sku} left; 2 requested.` } },
    });
    const order = await onlyOrderOf(customer);
    assert.equal(order.status, 'CANCELLED');
    assert.deepEqual(await h.reservations(order.id), []);
    assert.deepEqual(await h.stock(sku), { available: 1, reserved: 0 });
    assert.deepEqual(await h.stock(plenty), { available: 50, reserved: 0 });
    assert.deepEqual(await h.paymentsOfUser(customer), []);
    assert.deepEqual(await h.chargesOfCustomer(customer), []);
    assert.deepEqual((await h.events(order.id)).map((e) => [e.type, e.payload.fromStatus]), [['OrderCancelled', 'PENDING']]);
  });

  const declines = [
    { card: CARDS.declined, reason: 'card_declined', message: 'Your card was declined.' },
    { card: CARDS.insufficientFunds, reason: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  ];
  for (const { card, reason, message } of declines) {
    it(`answers PaymentDeclined (${reason}) and releases the stock it had reserved; nothing is captured`, async () => {
      const sku = await stockedSku(`DECLINE-${reason}`, 1500, 10);
      const customer = randomUUID();
      const result = await h.placeOrder(customer, { items: [{ sku, quantity: 3 }], paymentToken: await h.tokenFor(customer, card) });
      assert.deepEqual(result.body, { data: { placeOrder: { __typename: 'PaymentDeclined', reason, message } } });
      const order = await onlyOrderOf(customer);
      assert.deepEqual([order.status, order.saga_step], ['CANCELLED', 'DONE']);
      assert.deepEqual(await h.reservations(order.id), [{ sku, quantity: 3, status: 'RELEASED' }]);
      await assertNothingHeldOrTaken(order.id, customer, sku, 10);
      assert.deepEqual(await h.history(order.id), [[null, 'PENDING'], ['PENDING', 'CANCELLED']]);
    });
  }

  it('gives up on a payment provider that times out (retried once), and leaves nothing reserved or captured', async () => {
    const sku = await stockedSku('SLOW', 1200, 4);
    const customer = randomUUID();
    const started = Date.now();
    const result = await h.placeOrder(customer, { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer, CARDS.timesOut) });
    assert.deepEqual(result.body, {
      data: {
        placeOrder: {
          __typename: 'PaymentDeclined',
          reason: 'provider_timeout',
          message: 'The payment could not be confirmed in time. Nothing was charged; try again.',
        },
      },
    });
    // Two attempts of 300 ms each: the retry happened, and nothing waited for the slow card itself.
    assert.ok(Date.now() - started >= 600, `answered after ${Date.now() - started} ms`);
    const order = await onlyOrderOf(customer);
    assert.equal(order.status, 'CANCELLED');
    await assertNothingHeldOrTaken(order.id, customer, sku, 4);
  });

  it('turns 50 concurrent identical requests into one order and one charge, and gives all of them the same answer', async () => {
    const sku = await stockedSku('RUSH', 990, 100);
    const customer = randomUUID();
    const input = { items: [{ sku, quantity: 2 }], paymentToken: await h.tokenFor(customer), idempotencyKey: randomUUID() };
    const results = await Promise.all(Array.from({ length: 50 }, () => h.placeOrder(customer, input)));

    const first = results[0]!.body;
    assert.equal(first.data?.placeOrder.__typename, 'OrderPlaced', JSON.stringify(first));
    for (const result of results) assert.deepEqual(result.body, first);
    const order = await onlyOrderOf(customer);
    assert.equal(order.id, first.data!.placeOrder.order.id);
    assert.deepEqual((await h.paymentsOfUser(customer)).map((p) => [p.order_id, p.status, p.amount]), [[order.id, 'CAPTURED', 1980]]);
    assert.deepEqual((await h.chargesOfCustomer(customer)).map((c) => [c.status, c.amount]), [['captured', 1980]]);
    assert.deepEqual(await h.stock(sku), { available: 98, reserved: 0 });
  });

  it('returns the stored outcome to a later retry with the same key, without a second order or charge', async () => {
    const sku = await stockedSku('RETRY', 500, 5);
    const customer = randomUUID();
    const input = { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer), idempotencyKey: 'cart-42' };
    const first = await h.placeOrder(customer, input);
    const again = await h.placeOrder(customer, { ...input, items: [{ sku, quantity: 1 }] });
    assert.equal(first.body.data?.placeOrder.__typename, 'OrderPlaced');
    assert.deepEqual(again.body, first.body);
    assert.equal((await h.paymentsOfUser(customer)).length, 1);

    // Keys are per customer: another customer's same key is another checkout.
    const someoneElse = randomUUID();
    const theirs = await h.placeOrder(someoneElse, { ...input, paymentToken: await h.tokenFor(someoneElse) });
    assert.equal(theirs.body.data?.placeOrder.__typename, 'OrderPlaced');
    assert.notEqual(theirs.body.data?.placeOrder.order.id, first.body.data?.placeOrder.order.id);
  });

  it('refuses the same key with other items or another token with BAD_USER_INPUT (IDEMPOTENCY_KEY_REUSED), changing nothing', async () => {
    const sku = await stockedSku('REUSE', 700, 10);
    const customer = randomUUID();
    const token = await h.tokenFor(customer);
    const idempotencyKey = randomUUID();
    const first = await h.placeOrder(customer, { items: [{ sku, quantity: 1 }], paymentToken: token, idempotencyKey });
    assert.equal(first.body.data?.placeOrder.__typename, 'OrderPlaced');

    for (const changed of [
      { items: [{ sku, quantity: 2 }], paymentToken: token },
      { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer) },
    ]) {
      const reused = await h.placeOrder(customer, { ...changed, idempotencyKey });
      assert.deepEqual(reused.body.data, null);
      assert.deepEqual(reused.body.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.field, e.extensions?.reason]), [
        [
          'This idempotency key was already used for a different order (other items or payment token). Use a new key for a new order.',
          'BAD_USER_INPUT',
          'input.idempotencyKey',
          'IDEMPOTENCY_KEY_REUSED',
        ],
      ]);
    }
    assert.equal((await h.ordersOfUser(customer)).length, 1);
    assert.deepEqual(await h.stock(sku), { available: 9, reserved: 0 });
  });

  it('treats the same cart in another line order as the same request', async () => {
    const a = await stockedSku('ORDER-A', 100, 5);
    const b = await stockedSku('ORDER-B', 200, 5);
    const customer = randomUUID();
    const token = await h.tokenFor(customer);
    const idempotencyKey = randomUUID();
    const first = await h.placeOrder(customer, { items: [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }], paymentToken: token, idempotencyKey });
    const reordered = await h.placeOrder(customer, { items: [{ sku: b, quantity: 1 }, { sku: a, quantity: 1 }], paymentToken: token, idempotencyKey });
    assert.deepEqual(reordered.body, first.body);
  });

  it('merges lines with the same sku into one item', async () => {
    const sku = await stockedSku('MERGE', 300, 10);
    const customer = randomUUID();
    const result = await h.placeOrder(customer, { items: [{ sku, quantity: 1 }, { sku, quantity: 2 }], paymentToken: await h.tokenFor(customer) });
    assert.deepEqual(result.body.data?.placeOrder.order.items, [{ quantity: 3, unitPrice: { amount: 300, currency: 'USD' }, variant: { sku } }]);
    assert.deepEqual(await h.stock(sku), { available: 7, reserved: 0 });
  });

  it('refuses anonymous callers with UNAUTHENTICATED and creates nothing', async () => {
    const sku = await stockedSku('ANON', 300, 1);
    const result = await h.placeOrder(null, { items: [{ sku, quantity: 1 }], paymentToken: 'tok' });
    assert.deepEqual(result.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
    assert.deepEqual(await h.stock(sku), { available: 1, reserved: 0 });
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, before anything is recorded', async () => {
    const sku = await stockedSku('INPUT', 300, 1);
    const unpublished = h.sku('UNPUBLISHED');
    await fetch(h.products.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await h.as(randomUUID(), 'SELLER')) },
      body: JSON.stringify({
        query: 'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        variables: { input: { name: 'Draft', price: { amount: 100, currency: 'USD' }, variants: [{ sku: unpublished }] } },
      }),
    });
    const customer = randomUUID();
    const line = { sku, quantity: 1 };
    const cases: { input: Record<string, unknown>; field: string }[] = [
      { input: { items: [] }, field: 'input.items' },
      { input: { items: Array.from({ length: 51 }, (_, i) => ({ sku: `${sku}-${i}`, quantity: 1 })) }, field: 'input.items' },
      { input: { items: [line, { sku, quantity: 0 }] }, field: 'input.items[1].quantity' },
      { input: { items: [{ sku, quantity: 101 }] }, field: 'input.items[0].quantity' },
      { input: { items: [{ sku, quantity: 60 }, { sku, quantity: 41 }] }, field: 'input.items[1].quantity' },
      { input: { items: [{ sku: '', quantity: 1 }] }, field: 'input.items[0].sku' },
      { input: { items: [line], idempotencyKey: '' }, field: 'input.idempotencyKey' },
      { input: { items: [line], idempotencyKey: 'k'.repeat(201) }, field: 'input.idempotencyKey' },
      { input: { items: [line], paymentToken: '' }, field: 'input.paymentToken' },
      { input: { items: [line, { sku: h.sku('NO-SUCH-SKU'), quantity: 1 }] }, field: 'input.items[1].sku' },
      { input: { items: [{ sku: unpublished, quantity: 1 }] }, field: 'input.items[0].sku' },
    ];
    for (const { input, field } of cases) {
      const result = await h.placeOrder(customer, { paymentToken: 'tok_unused', ...(input as { items: { sku: string; quantity: number }[] }) });
      assert.deepEqual(
        result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]),
        [['BAD_USER_INPUT', field]],
        `${JSON.stringify(input).slice(0, 120)}: ${JSON.stringify(result.body.errors)}`,
      );
    }
    assert.deepEqual(await h.ordersOfUser(customer), []);
    assert.deepEqual(await h.stock(sku), { available: 1, reserved: 0 });
  });
});
