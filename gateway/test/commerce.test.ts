import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { startTestStack, startWebhookReceiver, type TestStack } from '@shop/platform/testing';
import { ShopClient } from './shop-client.ts';

// The rest of commerce, end to end on the real stack (gateway, five
// subgraphs, PostgreSQL, Redis), with the contract's Wave 2 operations as
// the storefront, the demo seller and the admin send them, and a partner's
// webhook receiver on 127.0.0.1.
const demo = loadDemoData();
const SELLER = demo.users.find((u) => u.email === 'seller@demo.shop')!;
let stack: TestStack;
let shop: ShopClient;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

before(async () => {
  stack = await startTestStack({
    // Retries within the test's patience; the production defaults are minutes apart.
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
    WEBHOOK_POLL_INTERVAL_MS: '100',
  });
  shop = new ShopClient(stack.url);
  // The partner's first answer fails: that delivery must come again.
  receiver = await startWebhookReceiver([500]);
});

after(async () => {
  await receiver?.close();
  await stack?.stop();
});

function data(body: { data?: any; errors?: unknown }, field: string) {
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data[field];
}

describe('cart, fulfilment, refunds and webhooks through the gateway', () => {
  it('a customer fills a cart, finds it after signing in again and checks it out; the demo seller fulfils; an admin refunds part then the rest; the partner gets each event signed, a failed delivery again', async () => {
    const admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    const hook = data(await shop.call('CreateWebhook', { url: receiver.url, events: ['ORDER_PLACED', 'ORDER_FULFILLED', 'ORDER_REFUNDED'] }, admin), 'createWebhook');
    assert.match(hook.secret, /^whsec_/);

    // Two variants of one of the demo seller's products, with stock.
    const product = demo.products.find((p) => p.sellerId === SELLER.id && p.variants.length >= 2)!;
    const [a, b] = product.variants;
    for (const v of [a!, b!]) await shop.restock(admin, v.sku, 10);

    // The storefront: add, add again to the same line, change a quantity.
    const email = `cart-${randomUUID()}@buyers.test`;
    const customer = await shop.signUp(email);
    data(await shop.call('AddToCart', { sku: a!.sku, quantity: 2 }, customer.token), 'addToCart');
    const added = data(await shop.call('AddToCart', { sku: b!.sku, quantity: 1 }, customer.token), 'addToCart');
    const again = data(await shop.call('AddToCart', { sku: a!.sku, quantity: 1 }, customer.token), 'addToCart');
    assert.deepEqual(again.lines.map((l: any) => [l.variant.sku, l.quantity]), [[a!.sku, 3], [b!.sku, 1]]);
    const lineB = added.lines.find((l: any) => l.variant.sku === b!.sku).id;
    const set = data(await shop.call('SetCartLineQuantity', { lineId: lineB, quantity: 2 }, customer.token), 'setCartLineQuantity');
    assert.deepEqual(set.lines.map((l: any) => l.quantity), [3, 2]);

    // Another device: signing in again finds the same cart, with names, prices and stock from the other subgraphs.
    const again2 = await shop.signIn(email, 'correct-horse-battery');
    const me = data(await shop.call('MyCart', {}, again2), 'me');
    const cart = me.cart;
    assert.equal(cart.id, again.id);
    assert.deepEqual(
      cart.lines.map((l: any) => [l.variant.sku, l.variant.name, l.quantity, l.variant.stock.available]),
      [[a!.sku, a!.name, 3, (await shop.available(a!.sku))], [b!.sku, b!.name, 2, (await shop.available(b!.sku))]],
    );
    for (const line of cart.lines) assert.equal(line.total.amount, line.variant.price.amount * line.quantity);
    assert.deepEqual(cart.total, { amount: cart.lines.reduce((sum: number, l: any) => sum + l.total.amount, 0), currency: 'USD' });

    // Checkout: the order total is the cart total, and the cart is empty after.
    const paymentToken = await shop.paymentToken(again2);
    const checkout = data(await shop.call('CheckoutCart', { paymentToken, idempotencyKey: randomUUID() }, again2), 'checkoutCart');
    assert.equal(checkout.__typename, 'OrderPlaced');
    const order = checkout.order;
    assert.deepEqual([order.status, order.total], ['CONFIRMED', cart.total]);
    assert.deepEqual(data(await shop.call('MyCart', {}, customer.token), 'me').cart.lines, []);

    // The demo seller finds the order among those to ship (oldest first) once its payment is captured
    // and its stock committed (they follow the answer), and fulfils it.
    const seller = await shop.signIn(SELLER.email, DEMO_PASSWORD);
    let found: any;
    for (let round = 0; !found; round++) {
      assert.ok(round < 100, 'the order reaches the list of orders to ship');
      if (round) await new Promise((resolve) => setTimeout(resolve, 100));
      let after: string | null = null;
      do {
        const page: any = data(await shop.call('OrdersToFulfill', { first: 20, after }, seller), 'ordersToFulfill');
        found = page.edges.map((e: any) => e.node).find((n: any) => n.id === order.id);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after && !found);
    }
    assert.deepEqual(found.items.map((i: any) => [i.variant.sku, i.variant.name, i.quantity]), [[a!.sku, a!.name, 3], [b!.sku, b!.name, 2]]);
    assert.deepEqual(data(await shop.call('FulfillOrder', { orderId: order.id, trackingNumber: '1Z-DEMO-0001' }, seller), 'fulfillOrder'), { id: order.id, status: 'FULFILLED' });

    // The admin refunds part, then the rest.
    const part = data(await shop.call('RefundOrder', { orderId: order.id, amount: 500 }, admin), 'refundOrder');
    assert.deepEqual(part, { id: order.id, status: 'FULFILLED', payment: { status: 'PARTIALLY_REFUNDED' } });
    const rest = data(await shop.call('RefundOrder', { orderId: order.id }, admin), 'refundOrder');
    assert.deepEqual(rest, { id: order.id, status: 'REFUNDED', payment: { status: 'REFUNDED' } });

    // The partner: ORDER_PLACED, ORDER_FULFILLED and ORDER_REFUNDED (twice: part and rest), each signed; the failed one again.
    const ofOrder = (r: { body: string }) => JSON.parse(r.body).data.orderId === order.id;
    const done = (all: typeof receiver.received) => {
      const delivered = all.filter((r) => ofOrder(r) && r.answered === 200).map((r) => JSON.parse(r.body).type);
      return ['ORDER_PLACED', 'ORDER_FULFILLED'].every((t) => delivered.includes(t)) && delivered.filter((t) => t === 'ORDER_REFUNDED').length === 2;
    };
    const got = (await receiver.waitFor(done, 60_000)).filter(ofOrder);
    const verifier = new Webhook(hook.secret);
    for (const r of got) verifier.verify(r.body, r.headers as Record<string, string>);
    const failed = got.find((r) => r.answered === 500)!;
    assert.ok(failed, 'the first delivery was answered 500');
    const retried = got.filter((r) => r.headers['webhook-id'] === failed.headers['webhook-id']);
    assert.deepEqual(retried.map((r) => r.answered), [500, 200], 'the failed delivery came again with the same webhook-id');
    const refunds = got.filter((r) => r.answered === 200 && JSON.parse(r.body).type === 'ORDER_REFUNDED').map((r) => JSON.parse(r.body).data);
    assert.deepEqual(refunds.map((d) => [d.amount.amount, d.remaining.amount]).sort((x, y) => y[1] - x[1]), [[500, order.total.amount - 500], [order.total.amount - 500, 0]]);
  });
});
