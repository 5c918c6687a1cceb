import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connectRedis, createLogger, createOutboxRelay, sql } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { createOrderLoaders } from '../src/order/order.loaders.ts';
import { OrderRepository } from '../src/order/order.repository.ts';
import { OrderService } from '../src/order/order.service.ts';
import { IllegalOrderTransitionError } from '../src/order/order.state.ts';
import { insertOrder, startOrders } from './fixtures.ts';

let orders: Awaited<ReturnType<typeof startOrders>>;
const redis = connectRedis(TEST_REDIS_URL, 'orders-events-test');
// A stream of this run only: other test files and runs share the Redis server.
const stream = `test:events:orders:${randomBytes(4).toString('hex')}`;

before(async () => {
  orders = await startOrders();
});

after(async () => {
  await redis.del(stream);
  redis.disconnect();
  await orders?.stop();
});

function service() {
  const repository = new OrderRepository(orders.orm.em.fork());
  return new OrderService(repository, createOrderLoaders(repository));
}

const outboxOf = (orderId: string) =>
  sql<{ id: string; type: string; payload: Record<string, any>; published_at: Date | null }>(
    orders.orm.em.fork(),
    `select id, type, payload, published_at from "${orders.orm.config.get('schema')}".outbox where payload->>'orderId' = ? order by created_at, id`,
    [orderId],
  );

describe('order events', () => {
  it('writes OrderPlaced, OrderFulfilled, OrderRefunded and OrderCancelled to the outbox with the status change, and nothing for a refused change', async () => {
    const customer = randomUUID();
    const placed = await insertOrder(orders.orm, { userId: customer, items: [{ sku: 'EV-1', quantity: 2, unitPriceAmount: 450 }] });
    await service().transition(placed, 'CONFIRMED', 'payment captured');
    await service().transition(placed, 'FULFILLED');
    await service().transition(placed, 'REFUNDED', 'returned');
    await assert.rejects(service().transition(placed, 'CONFIRMED'), IllegalOrderTransitionError);

    const events = await outboxOf(placed);
    assert.deepEqual(events.map((e) => e.type), ['OrderPlaced', 'OrderFulfilled', 'OrderRefunded']);
    const [orderPlaced, orderFulfilled, orderRefunded] = events;
    assert.equal(orderFulfilled!.payload.fromStatus, 'CONFIRMED');
    assert.deepEqual(
      { ...orderPlaced!.payload, at: undefined, placedAt: undefined },
      {
        orderId: placed,
        userId: customer,
        at: undefined,
        placedAt: undefined,
        total: { amount: 900, currency: 'USD' },
        items: [{ sku: 'EV-1', quantity: 2, unitPrice: { amount: 450, currency: 'USD' } }],
      },
    );
    assert.deepEqual([orderRefunded!.payload.fromStatus, orderRefunded!.payload.reason, orderRefunded!.payload.amount], ['FULFILLED', 'returned', { amount: 900, currency: 'USD' }]);

    const cancelled = await insertOrder(orders.orm, { userId: customer });
    await service().transition(cancelled, 'CANCELLED', 'payment declined');
    assert.deepEqual((await outboxOf(cancelled)).map((e) => [e.type, e.payload.fromStatus, e.payload.reason]), [['OrderCancelled', 'PENDING', 'payment declined']]);
  });

  it('relays outbox events to the Redis stream with their outbox id, once, and marks them published', async () => {
    const orderId = await insertOrder(orders.orm, { userId: randomUUID() });
    await service().transition(orderId, 'CONFIRMED');
    const relay = createOutboxRelay({ orm: orders.orm, redis, stream, logger: createLogger('orders-events-test', 'silent') });
    while ((await relay.relayOnce()) > 0);

    const [event] = await outboxOf(orderId);
    assert.ok(event?.published_at, 'the outbox row is marked published');
    const entries = await redis.xrange(stream, '-', '+');
    const mine = entries.map(([, fields]) => Object.fromEntries(chunk(fields))).filter((f) => JSON.parse(f.payload!).orderId === orderId);
    assert.deepEqual(mine.map((f) => [f.id, f.type]), [[event!.id, 'OrderPlaced']]);
    assert.equal(await relay.relayOnce(), 0);
  });
});

function chunk(fields: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < fields.length; i += 2) pairs.push([fields[i]!, fields[i + 1]!]);
  return pairs;
}
