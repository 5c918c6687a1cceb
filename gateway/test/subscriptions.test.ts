import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createIdentitySigner, DEMO_PASSWORD, IDENTITY_HEADER, loadDemoData } from '@shop/platform';
import { freePort, postGraphQL, ServiceProcess, startTestStack, type TestStack } from '@shop/platform/testing';
import { operation, ShopClient } from './shop-client.ts';
import { createSubscriber, type Subscriber } from './subscriber.ts';

// Federated subscriptions end to end: graphql-ws clients on the gateway's
// /graphql, inventory streaming over graphql-ws behind it, products enriching
// every event with names.
const demo = loadDemoData();
const product = demo.products[10]!;
let stack: TestStack;
let shop: ShopClient;
let admin: string;
const subscribers: Subscriber[] = [];

interface StockEvent {
  sku: string;
  available: number;
  variant: { name: string; product: { name: string } };
}

/** A graphql-ws client (a connection of its own) subscribed to StockChanged. */
function subscribe(url: string, skus: string[]) {
  const subscriber = createSubscriber(url);
  subscribers.push(subscriber);
  return subscriber.subscribe<StockEvent>(operation('StockChanged'), { skus }, (data) => data?.stockChanged);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

/** A gateway metric summed over its series, read from the gateway's metrics port. */
async function metric(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

const expected = (sku: string, available: number): StockEvent => ({
  sku,
  available,
  variant: { name: product.variants.find((v) => v.sku === sku)!.name, product: { name: product.name } },
});

before(async () => {
  stack = await startTestStack({ SUBSCRIPTION_KEEPALIVE_MS: '1000' });
  shop = new ShopClient(stack.url);
  admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
});
after(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await stack?.stop();
});

describe('StockChanged through the gateway', () => {
  it('streams the current level, then restocks and purchases, each with variant and product names from products', async () => {
    const sku = product.variants[0]!.sku;
    const start = await shop.available(sku);
    const sub = subscribe(stack.url, [sku]);
    assert.deepEqual(await sub.next((e) => e.available === start), expected(sku, start));

    await shop.restock(admin, sku, 5);
    assert.deepEqual(await sub.next((e) => e.available === start + 5), expected(sku, start + 5));

    const { token } = await shop.signUp(`sub-buyer-${Date.now()}@buyers.test`);
    const placed = await shop.placeOrder(token, [{ sku, quantity: 2 }], await shop.paymentToken(token), `sub-${Date.now()}`);
    assert.equal(placed.data?.placeOrder.__typename, 'OrderPlaced');
    assert.deepEqual(await sub.next((e) => e.available === start + 3), expected(sku, start + 3));
    assert.deepEqual(sub.errors, []);
  });

  it('shares one upstream subscription and one enrichment per event among 100 identical clients', async () => {
    const sku = product.variants[1]!.sku;
    const start = await shop.available(sku);
    const upstreamsBefore = await metric(stack.gateway.metricsUrl, 'gateway_subscription_upstreams_opened_total');
    const openBefore = await metric(stack.gateway.metricsUrl, 'gateway_subscription_upstreams');
    const subs = Array.from({ length: 100 }, () => subscribe(stack.url, [sku]));
    await Promise.all(subs.map((s) => s.next((e) => e.available === start)));
    assert.equal((await metric(stack.gateway.metricsUrl, 'gateway_subscription_upstreams_opened_total')) - upstreamsBefore, 1, 'one upstream subscription');

    const enrichmentsBefore = await metric(stack.gateway.metricsUrl, 'gateway_subscription_enrichments_total');
    await shop.restock(admin, sku, 7);
    await Promise.all(subs.map((s) => s.next((e) => e.available === start + 7)));
    assert.equal((await metric(stack.gateway.metricsUrl, 'gateway_subscription_enrichments_total')) - enrichmentsBefore, 1, 'one enrichment fetch for the event');

    for (const s of subs) s.dispose();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await metric(stack.gateway.metricsUrl, 'gateway_subscription_upstreams'), openBefore, 'the upstream closes when the last client leaves');
  });

  it('delivers changes made through a second inventory replica (Redis pub/sub)', async () => {
    const sku = product.variants[0]!.sku;
    const replica = new ServiceProcess({ ...stack.subgraphs.inventory!.spec, port: await freePort() }, stack.subgraphs.inventory!.env);
    await replica.start();
    try {
      const start = await shop.available(sku);
      const sub = subscribe(stack.url, [sku]);
      await sub.next((e) => e.available === start);
      const signer = await createIdentitySigner(stack.gateway.env.INTERNAL_IDENTITY_PRIVATE_KEY!);
      const token = await signer.sign({ userId: 'test-admin', roles: ['ADMIN'] });
      const restock = await postGraphQL(replica.url, operation('Restock'), { sku, quantity: 4 }, { [IDENTITY_HEADER]: token });
      assert.equal(restock.body.errors, undefined);
      assert.deepEqual(await sub.next((e) => e.available === start + 4), expected(sku, start + 4));
    } finally {
      await replica.stop();
    }
  });

  it('delivers the same change to clients of two gateways', async () => {
    const sku = product.variants[1]!.sku;
    const second = new ServiceProcess({ ...stack.gateway.spec, port: await freePort() }, stack.gateway.env);
    await second.start();
    try {
      const start = await shop.available(sku);
      const a = subscribe(stack.url, [sku]);
      const b = subscribe(second.url, [sku]);
      await Promise.all([a.next((e) => e.available === start), b.next((e) => e.available === start)]);
      await shop.restock(admin, sku, 3);
      await Promise.all([a.next((e) => e.available === start + 3), b.next((e) => e.available === start + 3)]);
    } finally {
      await second.stop();
    }
  });

  it('keeps clients subscribed across an inventory restart: they get the current level again and later changes, without resubscribing', async () => {
    const sku = product.variants[0]!.sku;
    const start = await shop.available(sku);
    const sub = subscribe(stack.url, [sku]);
    await sub.next((e) => e.available === start);
    await stack.subgraphs.inventory!.stop('SIGKILL');
    await stack.subgraphs.inventory!.start();
    const countBefore = sub.events.length;
    await shop.restock(admin, sku, 2);
    await sub.next((e) => e.available === start + 2, 20_000);
    assert.ok(sub.events.length > countBefore);
    assert.deepEqual(sub.errors, []);
  });

  it('cuts off a client that stops reading, without harming the others', async () => {
    const sku = product.variants[1]!.sku;
    const start = await shop.available(sku);
    const healthy = subscribe(stack.url, [sku]);
    await healthy.next((e) => e.available === start);

    const stalled = new WebSocket(stack.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await within(new Promise((resolve, reject) => stalled.once('open', resolve).once('error', reject)), 5_000, 'open');
    const acknowledged = within(new Promise((resolve) => stalled.once('message', resolve)), 5_000, 'connection_ack');
    stalled.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await acknowledged;
    const firstEvent = within(new Promise((resolve) => stalled.once('message', resolve)), 5_000, 'first event');
    stalled.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: operation('StockChanged'), variables: { skus: [sku] } } }));
    await firstEvent;
    // Stop reading: the socket no longer answers the gateway's pings (every
    // second here), so the gateway drops it. A paused socket cannot see the
    // close either; reading again afterwards shows it was cut off.
    const socket = (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const closed = new Promise<number>((resolve) => stalled.once('close', (code) => resolve(code)));
    socket.resume();
    const code = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('stalled client was not cut off')), 2_000))]);
    assert.notEqual(code, 1000, 'cut off, not closed normally');

    await shop.restock(admin, sku, 1);
    await healthy.next((e) => e.available === start + 1);
  });

  it('refuses a subscription with a bad access token in connection_init', async () => {
    const subscriber = createSubscriber(stack.url, { connectionParams: { authorization: 'Bearer nonsense' } });
    subscribers.push(subscriber);
    const subscription = subscriber.subscribe(operation('StockChanged'), { skus: ['X'] });
    assert.equal(await subscription.settled(), 'error');
    assert.equal((subscription.errors[0] as { code?: number }).code, 4403);
  });

  it('answers a query sent over the WebSocket with a clear error', async () => {
    const subscriber = createSubscriber(stack.url);
    subscribers.push(subscriber);
    // Refused at subscribe time, as a graphql-ws `error` message.
    const subscription = subscriber.subscribe('{ products(first: 1) { edges { node { id } } } }');
    assert.equal(await subscription.settled(), 'error');
    assert.equal((subscription.errors[0] as { extensions?: { code?: string } }).extensions?.code, 'BAD_REQUEST');
  });
});
