import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { RedisKeyValueStore } from '@shop/platform';
import WebSocket from 'ws';
import { ReservationService } from '../src/reservation/reservation.service.ts';
import { stockChannel } from '../src/stock/stock.events.ts';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';
import { GATEWAY_STOCK_CHANGED, subscribe, type TestSubscription } from './subscription-client.ts';

const sku = skuFactory('SUB');
let inventory: Inventory;
const open: TestSubscription[] = [];

before(async () => {
  inventory = await startInventory();
});
after(async () => {
  await Promise.all(open.map((s) => s.close()));
  await inventory?.close();
});

function watch(skus: string[], on: Inventory = inventory, query?: string): TestSubscription {
  const subscription = subscribe(on.url, { skus }, query);
  open.push(subscription);
  return subscription;
}

const RESTOCK = 'mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { sku available } }';
const RESERVE = `mutation ($orderId: ID!, $items: [ReservationItemInput!]!) {
  reserveStock(orderId: $orderId, items: $items) { __typename }
}`;

function level(s: string, available: number) {
  return { data: { stockChanged: { sku: s, available, variant: { __typename: 'Variant', sku: s } } } };
}

describe('Subscription.stockChanged', () => {
  it('first sends the current level of each sku asked for (0 for a sku never stocked), then the level after a restock', async () => {
    await setStock(inventory, { [sku('FIRST')]: 5 });
    const subscription = watch([sku('FIRST'), sku('NEVER')]);
    assert.deepEqual(await subscription.next(), level(sku('FIRST'), 5));
    assert.deepEqual(await subscription.next(), level(sku('NEVER'), 0));

    const restocked = await inventory.graphql(RESTOCK, { sku: sku('FIRST'), quantity: 3 }, await inventory.as('ADMIN'));
    assert.deepEqual(restocked.body, { data: { restock: { sku: sku('FIRST'), available: 8 } } });
    assert.deepEqual(await subscription.next(), level(sku('FIRST'), 8));

    await inventory.graphql(RESTOCK, { sku: sku('NEVER'), quantity: 2 }, await inventory.as('ADMIN'));
    assert.deepEqual(await subscription.next(), level(sku('NEVER'), 2));
  });

  it('follows reservations, releases and expiries, and stays quiet on a commit (available does not change)', async () => {
    await setStock(inventory, { [sku('SAGA')]: 5 });
    const subscription = watch([sku('SAGA')]);
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 5));
    const service = await inventory.as('SERVICE');
    const [sold, released] = [randomUUID(), randomUUID()];

    await inventory.graphql(RESERVE, { orderId: sold, items: [{ sku: sku('SAGA'), quantity: 2 }] }, service);
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 3));
    await inventory.graphql(RESERVE, { orderId: released, items: [{ sku: sku('SAGA'), quantity: 1 }] }, service);
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 2));
    await inventory.graphql('mutation ($orderId: ID!) { commitReservation(orderId: $orderId) { __typename } }', { orderId: sold }, service);
    await inventory.graphql('mutation ($orderId: ID!) { releaseReservation(orderId: $orderId) { id } }', { orderId: released }, service);
    // Had the commit been sent, "2" would come before this.
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 3));

    const reservations = new ReservationService(inventory.orm.em.fork(), { notifier: inventory.notifier });
    await reservations.reserve(randomUUID(), [{ sku: sku('SAGA'), quantity: 3 }], 20);
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 0));
    await sleep(60);
    assert.equal(await reservations.releaseExpired(), 1);
    assert.deepEqual(await subscription.next(), level(sku('SAGA'), 3));
  });

  it('sends nothing for skus it was not asked about', async () => {
    await setStock(inventory, { [sku('MINE')]: 1, [sku('OTHER')]: 1 });
    const subscription = watch([sku('MINE')]);
    assert.deepEqual(await subscription.next(), level(sku('MINE'), 1));
    await inventory.graphql(RESTOCK, { sku: sku('OTHER'), quantity: 1 }, await inventory.as('ADMIN'));
    assert.equal(await subscription.quietFor(200), true);
  });

  it('stops listening on Redis when the client goes away', async () => {
    assert.ok(inventory.store instanceof RedisKeyValueStore);
    const redis = inventory.store.redis;
    const listeners = async () => Number(((await redis.pubsub('NUMSUB', stockChannel(sku('GONE')))) as [string, number])[1]);
    const subscription = subscribe(inventory.url, { skus: [sku('GONE')] });
    await subscription.next();
    assert.equal(await listeners(), 1);
    await subscription.close();
    const deadline = Date.now() + 5_000;
    while ((await listeners()) > 0 && Date.now() < deadline) await sleep(20);
    assert.equal(await listeners(), 0);
  });

  it('refuses an empty sku list and more than 100 skus with BAD_USER_INPUT', async () => {
    const none = await watch([]).failure();
    assert.deepEqual(none.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'skus' }]);
    const tooMany = await watch(Array.from({ length: 101 }, (_, i) => sku(`MANY-${i}`))).failure();
    assert.deepEqual(tooMany.map((e) => [e.message, e.extensions]), [['"skus" may name at most 100 skus, got 101.', { code: 'BAD_USER_INPUT', field: 'skus' }]]);
  });

  it('refuses a document that does not validate, instead of running what it can of it', async () => {
    const errors = await watch([sku('X')], inventory, 'subscription ($skus: [ID!]!) { stockChanged(skus: $skus) { sku price } }').failure();
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /Cannot query field "price" on type "StockLevel"/);
    assert.deepEqual(errors[0]?.extensions, { code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('speaks graphql-transport-ws to a client that sends connection_init with an empty payload, as the gateway may', async () => {
    await setStock(inventory, { [sku('RAW')]: 7 });
    const socket = new WebSocket(inventory.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: Record<string, any>[] = [];
    let arrived: (() => void) | undefined;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      // Keep-alive pings come at their own pace; a client answers them, the test ignores them.
      if (message.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
      messages.push(message);
      arrived?.();
    });
    const nextMessage = async () => {
      const deadline = Date.now() + 5_000;
      while (messages.length === 0) {
        if (Date.now() > deadline) throw new Error('no message');
        await new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, 100);
        });
      }
      return messages.shift();
    };
    try {
      await once(socket, 'open');
      assert.equal(socket.protocol, 'graphql-transport-ws');
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      assert.deepEqual(await nextMessage(), { type: 'connection_ack' });
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: GATEWAY_STOCK_CHANGED, variables: { skus: [sku('RAW')] }, operationName: 'StockChanged__inventory__0' } }));
      assert.deepEqual(await nextMessage(), { type: 'next', id: '1', payload: level(sku('RAW'), 7) });
      socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      socket.send(JSON.stringify({ type: 'ping' }));
      assert.deepEqual(await nextMessage(), { type: 'pong' });
    } finally {
      socket.close();
    }
  });

  it('refuses a subscription sent over HTTP (it would run once, on no event), uncacheable', async () => {
    const { headers, body } = await inventory.graphql(GATEWAY_STOCK_CHANGED, { skus: [sku('HTTP')] });
    assert.deepEqual(body, {
      data: null,
      errors: [{ message: 'Subscriptions are served over WebSocket (graphql-transport-ws) on this path, not over HTTP.', extensions: { code: 'BAD_REQUEST' } }],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
  });
});

