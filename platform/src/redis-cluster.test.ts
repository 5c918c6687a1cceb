import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readRedisUrl } from './config.ts';
import { createLogger } from './logger.ts';
import { connectRedis, createKeyValueStore, createPubSub, type KeyValueStore, type PubSub } from './redis.ts';
import { createSlidingWindow } from './sliding-window.ts';
import { createBatchedSlidingWindow } from './batched-sliding-window.ts';
import { redisReady, startStreamConsumer, type StreamConsumer, type StreamEvent } from './stream-consumer.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from './testing/private-servers.ts';

// Every Redis feature of the platform on a real three-master Redis Cluster
// (Debian's redis-server in cluster mode, joined by redis-cli --cluster
// create), reached through REDIS_CLUSTER_NODES as the services reach it.
const logger = createLogger('redis-cluster-test', 'silent');
let cluster: PrivateRedisCluster;
let url: string;
let store: KeyValueStore;
let pubsub: PubSub;
const consumers: StreamConsumer[] = [];
const closers: (() => unknown)[] = [];

/** The master port serving `key`, from the cluster's own slot map. */
async function masterOf(key: string): Promise<number> {
  const redis = connectRedis(url, 'slot-probe');
  closers.push(() => redis.disconnect());
  await redisReady(redis);
  const slot = (await redis.cluster('KEYSLOT', key)) as number;
  const ranges = (await redis.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  cluster = await startPrivateRedisCluster();
  url = readRedisUrl({ REDIS_CLUSTER_NODES: cluster.nodes })!;
  store = createKeyValueStore(url, 'cluster-test');
  pubsub = createPubSub(url, 'cluster-test');
  await until(async () => store.ping().then(() => true, () => false), 'the cluster client');
});
after(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  for (const close of closers) await close();
  await store?.close();
  await pubsub?.close();
  await cluster?.close();
});

describe('the platform on a three-master Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('reads REDIS_CLUSTER_NODES as a cluster URL and refuses a bad list or both variables with a ConfigError', () => {
    assert.equal(readRedisUrl({ REDIS_CLUSTER_NODES: ' 127.0.0.1:7101, redis-0.redis:6379 ' }), 'redis-cluster://127.0.0.1:7101,redis-0.redis:6379');
    assert.throws(() => readRedisUrl({ REDIS_CLUSTER_NODES: '127.0.0.1' }), /REDIS_CLUSTER_NODES.*host:port/);
    assert.throws(() => readRedisUrl({ REDIS_CLUSTER_NODES: '127.0.0.1:7101', REDIS_URL: 'redis://127.0.0.1:6379' }), /set one of them/);
  });

  it('caches: get, set with a TTL, del, and mget over keys that live on different masters', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `stock:${randomUUID()}:${i}`);
    const masters = new Set(await Promise.all(keys.map(masterOf)));
    assert.ok(masters.size >= 2, 'the keys are spread over several masters');
    for (const [i, key] of keys.entries()) await store.set(key, String(i), 60_000);
    assert.deepEqual(await store.mget([...keys, 'stock:missing']), [...keys.map((_, i) => String(i)), null]);
    await store.del(keys[0]!);
    assert.equal(await store.get(keys[0]!), null);
  });

  it('rate limits: incrWithTtl and the sliding window count per client across calls', async () => {
    const key = `rate:${randomUUID()}`;
    assert.deepEqual([await store.incrWithTtl(key, 60_000), await store.incrWithTtl(key, 60_000)], [1, 2]);
    const window = createSlidingWindow(store, { prefix: `limit:${randomUUID()}`, windowMs: 60_000, now: () => 30_000 });
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push((await window.hit('client-1', 3)).allowed);
    assert.deepEqual(hits, [true, true, true, false]);
    assert.equal((await window.hit('client-2', 3)).allowed, true);
  });

  it('rate limits counted in batches: incrManyWithTtl over counters on different masters, and the batched window', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `rate:${randomUUID()}:${i}`);
    assert.ok(new Set(await Promise.all(keys.map(masterOf))).size >= 2, 'the counters are spread over several masters');
    assert.deepEqual(await store.incrManyWithTtl(keys.map((key, i) => [key, i + 1] as const), 60_000), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(await store.incrManyWithTtl([[keys[0]!, 2]], 60_000), [3]);
    const window = createBatchedSlidingWindow(store, { prefix: `limit:${randomUUID()}`, windowMs: 60_000, now: () => 30_000 });
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push((await window.hit('client-1', 3)).allowed);
    assert.deepEqual(hits, [true, true, true, false]);
    await window.close();
  });

  it('sets (the response cache\'s tags): addToSet and an atomic takeSet', async () => {
    const key = `tags:${randomUUID()}`;
    await store.addToSet(key, ['a', 'b'], 60_000);
    await store.addToSet(key, ['c'], 60_000);
    assert.deepEqual((await store.takeSet(key)).sort(), ['a', 'b', 'c']);
    assert.deepEqual(await store.takeSet(key), []);
  });

  it('Lua: leased slots (WebSocket connections per client) are taken, renewed and released', async () => {
    const key = `slots:${randomUUID()}`;
    assert.deepEqual([await store.acquireSlot(key, 'x', 2, 60_000), await store.acquireSlot(key, 'y', 2, 60_000), await store.acquireSlot(key, 'z', 2, 60_000)], [true, true, false]);
    await store.renewSlots(key, ['x', 'y'], 60_000);
    await store.releaseSlot(key, 'x');
    assert.equal(await store.acquireSlot(key, 'z', 2, 60_000), true);
  });

  it('pub/sub: a message published on the cluster reaches a subscriber of the channel (PUBLISH is spread to every node)', async () => {
    const channel = `stock-changed:${randomUUID()}`;
    const received: string[] = [];
    const unsubscribe = await pubsub.subscribe(channel, (message) => received.push(message));
    const publisher = createPubSub(url, 'cluster-test-publisher');
    closers.push(() => publisher.close());
    await until(async () => {
      // Until the publisher's connection is ready (it does not queue commands) and the message got through.
      await publisher.publish(channel, 'level 7').catch(() => {});
      return received.includes('level 7');
    }, 'the message');
    await unsubscribe();
  });

  it('streams and consumer groups: a hash-tagged stream delivers each event once to a group, deduplicates a republished event, and dead-letters a failing one', async () => {
    const redis = connectRedis(url, 'cluster-test-consumer');
    closers.push(() => redis.disconnect());
    await redisReady(redis);
    // As the order events stream (`events:{orders}`): every key named after the stream shares its slot.
    const stream = `test:events:{${randomUUID()}}`;
    const seen: string[] = [];
    const consumer = await startStreamConsumer({
      redis,
      stream,
      group: 'g',
      logger,
      blockMs: 100,
      maxAttempts: 2,
      retryDelayMs: () => 10,
      handle: async (event: StreamEvent) => {
        if (event.type === 'Poison') throw new Error('cannot handle');
        seen.push(event.id);
      },
    });
    consumers.push(consumer);
    const publish = (id: string, type = 'Test') => redis.xadd(stream, '*', 'id', id, 'type', type, 'payload', '{}', 'createdAt', new Date().toISOString());
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await publish(id);
    await publish(ids[0]!);
    await publish(randomUUID(), 'Poison');
    await until(async () => seen.length === 5 && (await redis.xlen(`${stream}:dead`)) === 1, 'delivery and the dead letter');
    await until(async () => (await consumer.lag()).pending === 0, 'acknowledgements');
    assert.deepEqual(seen.sort(), [...ids].sort());
  });
});
