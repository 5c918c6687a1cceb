import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { createBatchedSlidingWindow } from './batched-sliding-window.ts';
import { connectRedis, RedisKeyValueStore } from './redis.ts';
import { createSlidingWindow, windowKeys } from './sliding-window.ts';
import { TEST_REDIS_URL } from './testing/database.ts';

const redis = connectRedis(TEST_REDIS_URL, 'batched-window-test');
const store = new RedisKeyValueStore(redis);
before(async () => {
  if (redis.status !== 'ready') await once(redis, 'ready');
});
after(() => store.close());

const WINDOW = 60_000;
/** Batches written only when a test says so. */
const NEVER = 3_600_000;
const stored = async (prefix: string, key: string, at: number) => Number((await redis.get(windowKeys(prefix, key, WINDOW, at)[1])) ?? 0);

describe('batched sliding window', () => {
  it('decides hits far from the limit without Redis and writes their count in one batch', async () => {
    const prefix = `bw:${randomUUID()}`;
    const at = 10_000;
    const window = createBatchedSlidingWindow(store, { prefix, windowMs: WINDOW, now: () => at, flushMs: NEVER });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await window.hit('client', 1_000));
    assert.deepEqual(
      results.map((r) => r.allowed),
      [true, true, true, true, true],
    );
    assert.equal(await stored(prefix, 'client', at), 0);
    await window.flush();
    assert.equal(await stored(prefix, 'client', at), 5);
    await window.close();
  });

  it('refuses the hit past the limit within one process, with a Retry-After, and counts it as the exact window does', async () => {
    const prefix = `bw:${randomUUID()}`;
    const at = 10_000;
    const window = createBatchedSlidingWindow(store, { prefix, windowMs: WINDOW, now: () => at, flushMs: NEVER });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await window.hit('client', 5));
    assert.deepEqual(
      results.map((r) => r.allowed),
      [true, true, true, true, true, false],
    );
    assert.ok(results[5]!.retryAfterSeconds >= 1);
    await window.flush();
    // The exact window reading the same keys sees all six hits.
    assert.equal((await createSlidingWindow(store, { prefix, windowMs: WINDOW, now: () => at }).peek('client', 5)).allowed, false);
    assert.equal(await stored(prefix, 'client', at), 6);
    await window.close();
  });

  it('holds the limit across two replicas sharing Redis: near it, each hit is judged on the shared count', async () => {
    const prefix = `bw:${randomUUID()}`;
    const at = 10_000;
    const options = { prefix, windowMs: WINDOW, now: () => at, flushMs: NEVER };
    const a = createBatchedSlidingWindow(store, options);
    const b = createBatchedSlidingWindow(store, options);
    let allowedA = 0;
    for (let i = 0; i < 95; i++) if ((await a.hit('client', 100)).allowed) allowedA++;
    await a.flush();
    const fromB = [];
    for (let i = 0; i < 7; i++) fromB.push((await b.hit('client', 100)).allowed);
    const nextA = await a.hit('client', 100);
    assert.equal(allowedA, 95);
    assert.deepEqual(fromB, [true, true, true, true, true, false, false]);
    assert.equal(nextA.allowed, false);
    await Promise.all([a.close(), b.close()]);
  });

  it('writes hits counted before a window ended to that window, and starts the next from its count', async () => {
    const prefix = `bw:${randomUUID()}`;
    let at = 59_000;
    const window = createBatchedSlidingWindow(store, { prefix, windowMs: WINDOW, now: () => at, flushMs: NEVER });
    for (let i = 0; i < 3; i++) await window.hit('client', 1_000);
    at = 61_000;
    for (let i = 0; i < 2; i++) await window.hit('client', 1_000);
    await window.flush();
    assert.equal(await stored(prefix, 'client', 59_000), 3);
    assert.equal(await stored(prefix, 'client', 61_000), 2);
    // Limit 4 just after the boundary: 3 x (1 - 1/60) of the last window + 2 of this one is past it.
    assert.equal((await window.hit('client', 4)).allowed, false);
    await window.close();
  });

  it('writes what was counted when closed, and on its own after the batch interval', async () => {
    const prefix = `bw:${randomUUID()}`;
    const closing = createBatchedSlidingWindow(store, { prefix, windowMs: WINDOW, flushMs: NEVER });
    await closing.hit('closing', 1_000);
    await closing.close();
    assert.equal(await stored(prefix, 'closing', Date.now()), 1);
    const timed = createBatchedSlidingWindow(store, { prefix, windowMs: WINDOW, flushMs: 10 });
    await timed.hit('timed', 1_000);
    for (let i = 0; i < 200 && (await stored(prefix, 'timed', Date.now())) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(await stored(prefix, 'timed', Date.now()), 1);
    await timed.close();
  });

  it('with Redis unreachable, lets hits far from the limit through, reports the failed batch, and fails a hit that must ask Redis', async () => {
    const down = connectRedis('redis://127.0.0.1:1', 'batched-window-down');
    const deadStore = new RedisKeyValueStore(down);
    const errors: unknown[] = [];
    const window = createBatchedSlidingWindow(deadStore, { prefix: `bw:${randomUUID()}`, windowMs: WINDOW, flushMs: NEVER, onError: (error) => errors.push(error) });
    assert.equal((await window.hit('client', 1_000)).allowed, true);
    await window.flush();
    assert.equal(errors.length, 1);
    // Under a limit of 100 every hit reads the shared count.
    await assert.rejects(window.hit('near', 2));
    await window.close();
    await deadStore.close();
  });
});
