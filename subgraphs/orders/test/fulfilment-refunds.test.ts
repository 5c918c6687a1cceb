import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { OrderRepository } from '../src/order/order.repository.ts';
import { startSagaHarness, type SagaHarness } from './saga-harness.ts';

// Fulfilment and refunds against the real products and payments subgraphs:
// sellers come from products, money goes back through payments.
let h: SagaHarness;

before(async () => {
  h = await startSagaHarness();
});

after(async () => {
  await h?.stop();
});

const TO_FULFIL = `
  query ($first: Int!, $after: String) {
    ordersToFulfill(first: $first, after: $after) {
      edges { cursor node { id status placedAt items { quantity variant { sku } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const FULFIL = `mutation ($orderId: ID!, $trackingNumber: String!) { fulfillOrder(orderId: $orderId, trackingNumber: $trackingNumber) { id status fulfilment { trackingNumber } } }`;
const REFUND = `
  mutation ($orderId: ID!, $amount: Int, $idempotencyKey: String) {
    refundOrder(orderId: $orderId, amount: $amount, idempotencyKey: $idempotencyKey) {
      id status refunded { amount currency } refunds { amount { amount } status }
    }
  }`;

type Headers = Record<string, string>;
async function call(headers: Headers, query: string, variables: Record<string, unknown>) {
  return (await postGraphQL<Record<string, any>>(h.orders.url, query, variables, headers)).body;
}
const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.[0]?.extensions?.code;
const admin = () => h.as(randomUUID(), 'ADMIN');

/** A seller's product with one stocked variant per price; returns the skus and the seller's headers. */
async function sellerWith(name: string, prices: number[]) {
  const skus = prices.map((_, i) => h.sku(`${name}-${i}`));
  const product = await h.createProduct(skus.map((sku, i) => ({ sku, price: prices[i]! })));
  for (const sku of skus) await h.addStock(sku, 50);
  return { skus, sellerId: product.sellerId, headers: await h.as(product.sellerId, 'SELLER') };
}

/** A CONFIRMED order of a fresh customer for these lines; returns its id and total. */
async function placedOrder(items: { sku: string; quantity: number }[]) {
  const customer = randomUUID();
  const result = await h.placeOrder(customer, { items, paymentToken: await h.tokenFor(customer) });
  assert.equal(result.body.data?.placeOrder.__typename, 'OrderPlaced', JSON.stringify(result.body));
  return { id: result.body.data!.placeOrder.order.id as string, total: result.body.data!.placeOrder.order.total.amount as number, customer };
}

async function allToFulfil(headers: Headers) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const body = await call(headers, TO_FULFIL, { first: 2, after: cursor });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const page = body.data!.ordersToFulfill;
    ids.push(...page.edges.map((e: any) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    cursor = page.pageInfo.endCursor;
  }
}

describe('ordersToFulfill', () => {
  it("lists a seller's confirmed orders oldest first across pages, only those holding their products; admins see every one", async () => {
    const alice = await sellerWith('FUL-ALICE', [1000]);
    const bob = await sellerWith('FUL-BOB', [2000]);
    const first = await placedOrder([{ sku: alice.skus[0]!, quantity: 1 }]);
    const bobs = await placedOrder([{ sku: bob.skus[0]!, quantity: 1 }]);
    const mixed = await placedOrder([{ sku: bob.skus[0]!, quantity: 1 }, { sku: alice.skus[0]!, quantity: 2 }]);
    const third = await placedOrder([{ sku: alice.skus[0]!, quantity: 3 }]);

    assert.deepEqual(await allToFulfil(alice.headers), [first.id, mixed.id, third.id]);
    assert.deepEqual(await allToFulfil(bob.headers), [bobs.id, mixed.id]);
    const all = await allToFulfil(await admin());
    assert.deepEqual(all.filter((id) => [first.id, bobs.id, mixed.id, third.id].includes(id)), [first.id, bobs.id, mixed.id, third.id]);
  });

  it('is FORBIDDEN to customers and UNAUTHENTICATED for anonymous callers', async () => {
    assert.equal(codeOf(await call(await h.as(randomUUID()), TO_FULFIL, { first: 5 })), 'FORBIDDEN');
    assert.equal(codeOf(await call({}, TO_FULFIL, { first: 5 })), 'UNAUTHENTICATED');
  });
});

describe('fulfillOrder', () => {
  it('lets the seller of every line record the tracking number and move the order to FULFILLED, once; the order leaves the list and OrderFulfilled is published', async () => {
    const seller = await sellerWith('FUL-SHIP', [1500]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 1 }]);
    const body = await call(seller.headers, FULFIL, { orderId: order.id, trackingNumber: ' 1Z999AA10123456784 ' });
    assert.deepEqual(body, { data: { fulfillOrder: { id: order.id, status: 'FULFILLED', fulfilment: { trackingNumber: '1Z999AA10123456784' } } } });
    // Twice: answered as it stands, the first tracking number kept.
    assert.deepEqual(await call(seller.headers, FULFIL, { orderId: order.id, trackingNumber: 'OTHER' }), body);
    assert.ok(!(await allToFulfil(seller.headers)).includes(order.id));
    assert.deepEqual(await h.history(order.id), [[null, 'PENDING'], ['PENDING', 'CONFIRMED'], ['CONFIRMED', 'FULFILLED']]);
    const events = (await h.events(order.id)).filter((e) => e.type === 'OrderFulfilled');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.payload.trackingNumber, '1Z999AA10123456784');
  });

  it('answers FORBIDDEN to a seller of only some lines and to customers, NOT_FOUND to a seller of none and for a missing order; an admin may fulfil any', async () => {
    const alice = await sellerWith('FUL-AUTH-A', [100]);
    const bob = await sellerWith('FUL-AUTH-B', [200]);
    const carol = await sellerWith('FUL-AUTH-C', [300]);
    const mixed = await placedOrder([{ sku: alice.skus[0]!, quantity: 1 }, { sku: bob.skus[0]!, quantity: 1 }]);
    const args = { orderId: mixed.id, trackingNumber: 'T1' };
    assert.equal(codeOf(await call(alice.headers, FULFIL, args)), 'FORBIDDEN');
    assert.equal(codeOf(await call(await h.as(mixed.customer), FULFIL, args)), 'FORBIDDEN');
    assert.equal(codeOf(await call(carol.headers, FULFIL, args)), 'NOT_FOUND');
    assert.equal(codeOf(await call(alice.headers, FULFIL, { orderId: randomUUID(), trackingNumber: 'T1' })), 'NOT_FOUND');
    assert.equal((await h.order(mixed.id))!.status, 'CONFIRMED');
    assert.equal((await call(await admin(), FULFIL, args)).data!.fulfillOrder.status, 'FULFILLED');
  });

  it('refuses a cancelled or refunded order with CONFLICT and an empty tracking number with BAD_USER_INPUT', async () => {
    const seller = await sellerWith('FUL-CONFLICT', [800]);
    const cancelled = await placedOrder([{ sku: seller.skus[0]!, quantity: 1 }]);
    const cancel = await h.cancelOrder(cancelled.id, await h.as(cancelled.customer));
    assert.equal(cancel.body.data?.cancelOrder.status, 'CANCELLED', JSON.stringify(cancel.body));
    assert.equal(codeOf(await call(seller.headers, FULFIL, { orderId: cancelled.id, trackingNumber: 'T' })), 'CONFLICT');

    const refunded = await placedOrder([{ sku: seller.skus[0]!, quantity: 1 }]);
    assert.equal((await call(await admin(), REFUND, { orderId: refunded.id })).data!.refundOrder.status, 'REFUNDED');
    assert.equal(codeOf(await call(seller.headers, FULFIL, { orderId: refunded.id, trackingNumber: 'T' })), 'CONFLICT');
    assert.equal(codeOf(await call(seller.headers, FULFIL, { orderId: refunded.id, trackingNumber: '  ' })), 'BAD_USER_INPUT');
  });
});

describe('refundOrder', () => {
  it('refunds a fulfilled order in part and then the rest: payment PARTIALLY_REFUNDED then REFUNDED, the order REFUNDED, OrderRefunded each time', async () => {
    const seller = await sellerWith('REF-PART', [2500]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 2 }]);
    await call(seller.headers, FULFIL, { orderId: order.id, trackingNumber: 'T-PART' });
    const headers = await admin();

    const part = await call(headers, REFUND, { orderId: order.id, amount: 1200 });
    assert.deepEqual(part, {
      data: { refundOrder: { id: order.id, status: 'FULFILLED', refunded: { amount: 1200, currency: 'USD' }, refunds: [{ amount: { amount: 1200 }, status: 'SUCCEEDED' }] } },
    });
    assert.deepEqual((await h.paymentsOf(order.id)).map((p) => [p.status, p.refunded_amount]), [['PARTIALLY_REFUNDED', 1200]]);

    const rest = await call(headers, REFUND, { orderId: order.id });
    assert.equal(rest.data!.refundOrder.status, 'REFUNDED');
    assert.deepEqual(rest.data!.refundOrder.refunded, { amount: 5000, currency: 'USD' });
    assert.deepEqual((await h.paymentsOf(order.id)).map((p) => [p.status, p.refunded_amount]), [['REFUNDED', 5000]]);

    const events = (await h.events(order.id)).filter((e) => e.type === 'OrderRefunded').map((e) => [e.payload.amount.amount, e.payload.remaining.amount]);
    assert.deepEqual(events, [[1200, 3800], [3800, 0]]);
    // Asking for the full refund again answers the order as it stands.
    assert.deepEqual((await call(headers, REFUND, { orderId: order.id })).data!.refundOrder.status, 'REFUNDED');
  });

  it('is idempotent per request: the same partial refund sent twice pays back once; a distinct key pays back again', async () => {
    const seller = await sellerWith('REF-IDEM', [1000]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 3 }]);
    const headers = await admin();
    const once = await call(headers, REFUND, { orderId: order.id, amount: 500 });
    assert.deepEqual(await call(headers, REFUND, { orderId: order.id, amount: 500 }), once);
    assert.equal((await h.paymentsOf(order.id))[0]!.refunded_amount, 500);
    await call(headers, REFUND, { orderId: order.id, amount: 500, idempotencyKey: 'second-500' });
    await call(headers, REFUND, { orderId: order.id, amount: 500, idempotencyKey: 'second-500' });
    assert.deepEqual((await h.paymentsOf(order.id)).map((p) => [p.status, p.refunded_amount]), [['PARTIALLY_REFUNDED', 1000]]);
  });

  it('refuses an over-refund with REFUND_EXCEEDS_REMAINING and what is left, and paying nothing back', async () => {
    const seller = await sellerWith('REF-OVER', [1000]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 1 }]);
    const headers = await admin();
    await call(headers, REFUND, { orderId: order.id, amount: 600 });
    const over = await call(headers, REFUND, { orderId: order.id, amount: 401 });
    const { code, field, remaining } = over.errors?.[0]?.extensions ?? {};
    assert.deepEqual({ code, field, remaining }, { code: 'REFUND_EXCEEDS_REMAINING', field: 'amount', remaining: 400 });
    assert.equal((await h.paymentsOf(order.id))[0]!.refunded_amount, 600);
    assert.equal((await h.order(order.id))!.status, 'CONFIRMED');
  });

  it('keeps an order refunded in part from being cancelled (which would refund the whole total): CONFLICT, and the rest can still be refunded', async () => {
    const seller = await sellerWith('REF-CANCEL', [1000]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 2 }]);
    const headers = await admin();
    await call(headers, REFUND, { orderId: order.id, amount: 300 });
    const cancel = await h.cancelOrder(order.id, await h.as(order.customer));
    assert.equal(codeOf(cancel.body as any), 'CONFLICT');
    assert.equal((await h.order(order.id))!.status, 'CONFIRMED');
    assert.equal((await call(headers, REFUND, { orderId: order.id })).data!.refundOrder.status, 'REFUNDED');
    assert.deepEqual((await h.paymentsOf(order.id)).map((p) => [p.status, p.refunded_amount]), [['REFUNDED', 2000]]);
  });

  it('does not start a cancellation that read the order before a partial refund landed (the refund check is made under the row lock)', async () => {
    const seller = await sellerWith('REF-RACE', [1000]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 2 }]);
    // The cancellation read the order (CONFIRMED, DONE, nothing refunded)...
    const seen = await new OrderRepository(h.orders.orm.em.fork()).findFresh(order.id);
    // ...then an admin's partial refund was recorded before the cancellation took the row lock.
    await call(await admin(), REFUND, { orderId: order.id, amount: 300 });
    assert.equal(await h.saga.requestCancellation(seen!), false);
    assert.deepEqual([(await h.order(order.id))!.status, (await h.order(order.id))!.saga_step], ['CONFIRMED', 'DONE']);
    assert.deepEqual((await h.paymentsOf(order.id)).map((p) => [p.status, p.refunded_amount]), [['PARTIALLY_REFUNDED', 300]]);
  });

  it('is for admins only, NOT_FOUND for a missing order and CONFLICT for a cancelled one', async () => {
    const seller = await sellerWith('REF-AUTH', [1000]);
    const order = await placedOrder([{ sku: seller.skus[0]!, quantity: 1 }]);
    assert.equal(codeOf(await call(await h.as(order.customer), REFUND, { orderId: order.id })), 'FORBIDDEN');
    assert.equal(codeOf(await call(seller.headers, REFUND, { orderId: order.id })), 'FORBIDDEN');
    assert.equal(codeOf(await call(await admin(), REFUND, { orderId: randomUUID() })), 'NOT_FOUND');
    await h.cancelOrder(order.id, await h.as(order.customer));
    assert.equal(codeOf(await call(await admin(), REFUND, { orderId: order.id })), 'CONFLICT');
  });
});
