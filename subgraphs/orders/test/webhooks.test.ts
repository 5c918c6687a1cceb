import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { connectRedis, createIdentitySigner, createIdentityVerifier, createLogger, createOutboxRelay, generateIdentityKeys, IDENTITY_HEADER } from '@shop/platform';
import { createOrderLoaders } from '../src/order/order.loaders.ts';
import { OrderRepository } from '../src/order/order.repository.ts';
import { OrderService } from '../src/order/order.service.ts';
import { createSagaServices } from '../src/remote/saga-services.ts';
import { createServer } from '../src/server.ts';
import { postWebhook } from '../src/webhook/webhook-http.ts';
import { WebhookRepository } from '../src/webhook/webhook.repository.ts';
import { createWebhookSender, DEFAULT_WEBHOOK_SENDER_SETTINGS, type WebhookSenderSettings } from '../src/webhook/webhook.sender.ts';
import { startWebhooks, type RunningWebhooks } from '../src/webhook/webhooks.ts';
import { insertOrder, startOrders } from './fixtures.ts';
import { HANG, postGraphQL, startWebhookReceiver, TEST_REDIS_URL } from '@shop/platform/testing';

// Partner webhooks fed by the real pipeline: order status change -> outbox
// -> relay -> Redis stream -> consumer group -> deliveries -> signed POSTs
// to a receiver on 127.0.0.1 (allowed outside production).
let orders: Awaited<ReturnType<typeof startOrders>>;
let webhooks: RunningWebhooks;
const redis = connectRedis(TEST_REDIS_URL, 'orders-webhooks-test');
const stream = `test:events:orders:${randomBytes(4).toString('hex')}`;
const logger = createLogger('orders-webhooks-test', 'silent');
const settings: WebhookSenderSettings = { ...DEFAULT_WEBHOOK_SENDER_SETTINGS, retryBaseMs: 100, retryMaxDelayMs: 400, maxAttempts: 3, pollIntervalMs: 50, timeoutMs: 1_000, allowPrivateUrls: true };

before(async () => {
  orders = await startOrders();
  webhooks = await startWebhooks({ orm: orders.orm, redis, stream, logger, settings });
});

after(async () => {
  await webhooks?.stop();
  await redis.del(stream, `${stream}:dead`);
  redis.disconnect();
  await orders?.stop();
});

const CREATE = `mutation ($url: String!, $events: [WebhookEvent!]!) { createWebhook(url: $url, events: $events) { id secret webhook { url events } } }`;
const LOG = `
  query ($id: ID!) {
    webhook(id: $id) {
      deliveries(first: 10) {
        edges { node { id event status attemptCount deliveredAt payload attempts { number responseStatus error } } }
      }
    }
  }`;

async function gql(headers: Record<string, string>, query: string, variables: Record<string, unknown>) {
  return (await postGraphQL<Record<string, any>>(orders.url, query, variables, headers)).body;
}

async function createWebhook(url: string, events: string[]) {
  const body = await gql(await orders.as(randomUUID(), 'ADMIN'), CREATE, { url, events });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.createWebhook as { id: string; secret: string };
}

type Status = 'CONFIRMED' | 'FULFILLED' | 'REFUNDED' | 'CANCELLED';

/** Moves an order through `statuses` as the services would; its events stay in the outbox. */
async function orderChanges(...statuses: Status[]) {
  const orderId = await insertOrder(orders.orm, { userId: randomUUID(), items: [{ sku: 'WH-1', quantity: 1, unitPriceAmount: 1234 }] });
  for (const status of statuses) {
    const repository = new OrderRepository(orders.orm.em.fork());
    await new OrderService(repository, createOrderLoaders(repository)).transition(orderId, status, 'test');
  }
  return orderId;
}

/** Publishes the outbox to the stream, as the relay of a running orders process does. */
async function relay() {
  const outbox = createOutboxRelay({ orm: orders.orm, redis, stream, logger });
  while ((await outbox.relayOnce()) > 0);
}

/** Moves an order through `statuses`, then relays its events to the stream. */
async function orderGoesThrough(...statuses: Status[]) {
  const orderId = await orderChanges(...statuses);
  await relay();
  return orderId;
}

/**
 * The webhook's newest delivery once it is settled (SUCCEEDED or FAILED):
 * the receiver sees a request before the sender records its outcome.
 */
