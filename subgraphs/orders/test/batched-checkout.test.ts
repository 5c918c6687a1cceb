import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connectRedis, createOutboxRelay, redisReady, type StreamConsumer } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { CAPTURE_FAILED_REASON, CheckoutSaga } from '../src/checkout/checkout.saga.ts';
import { startCheckoutSettler } from '../src/checkout/checkout.settler.ts';
import { createCheckoutSweeper } from '../src/checkout/checkout.sweeper.ts';
import { OrderRepository } from '../src/order/order.repository.ts';
import { createSagaServices } from '../src/remote/saga-services.ts';
import { startSagaHarness, type SagaHarness } from './saga-harness.ts';

let h: SagaHarness;
const redis = connectRedis(TEST_REDIS_URL, 'orders-batched-checkout-test');
const stream = `test:events:orders:${randomUUID()}`;
const consumers: StreamConsumer[] = [];

before(async () => {
  await redisReady(redis);
  h = await startSagaHarness({ checkout: { mode: 'batched', soldOutHintMs: 10_000, pipelines: 2, priceMaxAgeMs: 60_000 } });
});

after(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  const keys = await redis.keys(`${stream}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await h?.stop();
});

async function product(name: string, price: number, units: number) {
  const sku = h.sku(name);
  await h.createProduct([{ sku, price }]);
  await h.addStock(sku, units);
  return sku;
}

/** Publishes the orders outbox to this file's stream, as the relay of every replica does. */
async function relay(to = stream): Promise<void> {
  const relayer = createOutboxRelay({ orm: h.orders.orm, redis, stream: to, logger: h.logger });
  while ((await relayer.relayOnce()) > 0);
}

async function settler(saga: CheckoutSaga = h.saga, extra: Partial<Parameters<typeof startCheckoutSettler>[0]> = {}) {
  const consumer = await startCheckoutSettler({ redis, stream, orm: h.orders.orm, services: h.services, saga, logger: h.logger, blockMs: 100, retryDelayMs: () => 20, ...extra });
  consumers.push(consumer);
  return consumer;
}

/** `target` with every method call recorded under its name (the call still goes to `target`). */
function counting<T extends object>(target: T, calls: Map<string, unknown[][]>): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), [...(calls.get(String(property)) ?? []), args]);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function placed(customer: string, sku: string, quantity = 1) {
  const { body } = await h.placeOrder(customer, { items: [{ sku, quantity }], paymentToken: await h.tokenFor(customer) });
  assert.equal(body.errors, undefined);
  assert.equal(body.data?.placeOrder.__typename, 'OrderPlaced');
  return body.data!.placeOrder.order.id as string;
}

describe('batched checkout', () => {
  it('answers OrderPlaced once stock is held and payment authorized; capture and the stock commit follow from the OrderPlaced event', async () => {
    const sku = await product('ASYNC', 2500, 5);
    const customer = randomUUID();
    const orderId = await placed(customer, sku, 2);

    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CONFIRMED', 'CAPTURING']);
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => [p.status, p.amount]), [['AUTHORIZED', 5000]]);
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 2, status: 'HELD' }]);
    assert.deepEqual(await h.history(orderId), [[null, 'PENDING'], ['PENDING', 'CONFIRMED']]);
    assert.deepEqual((await h.events(orderId)).map((e) => e.type), ['OrderPlaced']);

    await relay();
    await settler();
    await until(async () => (await h.order(orderId))?.saga_step === 'DONE', 'the settler');
    assert.equal((await h.order(orderId))?.status, 'CONFIRMED');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['CAPTURED']);
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 2, status: 'COMMITTED' }]);
    assert.deepEqual(await h.stock(sku), { available: 3, reserved: 0 });
    assert.deepEqual((await h.events(orderId)).map((e) => e.type), ['OrderPlaced'], 'one OrderPlaced, published when the order was confirmed');
  });

  it("answers the checkout with its payment AUTHORIZED without asking payments; a retry after the capture gets it from payments, CAPTURED", async () => {
    // The gateway takes `payment { id status }` of the checkout's answer from orders (OrderPlaced.order @provides).
    const query = `
      mutation ($items: [OrderItemInput!]!, $paymentToken: String!, $idempotencyKey: String!) {
        placeOrder(input: { items: $items, paymentToken: $paymentToken, idempotencyKey: $idempotencyKey }) {
          __typename
          ... on OrderPlaced { order { id status payment { id status } } }
        }
      }`;
    const sku = await product('PROVIDED', 1500, 2);
    const customer = randomUUID();
    const input = { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer), idempotencyKey: randomUUID() };
    const calls = new Map<string, unknown[][]>();
    const payments = h.services.payments;
    h.services.payments = counting(payments, calls);
    try {
      const first = await h.placeOrder(customer, input, query);
      assert.equal(first.body.errors, undefined);
      const order = first.body.data!.placeOrder.order;
      const [payment] = await h.paymentsOf(order.id);
      assert.deepEqual(order.payment, { id: payment!.id, status: 'AUTHORIZED' });
      assert.equal(calls.get('authorizeMany')?.length, 1);
      assert.equal(calls.get('paymentOfOrder'), undefined, 'the answer asked payments nothing beyond the authorization');

      const retryBeforeCapture = await h.placeOrder(customer, input, query);
      assert.deepEqual(retryBeforeCapture.body.data!.placeOrder.order.payment, { id: payment!.id, status: 'AUTHORIZED' });

      await relay();
      await settler();
      await until(async () => (await h.order(order.id))?.saga_step === 'DONE', 'the settler');
      const retryAfterCapture = await h.placeOrder(customer, input, query);
      assert.equal(retryAfterCapture.body.errors, undefined);
      assert.deepEqual(retryAfterCapture.body.data!.placeOrder.order, { id: order.id, status: 'CONFIRMED', payment: { id: payment!.id, status: 'CAPTURED' } });
      assert.deepEqual(calls.get('paymentOfOrder'), [[order.id]], 'once the capture is recorded, payments is asked');
    } finally {
      h.services.payments = payments;
    }
  });

  it("keeps a sku's price between batches, and charges a live sale's price from the moment the sale starts", async () => {
    const sku = h.sku('KEPT-PRICE');
    const product = await h.createProduct([{ sku, price: 5000 }]);
    await h.addStock(sku, 10);
    const startsAt = Date.now() + 1_500;
    const sale = await fetch(h.products.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...product.seller },
      body: JSON.stringify({
        query: 'mutation ($input: ScheduleLiveSaleInput!) { scheduleLiveSale(input: $input) { id } }',
        variables: { input: { title: 'Soon', startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 3_600_000).toISOString(), productIds: [product.id], prices: [{ sku, amount: 2999 }] } },
      }),
    }).then((r) => r.json() as Promise<{ errors?: unknown }>);
    assert.equal(sale.errors, undefined, JSON.stringify(sale.errors));

    const calls = new Map<string, unknown[][]>();
    const products = h.services.products;
    h.services.products = counting(products, calls);
    const totalOf = async () => {
      const customer = randomUUID();
      const { body } = await h.placeOrder(customer, { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer) });
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data!.placeOrder.order.total.amount as number;
    };
    try {
      assert.equal(await totalOf(), 5000);
      assert.equal(await totalOf(), 5000);
      assert.equal(calls.get('variantPrices')?.length, 1, 'the second batch priced from the kept price');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt - Date.now())));
      assert.equal(await totalOf(), 2999, 'the kept price ended when the sale started');
      assert.equal(calls.get('variantPrices')?.length, 2);
    } finally {
      h.services.products = products;
    }
  });

  it('sells exactly the units that exist to a crowd checked out together, and answers the rest InsufficientStock without a saga once the sku is known short', async () => {
    const sku = await product('CROWD', 1000, 5);
    const buyers = Array.from({ length: 30 }, () => randomUUID());
    const tokens = await Promise.all(buyers.map((b) => h.tokenFor(b)));
    const answers = await Promise.all(buyers.map((b, i) => h.placeOrder(b, { items: [{ sku, quantity: 1 }], paymentToken: tokens[i]! })));
    const kinds = answers.map((a) => a.body.data?.placeOrder.__typename ?? a.body.errors?.[0]?.extensions?.code);
    assert.equal(kinds.filter((k) => k === 'OrderPlaced').length, 5, JSON.stringify(answers[0]!.body));
    assert.equal(kinds.filter((k) => k === 'InsufficientStock').length, 25);
    assert.deepEqual(await h.stock(sku), { available: 0, reserved: 5 });

    // Known short now: the next buyer is answered without an order row.
    const late = randomUUID();
    const { body } = await h.placeOrder(late, { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(late) });
    assert.deepEqual(body.data?.placeOrder, { __typename: 'InsufficientStock', sku, available: 0, message: `Only 0 of ${sku} left; 1 requested.` });
    assert.deepEqual(await h.ordersOfUser(late), []);

    await relay();
    await settler();
    const confirmed = (await Promise.all(buyers.map((b) => h.ordersOfUser(b)))).flat().filter((o) => o.status === 'CONFIRMED');
    assert.equal(confirmed.length, 5);
    await until(async () => (await Promise.all(confirmed.map((o) => h.order(o.id)))).every((o) => o?.saga_step === 'DONE'), 'every capture');
    assert.deepEqual(await h.stock(sku), { available: 0, reserved: 0 });
    for (const o of confirmed) assert.deepEqual((await h.paymentsOf(o.id)).map((p) => p.status), ['CAPTURED']);
  });

  it('answers checkouts of a sku known short while every saga batch is busy, and a retry of a placed order with its order (the sold-out lane)', async () => {
    const short = await product('LANE-SHORT', 1000, 1);
    const ample = await product('LANE-AMPLE', 1000, 10);
    // Two buyers for the last unit: one is placed, and inventory's refusal of the other makes the sku known short.
    const [first, second] = [randomUUID(), randomUUID()];
    const keys = [randomUUID(), randomUUID()];
    const tokens = await Promise.all([first, second].map((b) => h.tokenFor(b)));
    const race = await Promise.all([first, second].map((b, i) => h.placeOrder(b, { items: [{ sku: short, quantity: 1 }], paymentToken: tokens[i]!, idempotencyKey: keys[i] })));
    const placedAt = race.findIndex((a) => a.body.data?.placeOrder.__typename === 'OrderPlaced');
    assert.ok(placedAt >= 0, JSON.stringify(race.map((a) => a.body)));
    assert.equal(race[1 - placedAt]!.body.data?.placeOrder.__typename, 'InsufficientStock');

    // Both saga pipelines busy: each holds a batch stopped at its payment authorization.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = 0;
    const payments = h.services.payments;
    h.services.payments = new Proxy(payments, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property !== 'authorizeMany' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          held += 1;
          await gate;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const busy: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const buyer = randomUUID();
        busy.push(h.placeOrder(buyer, { items: [{ sku: ample, quantity: 1 }], paymentToken: await h.tokenFor(buyer) }));
        await until(async () => held === i + 1, `saga batch ${i + 1} to reach the authorization`);
      }
      const late = randomUUID();
      const lateToken = await h.tokenFor(late);
      const answered = (kind: string) => (a: Awaited<ReturnType<typeof h.placeOrder>>) => ({ kind, body: a.body });
      const stuck = new Promise<{ kind: string }>((resolve) => setTimeout(() => resolve({ kind: 'still waiting after 15 s' }), 15_000).unref());
      const [lateAnswer, retryAnswer] = await Promise.all([
        Promise.race([h.placeOrder(late, { items: [{ sku: short, quantity: 1 }], paymentToken: lateToken }).then(answered('late')), stuck]),
        Promise.race([
          h.placeOrder([first, second][placedAt]!, { items: [{ sku: short, quantity: 1 }], paymentToken: tokens[placedAt]!, idempotencyKey: keys[placedAt] }).then(answered('retry')),
          stuck,
        ]),
      ]);
      assert.equal(held, 2, 'the saga batches are still held');
      assert.deepEqual((lateAnswer as { body?: { data?: unknown } }).body?.data, {
        placeOrder: { __typename: 'InsufficientStock', sku: short, available: 0, message: `Only 0 of ${short} left; 1 requested.` },
      });
      assert.equal((retryAnswer as { body?: { data?: { placeOrder: { order: { id: string } } } } }).body?.data?.placeOrder.order.id, race[placedAt]!.body.data!.placeOrder.order.id);
      assert.deepEqual(await h.ordersOfUser(late), []);
    } finally {
      open();
      h.services.payments = payments;
    }
    for (const answer of await Promise.all(busy)) assert.equal((answer as { body: { data?: { placeOrder: { __typename: string } } } }).body.data?.placeOrder.__typename, 'OrderPlaced');
    await relay(); // this file's stream, not the next test's own
  });

  it('settles the OrderPlaced events of one read together: one capturePayments and one commitReservations call, no per-order call', async () => {
    const sku = await product('SETTLE-TOGETHER', 800, 20);
    const buyers = Array.from({ length: 12 }, () => randomUUID());
    const orderIds = await Promise.all(buyers.map((b) => placed(b, sku)));
    const calls = new Map<string, unknown[][]>();
    // A stream of its own: the settlers of the other tests stay out of it.
    const own = `${stream}:together`;
    await relay(own);
    await settler(h.saga, { stream: own, services: { ...h.services, payments: counting(h.services.payments, calls), inventory: counting(h.services.inventory, calls) } });
    await until(async () => (await Promise.all(orderIds.map((id) => h.order(id)))).every((o) => o?.saga_step === 'DONE'), 'every order settled');
    assert.deepEqual([...calls.keys()].sort(), ['captureMany', 'commitMany']);
    assert.equal(calls.get('captureMany')!.length, 1);
    assert.deepEqual(new Set(calls.get('captureMany')![0]![0] as string[]), new Set(orderIds));
    assert.equal(calls.get('commitMany')!.length, 1);
    for (const id of orderIds) {
      assert.equal((await h.order(id))?.status, 'CONFIRMED');
      assert.deepEqual((await h.paymentsOf(id)).map((p) => p.status), ['CAPTURED']);
      assert.deepEqual(await h.reservations(id), [{ sku, quantity: 1, status: 'COMMITTED' }]);
    }
    assert.deepEqual(await h.stock(sku), { available: 8, reserved: 0 });
  });

  it('settles once when orders died after the capture or after the stock commit of a batch, before recording either', async () => {
    const sku = await product('SETTLE-CRASH', 600, 6);
    const [capturedFirst, committedFirst, untouched] = await Promise.all([randomUUID(), randomUUID(), randomUUID()].map((b) => placed(b, sku)));
    // The crashed settler's calls landed; its moves of the saga never did.
    await h.services.payments.captureMany([capturedFirst!, committedFirst!]);
    await h.services.inventory.commitMany([committedFirst!]);
    assert.deepEqual([(await h.order(capturedFirst!))?.saga_step, (await h.order(committedFirst!))?.saga_step], ['CAPTURING', 'CAPTURING']);
    const own = `${stream}:crash`;
    await relay(own);
    await settler(h.saga, { stream: own });
    const all = [capturedFirst!, committedFirst!, untouched!];
    await until(async () => (await Promise.all(all.map((id) => h.order(id)))).every((o) => o?.saga_step === 'DONE'), 'every order settled');
    for (const id of all) {
      assert.equal((await h.order(id))?.status, 'CONFIRMED');
      assert.deepEqual((await h.paymentsOf(id)).map((p) => p.status), ['CAPTURED']);
      assert.deepEqual(await h.reservations(id), [{ sku, quantity: 1, status: 'COMMITTED' }]);
    }
    // Three units sold once each: nothing sold twice, nothing left held.
    assert.deepEqual(await h.stock(sku), { available: 3, reserved: 0 });
  });

  it('gives every concurrent retry of one key the same order, and one charge', async () => {
    const sku = await product('TWINS', 700, 10);
    const customer = randomUUID();
    const input = { items: [{ sku, quantity: 1 }], paymentToken: await h.tokenFor(customer), idempotencyKey: `k-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.placeOrder(customer, input)));
    const ids = new Set(answers.map((a) => a.body.data?.placeOrder.order?.id));
    assert.equal(ids.size, 1);
    assert.equal((await h.ordersOfUser(customer)).length, 1);
    assert.equal((await h.chargesOfCustomer(customer)).length, 1);
  });

  for (const diedAfter of ['the insert', 'the reservation', 'the authorization'] as const) {
    it(`after orders dies between ${diedAfter} and recording the batch's outcome, recovery leaves nothing held or charged`, async () => {
      const sku = await product(`DIED-BATCH-${diedAfter.split(' ')[1]!.toUpperCase()}`, 1100, 3);
      const customer = randomUUID();
      const orderId = randomUUID();
      // The batch's first statement landed: the order is at RESERVING; what follows did or did not.
      const inserted = await new OrderRepository(h.orders.orm.em.fork()).insertManyIfKeysAreNew([
        {
          id: orderId,
          userId: customer,
          idempotencyKey: `died-${randomUUID()}`,
          requestHash: 'h',
          currency: 'EUR',
          totalAmount: 2200,
          sagaStep: 'RESERVING',
          items: [{ id: randomUUID(), sku, quantity: 2, unitPriceAmount: 1100 }],
          at: new Date(),
        },
      ]);
      assert.deepEqual([...inserted], [orderId]);
      if (diedAfter !== 'the insert') {
        const [held] = await h.services.inventory.reserveMany([{ orderId, items: [{ sku, quantity: 2 }], ttlSeconds: 600 }]);
        assert.equal((held as { kind: string }).kind, 'reserved');
      }
      if (diedAfter === 'the authorization') {
        const [authorized] = await h.services.payments.authorizeMany([{ orderId, userId: customer, token: await h.tokenFor(customer), amount: 2200, currency: 'EUR' }]);
        assert.equal((authorized as { kind: string }).kind, 'authorized');
      }
      await createCheckoutSweeper({ orm: h.orders.orm, saga: h.saga, logger: h.logger, staleAfterMs: 0 }).sweepOnce();
      assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CANCELLED', 'DONE']);
      assert.deepEqual(await h.stock(sku), { available: 3, reserved: 0 });
      assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), diedAfter === 'the authorization' ? ['VOIDED'] : []);
      // Never announced: no OrderPlaced was written for it.
      assert.ok(!(await h.events(orderId)).some((e) => e.type === 'OrderPlaced'));
    });
  }

  it('after orders dies between the answer and the capture, the sweeper captures and commits (the acknowledged order stands)', async () => {
    const sku = await product('DIED-AFTER-ANSWER', 1200, 4);
    const customer = randomUUID();
    const orderId = await placed(customer, sku);
    // No relay and no settler ran: the process died right after answering.
    const sweeper = createCheckoutSweeper({ orm: h.orders.orm, saga: h.saga, logger: h.logger, staleAfterMs: 0 });
    while ((await sweeper.sweepOnce()) === 20);
    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CONFIRMED', 'DONE']);
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['CAPTURED']);
    assert.deepEqual(await h.stock(sku), { available: 3, reserved: 0 });
  });

  it('a settler that dies holding the event: another takes it over (XAUTOCLAIM) and captures once; a duplicate event is skipped', async () => {
    const sku = await product('SETTLER-DIED', 900, 3);
    const customer = randomUUID();
    const orderId = await placed(customer, sku);
    const group = `settler-${randomUUID()}`;
    await redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    await relay();
    // The dead settler read the event and never acknowledged it.
    const read = (await redis.xreadgroup('GROUP', group, 'dead-settler', 'COUNT', 100, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
    const entry = read[0]![1].find(([, fields]) => fields.some((f) => f.includes(orderId)));
    assert.ok(entry, 'the dead settler held the OrderPlaced event');
    const survivor = await settler(h.saga, { group, claimIdleMs: 200, claimIntervalMs: 100 });
    await until(async () => survivor.stats().claimed >= 1 && (await survivor.lag()).pending === 0, 'the takeover');
    assert.equal((await h.order(orderId))?.saga_step, 'DONE');
    // The outbox may publish an event twice: the settler runs it once.
    const fields = entry[1];
    await redis.xadd(stream, '*', ...fields);
    await until(async () => survivor.stats().duplicates >= 1, 'the duplicate');
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['CAPTURED']);
    assert.deepEqual(await h.reservations(orderId), [{ sku, quantity: 1, status: 'COMMITTED' }]);
  });

  it('compensates a confirmed order whose capture is refused, and says so in its history', async () => {
    const sku = await product('CAPTURE-REFUSED', 1500, 2);
    const customer = randomUUID();
    const orderId = await placed(customer, sku);
    // The authorization lapsed at the provider: capture is refused from now on.
    await h.services.payments.void(orderId);
    await relay();
    await settler();
    await until(async () => (await h.order(orderId))?.saga_step === 'DONE', 'the compensation');
    assert.equal((await h.order(orderId))?.status, 'CANCELLED');
    const reasons = await h.ordersSql<{ reason: string }>('select reason from $schema.order_status_history where order_id = ? order by id', [orderId]);
    assert.equal(reasons.at(-1)?.reason, CAPTURE_FAILED_REASON);
    assert.deepEqual(await h.stock(sku), { available: 2, reserved: 0 });
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['VOIDED']);
  });

  it('gives up a capture that keeps failing after the last retry, then voids and releases it', async () => {
    const sku = await product('CAPTURE-DOWN', 1500, 2);
    const customer = randomUUID();
    const orderId = await placed(customer, sku);
    // A settler whose payments does not answer at all.
    const unreachable = createSagaServices({
      productsUrl: h.products.url,
      inventoryUrl: h.inventory.url,
      paymentsUrl: 'http://127.0.0.1:9/graphql',
      timeoutMs: 500,
      signer: h.ordersSigner,
    });
    const cutOff = new CheckoutSaga({ orm: h.orders.orm, services: unreachable, logger: h.logger });
    // Its own stream, so the settlers of the other tests stay out of it (the order's event stays in the outbox).
    const own = `${stream}:down`;
    await redis.xadd(own, '*', 'id', randomUUID(), 'type', 'OrderPlaced', 'payload', JSON.stringify({ orderId }), 'createdAt', new Date().toISOString());
    const consumer = await settler(cutOff, { stream: own, maxAttempts: 3, services: unreachable });
    await until(async () => (await h.order(orderId))?.saga_step === 'COMPENSATING', 'the settler to give the capture up');
    assert.equal(consumer.stats().deadLettered, 0);
    // payments answers again: the sweeper finishes the compensation.
    await createCheckoutSweeper({ orm: h.orders.orm, saga: h.saga, logger: h.logger, staleAfterMs: 0 }).sweepOnce();
    assert.deepEqual([(await h.order(orderId))?.status, (await h.order(orderId))?.saga_step], ['CANCELLED', 'DONE']);
    assert.deepEqual((await h.paymentsOf(orderId)).map((p) => p.status), ['VOIDED']);
    assert.deepEqual(await h.stock(sku), { available: 2, reserved: 0 });
  });
});