describe('Subscription.stockChanged across replicas', () => {
  let replica: Inventory;
  before(async () => {
    replica = await startInventory({ replicaOf: inventory });
  });
  after(() => replica?.close());

  it('a restock on one replica reaches a subscriber on the other, through Redis pub/sub', async () => {
    await setStock(inventory, { [sku('FAR')]: 1 });
    const subscription = watch([sku('FAR')], replica);
    assert.deepEqual(await subscription.next(), level(sku('FAR'), 1));
    await inventory.graphql(RESTOCK, { sku: sku('FAR'), quantity: 4 }, await inventory.as('ADMIN'));
    assert.deepEqual(await subscription.next(), level(sku('FAR'), 5));
  });

  it('reservations on both replicas reach subscribers on both, each level once, the last one being the stored level', async () => {
    await setStock(inventory, { [sku('BOTH')]: 40 });
    const here = watch([sku('BOTH')]);
    const there = watch([sku('BOTH')], replica);
    assert.deepEqual(await here.next(), level(sku('BOTH'), 40));
    assert.deepEqual(await there.next(), level(sku('BOTH'), 40));
    const replicas = [
      { instance: inventory, headers: await inventory.as('SERVICE') },
      { instance: replica, headers: await replica.as('SERVICE') },
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const { instance, headers } = replicas[i % 2]!;
        return instance.graphql(RESERVE, { orderId: randomUUID(), items: [{ sku: sku('BOTH'), quantity: 2 }] }, headers);
      }),
    );
    assert.ok(results.every((r) => r.body.data?.reserveStock.__typename === 'StockReserved'));
    for (const subscription of [here, there]) {
      const seen: number[] = [];
      while (seen.at(-1) !== 0) seen.push((await subscription.next()).data?.stockChanged.available);
      // Levels only go down here: an older event delivered late is dropped, never shown after a newer one.
      assert.deepEqual([...seen].sort((a, b) => b - a), seen);
      assert.equal(new Set(seen).size, seen.length);
    }
  });
});