async function settledDelivery(webhookId: string) {
  for (let i = 0; ; i++) {
    const log = await gql(await orders.as(randomUUID(), 'ADMIN'), LOG, { id: webhookId });
    const delivery = log.data!.webhook.deliveries.edges[0]?.node;
    if (delivery && delivery.status !== 'PENDING') return delivery;
    if (i > 100) throw new Error(`delivery not settled: ${JSON.stringify(delivery)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ofOrder = (orderId: string) => (r: { body: string }) => JSON.parse(r.body).data.orderId === orderId;

describe('createWebhook', () => {
  it('returns the id and a whsec_ secret of 32 random bytes once, for admins only', async () => {
    const created = await createWebhook('http://127.0.0.1:9/hooks', ['ORDER_PLACED', 'ORDER_PLACED', 'ORDER_REFUNDED']);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(created.secret.slice(6), 'base64').length, 32);
    assert.deepEqual((created as any).webhook, { url: 'http://127.0.0.1:9/hooks', events: ['ORDER_PLACED', 'ORDER_REFUNDED'] });
    const list = await gql(await orders.as(randomUUID(), 'ADMIN'), `{ webhooks { id url } }`, {});
    assert.ok(list.data!.webhooks.some((w: any) => w.id === created.id));
    for (const role of ['CUSTOMER', 'SELLER'] as const) {
      const body = await gql(await orders.as(randomUUID(), role), CREATE, { url: 'http://127.0.0.1:9/x', events: ['ORDER_PLACED'] });
      assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    }
  });

  it('refuses what is not an http(s) URL with INVALID_URL', async () => {
    for (const url of ['not a url', 'ftp://example.com/x', 'http://user:pw@example.com/x']) {
      const body = await gql(await orders.as(randomUUID(), 'ADMIN'), CREATE, { url, events: ['ORDER_PLACED'] });
      assert.deepEqual([body.errors?.[0]?.extensions?.code, body.errors?.[0]?.extensions?.reason], ['BAD_USER_INPUT', 'INVALID_URL'], url);
    }
  });

  it('refuses loopback, private and link-local URLs with URL_NOT_ALLOWED when NODE_ENV=production, and allows them in development', async () => {
    const keys = await generateIdentityKeys();
    const signer = await createIdentitySigner(keys.privateKey);
    const nowhere = 'http://127.0.0.1:9/graphql';
    const production = await createServer({
      orm: orders.orm,
      logger,
      identity: await createIdentityVerifier(keys.publicKey),
      services: createSagaServices({ productsUrl: nowhere, inventoryUrl: nowhere, paymentsUrl: nowhere, timeoutMs: 500, signer }),
      production: true,
    });
    try {
      const url = `http://127.0.0.1:${await production.listen(0, '127.0.0.1')}/graphql`;
      const headers = { [IDENTITY_HEADER]: await signer.sign({ userId: randomUUID(), roles: ['ADMIN'] }) };
      for (const target of ['https://127.0.0.1/hooks', 'https://localhost/hooks', 'https://10.0.0.8/hooks', 'https://192.168.1.20/hooks', 'https://169.254.169.254/latest', 'https://[::1]/hooks', 'https://[::ffff:127.0.0.1]/hooks']) {
        const body = (await postGraphQL<Record<string, any>>(url, CREATE, { url: target, events: ['ORDER_PLACED'] }, headers)).body;
        assert.deepEqual([body.errors?.[0]?.extensions?.code, body.errors?.[0]?.extensions?.reason], ['BAD_USER_INPUT', 'URL_NOT_ALLOWED'], target);
      }
      // Plain http is refused outright in production.
      const http = (await postGraphQL<Record<string, any>>(url, CREATE, { url: 'http://8.8.8.8/hooks', events: ['ORDER_PLACED'] }, headers)).body;
      assert.equal(http.errors?.[0]?.extensions?.reason, 'INVALID_URL');
    } finally {
      await production.close();
    }
    // The development server (NODE_ENV other than production) takes a loopback URL.
    assert.match((await createWebhook('http://127.0.0.1:9/hooks', ['ORDER_PLACED'])).id, /^[0-9a-f-]{36}$/);
  });

  it('does not connect to a loopback address when private addresses are not allowed, even at delivery time', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const refused = await postWebhook(new URL(receiver.url), '{}', {}, { timeoutMs: 1_000, allowPrivate: false });
      assert.equal(refused.status, null);
      assert.match(refused.error!, /not a public address/);
      const byName = await postWebhook(new URL(receiver.url.replace('127.0.0.1', 'localhost')), '{}', {}, { timeoutMs: 1_000, allowPrivate: false });
      assert.match(byName.error!, /not a public address/);
      assert.equal(receiver.received.length, 0);
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook deliveries', () => {
  it('POSTs the subscribed order events with Standard Webhooks headers that verify with the secret', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_PLACED', 'ORDER_FULFILLED', 'ORDER_REFUNDED']);
      const orderId = await orderGoesThrough('CONFIRMED', 'FULFILLED', 'REFUNDED');
      const got = (await receiver.waitFor((all) => all.filter(ofOrder(orderId)).length === 3)).filter(ofOrder(orderId));
      const verifier = new Webhook(hook.secret);
      const bodies = got.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, any> });
      assert.deepEqual(bodies.map((b) => b.type).sort(), ['ORDER_FULFILLED', 'ORDER_PLACED', 'ORDER_REFUNDED']);
      for (const r of got) {
        assert.match(String(r.headers['webhook-id']), /^msg_[0-9a-f-]{36}$/);
        assert.match(String(r.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
        assert.equal(r.headers['content-type'], 'application/json');
      }
      const placed = bodies.find((b) => b.type === 'ORDER_PLACED')!;
      assert.deepEqual([placed.data.orderId, placed.data.total], [orderId, { amount: 1234, currency: 'USD' }]);
      // A signature made with another secret does not verify.
      assert.throws(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(got[0]!.body, got[0]!.headers as Record<string, string>));
    } finally {
      await receiver.close();
    }
  });

  it('retries a delivery answered 500 with backoff and the same webhook-id until a 2xx, and logs every attempt for admins', async () => {
    const receiver = await startWebhookReceiver([500, 503]);
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_CANCELLED']);
      const orderId = await orderGoesThrough('CONFIRMED', 'CANCELLED');
      const got = await receiver.waitFor((all) => all.filter(ofOrder(orderId)).some((r) => r.answered === 200));
      const mine = got.filter(ofOrder(orderId));
      assert.deepEqual(mine.map((r) => r.answered), [500, 503, 200]);
      assert.equal(new Set(mine.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every attempt');
      const verifier = new Webhook(hook.secret);
      for (const r of mine) verifier.verify(r.body, r.headers as Record<string, string>);

      const delivery = await settledDelivery(hook.id);
      assert.equal(delivery.id, mine[0]!.headers['webhook-id']);
      assert.deepEqual([delivery.event, delivery.status, delivery.attemptCount], ['ORDER_CANCELLED', 'SUCCEEDED', 3]);
      assert.ok(delivery.deliveredAt);
      assert.deepEqual(delivery.attempts, [
        { number: 1, responseStatus: 500, error: 'HTTP 500' },
        { number: 2, responseStatus: 503, error: 'HTTP 503' },
        { number: 3, responseStatus: 200, error: null },
      ]);
      const customer = await gql(await orders.as(randomUUID()), LOG, { id: hook.id });
      assert.equal(customer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    } finally {
      await receiver.close();
    }
  });

  it('retries a delivery whose endpoint did not answer within the timeout', async () => {
    const receiver = await startWebhookReceiver([HANG]);
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_FULFILLED']);
      const orderId = await orderGoesThrough('CONFIRMED', 'FULFILLED');
      const mine = (await receiver.waitFor((all) => all.filter(ofOrder(orderId)).some((r) => r.answered === 200))).filter(ofOrder(orderId));
      assert.deepEqual(mine.map((r) => r.answered), [HANG, 200]);
      assert.equal(mine[0]!.headers['webhook-id'], mine[1]!.headers['webhook-id']);
      const attempts = (await settledDelivery(hook.id)).attempts;
      assert.deepEqual(attempts.map((a: any) => [a.responseStatus, a.error]), [[null, 'no answer within 1000 ms'], [200, null]]);
    } finally {
      await receiver.close();
    }
  });

  it('gives a delivery up as FAILED after the last attempt', async () => {
    const receiver = await startWebhookReceiver([500, 500, 500, 500]);
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_CONFIRMED']);
      const orderId = await orderGoesThrough('CONFIRMED');
      await receiver.waitFor((all) => all.filter(ofOrder(orderId)).length === 3);
      const delivery = await settledDelivery(hook.id);
      assert.deepEqual([delivery.status, delivery.attemptCount, delivery.deliveredAt], ['FAILED', 3, null]);
      // Nothing more is sent once it failed: one more round of the sender finds nothing due.
      assert.equal(await createWebhookSender({ orm: orders.orm, logger, settings }).sendDue(), 0);
      assert.equal(receiver.received.filter(ofOrder(orderId)).length, 3);
    } finally {
      await receiver.close();
    }
  });

  it('sends again a delivery whose sender died after taking it, once its lease ends (at least once)', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_REFUNDED']);
      // A sender that took the delivery for 1 s and died: nothing was sent or recorded.
      const repository = new WebhookRepository(orders.orm.em.fork());
      await webhooks.stop();
      const orderId = await orderChanges('CONFIRMED', 'REFUNDED');
      await relay();
      const intakeOnly = await startWebhooks({ orm: orders.orm, redis, stream, logger, settings: { ...settings, pollIntervalMs: 3_600_000 } });
      let leased: { id: string }[] = [];
      for (let i = 0; i < 100 && !leased.length; i++) {
        leased = (await repository.leaseDue(new Date(), 1_000, 100)).filter((d) => d.webhookId === hook.id);
        if (!leased.length) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await intakeOnly.stop();
      assert.equal(leased.length, 1);
      webhooks = await startWebhooks({ orm: orders.orm, redis, stream, logger, settings });
      const got = await receiver.waitFor((all) => all.some(ofOrder(orderId)));
      assert.equal(got.filter(ofOrder(orderId))[0]!.headers['webhook-id'], `msg_${leased[0]!.id}`);
      assert.equal((await settledDelivery(hook.id)).attemptCount, 1);
    } finally {
      await receiver.close();
    }
  });

  it('prunes delivered and failed deliveries past the log retention, keeping pending ones', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await createWebhook(receiver.url, ['ORDER_FULFILLED']);
      const orderId = await orderGoesThrough('CONFIRMED', 'FULFILLED');
      await receiver.waitFor((all) => all.some(ofOrder(orderId)));
      await settledDelivery(hook.id);
      const schema = orders.orm.config.get('schema');
      const em = orders.orm.em.fork();
      // One settled delivery made old; a pending one just as old must stay.
      await em.getConnection().execute(`update "${schema}".webhook_deliveries set created_at = now() - interval '31 days' where webhook_id = ?`, [hook.id]);
      await em.getConnection().execute(
        `insert into "${schema}".webhook_deliveries (id, webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
         values (?, ?, ?, 'ORDER_FULFILLED', '{}', 'PENDING', now() + interval '1 day', now() - interval '31 days')`,
        [randomUUID(), hook.id, randomUUID()],
      );
      const pruned = await createWebhookSender({ orm: orders.orm, logger, settings: { ...settings, logRetentionMs: 30 * 86_400_000 } }).prune();
      assert.ok(pruned >= 1);
      const left = await gql(await orders.as(randomUUID(), 'ADMIN'), LOG, { id: hook.id });
      assert.deepEqual(left.data!.webhook.deliveries.edges.map((e: any) => e.node.status), ['PENDING']);
    } finally {
      await receiver.close();
    }
  });

  it('does not send a webhook the events that happened before it was created', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const before = await orderChanges('CONFIRMED');
      await createWebhook(receiver.url, ['ORDER_PLACED']);
      const marker = await orderGoesThrough('CONFIRMED');
      await receiver.waitFor((all) => all.some(ofOrder(marker)));
      assert.equal(receiver.received.filter(ofOrder(before)).length, 0);
    } finally {
      await receiver.close();
    }
  });

  it('does not send a checkout that never went through (cancelled from PENDING), nor events a webhook did not subscribe to', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await createWebhook(receiver.url, ['ORDER_CANCELLED']);
      const never = await orderGoesThrough('CANCELLED');
      const fulfilled = await orderGoesThrough('CONFIRMED', 'FULFILLED');
      const marker = await orderGoesThrough('CONFIRMED', 'CANCELLED');
      await receiver.waitFor((all) => all.some(ofOrder(marker)));
      assert.equal(receiver.received.filter((r) => ofOrder(never)(r) || ofOrder(fulfilled)(r)).length, 0);
    } finally {
      await receiver.close();
    }
  });
});
