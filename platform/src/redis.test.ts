import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { connectRedis, MemoryKeyValueStore, RedisKeyValueStore, type KeyValueStore } from './redis.ts';
import { TEST_REDIS_URL } from './testing/database.ts';

// Leased slots, on Redis and on the in-process stand-in alike.
const redis = connectRedis(TEST_REDIS_URL, 'slots-test');
const stores: [string, KeyValueStore][] = [
  ['Redis', new RedisKeyValueStore(redis)],
  ['the in-process stand-in', new MemoryKeyValueStore()],
];
before(async () => {
  if (redis.status !== 'ready') await once(redis, 'ready');
});
after(() => Promise.all(stores.map(([, store]) => store.close())));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [name, store] of stores) {
  describe(`leased slots on ${name}`, () => {
    it('gives out at most max slots of a key, and a released slot again', async () => {
      const key = `slots-test:${randomUUID()}`;
      assert.equal(await store.acquireSlot(key, 'a', 2, 60_000), true);
      assert.equal(await store.acquireSlot(key, 'b', 2, 60_000), true);
      assert.equal(await store.acquireSlot(key, 'c', 2, 60_000), false);
      assert.equal(await store.acquireSlot(`${key}:other`, 'c', 2, 60_000), true, 'keys count apart');
      await store.releaseSlot(key, 'a');
      assert.equal(await store.acquireSlot(key, 'c', 2, 60_000), true);
    });

    it("frees the slots of a holder that stopped renewing once their lease has run out (a crashed replica's)", async () => {
      const key = `slots-test:${randomUUID()}`;
      assert.equal(await store.acquireSlot(key, 'dead', 1, 5), true);
      await sleep(30);
      assert.equal(await store.acquireSlot(key, 'alive', 1, 60_000), true);
    });

    it('keeps a renewed slot past the end of its first lease', async () => {
      const key = `slots-test:${randomUUID()}`;
      assert.equal(await store.acquireSlot(key, 'renewed', 1, 5), true);
      await store.renewSlots(key, ['renewed'], 60_000);
      await sleep(30);
      assert.equal(await store.acquireSlot(key, 'other', 1, 60_000), false);
    });

    it("keeps a long lease when a holder with a short one comes and goes", async () => {
      const key = `slots-test:${randomUUID()}`;
      assert.equal(await store.acquireSlot(key, 'long', 2, 60_000), true);
      assert.equal(await store.acquireSlot(key, 'short', 2, 5), true);
      await sleep(30);
      assert.equal(await store.acquireSlot(key, 'next', 2, 60_000), true, "the short lease has ended");
      assert.equal(await store.acquireSlot(key, 'one-too-many', 2, 60_000), false, 'the long lease still holds its slot');
    });

    it('does not bring a released slot back by renewing it', async () => {
      const key = `slots-test:${randomUUID()}`;
      await store.acquireSlot(key, 'gone', 1, 60_000);
      await store.releaseSlot(key, 'gone');
      await store.renewSlots(key, ['gone'], 60_000);
      assert.equal(await store.acquireSlot(key, 'next', 1, 60_000), true);
    });
  });
}
