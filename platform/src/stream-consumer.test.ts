import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from './logger.ts';
import { connectRedis } from './redis.ts';
import { redisReady, startStreamConsumer, type StreamConsumer, type StreamEvent } from './stream-consumer.ts';
import { TEST_REDIS_URL } from './testing/database.ts';

const redis = connectRedis(TEST_REDIS_URL, 'stream-consumer-test');
const logger = createLogger('stream-consumer-test', 'silent');
const streams: string[] = [];
const consumers: StreamConsumer[] = [];

before(() => redisReady(redis));

after(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  for (const stream of streams) {
    const keys = await redis.keys(`${stream}*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

function newStream(): string {
  const stream = `test:events:${randomUUID()}`;
  streams.push(stream);
  return stream;
}

/** Appends an event the way the outbox relay does. */
async function publish(stream: string, event: { id?: string; type?: string; payload?: unknown } = {}): Promise<string> {
  const id = event.id ?? randomUUID();
  await redis.xadd(stream, '*', 'id', id, 'type', event.type ?? 'Test', 'payload', JSON.stringify(event.payload ?? {}), 'createdAt', new Date().toISOString());
  return id;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function consume(stream: string, handle: (event: StreamEvent) => Promise<void>, extra: Partial<Parameters<typeof startStreamConsumer>[0]> = {}) {
  const consumer = await startStreamConsumer({ redis, stream, group: 'g', logger, handle, blockMs: 100, ...extra });
  consumers.push(consumer);
  return consumer;
}

async function consumeBatches(stream: string, handleBatch: NonNullable<Parameters<typeof startStreamConsumer>[0]['handleBatch']>) {
  const consumer = await startStreamConsumer({ redis, stream, group: 'g', logger, blockMs: 100, retryDelayMs: () => 20, handleBatch });
  consumers.push(consumer);
  return consumer;
}

describe('stream consumer', () => {
  it('delivers every event to one consumer of the group, acknowledges it and reports no lag afterwards', async () => {
    const stream = newStream();
    const seen = new Map<string, string[]>();
    const record = (name: string) => async (event: StreamEvent) => {
      seen.set(event.id, [...(seen.get(event.id) ?? []), name]);
    };
    const ids = [] as string[];
    for (let i = 0; i < 20; i++) ids.push(await publish(stream, { payload: { i } }));
    const a = await consume(stream, record('a'));
    const b = await consume(stream, record('b'));
    for (let i = 0; i < 20; i++) ids.push(await publish(stream, { payload: { i: 20 + i } }));
    await until(() => seen.size === 40, 'all events');
    await until(async () => (await a.lag()).pending === 0, 'acknowledgements');
    assert.deepEqual([...seen.keys()].sort(), [...ids].sort());
    for (const handlers of seen.values()) assert.equal(handlers.length, 1);
    assert.deepEqual(await b.lag(), { lag: 0, pending: 0 });
    assert.equal(a.stats().handled + b.stats().handled, 40);
  });

  it('runs the handler once for an event published twice (same event id)', async () => {
    const stream = newStream();
    const calls: string[] = [];
    const consumer = await consume(stream, async (event) => {
      calls.push(event.id);
    });
    const id = await publish(stream);
    await until(() => calls.length === 1, 'first delivery');
    await publish(stream, { id });
    await publish(stream, { id: 'other' });
    await until(() => consumer.stats().duplicates === 1 && calls.length === 2, 'duplicate skipped');
    assert.deepEqual(calls, [id, 'other']);
    assert.equal((await consumer.lag()).pending, 0);
  });

  it('retries a failing handler with backoff, with the attempt number, until it succeeds', async () => {
    const stream = newStream();
    const attempts: number[] = [];
    const delays: number[] = [];
    const consumer = await consume(
      stream,
      async (event) => {
        attempts.push(event.attempt);
        if (event.attempt < 3) throw new Error('provider down');
      },
      { retryDelayMs: (attempt) => (delays.push(attempt), 50 * attempt) },
    );
    await publish(stream);
    await until(() => consumer.stats().handled === 1, 'success after retries');
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.deepEqual(delays, [1, 2]);
    assert.equal(consumer.stats().retries, 2);
    assert.equal((await consumer.lag()).pending, 0);
    assert.equal(await redis.hlen(`${stream}:g:attempts`), 0);
  });

  it('moves an event that keeps failing to the dead-letter stream with its error, and acknowledges it', async () => {
    const stream = newStream();
    let calls = 0;
    const consumer = await consume(
      stream,
      async () => {
        calls += 1;
        throw new Error('card network refuses');
      },
      { maxAttempts: 3, retryDelayMs: () => 10 },
    );
    const id = await publish(stream, { type: 'OrderPlaced', payload: { orderId: 'o-1' } });
    await until(() => consumer.stats().deadLettered === 1, 'dead letter');
    assert.equal(calls, 3);
    const dead = await redis.xrange(`${stream}:dead`, '-', '+');
    assert.equal(dead.length, 1);
    const fields = Object.fromEntries(chunk(dead[0]![1]));
    assert.equal(fields.id, id);
    assert.equal(fields.type, 'OrderPlaced');
    assert.deepEqual(JSON.parse(fields.payload!), { orderId: 'o-1' });
    assert.equal(fields.group, 'g');
    assert.equal(fields.attempts, '3');
    assert.equal(fields.error, 'card network refuses');
    assert.equal((await consumer.lag()).pending, 0);
  });

  it("takes over the entries a dead consumer left pending (XAUTOCLAIM) and keeps counting their attempts", async () => {
    const stream = newStream();
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    const ids = [await publish(stream), await publish(stream)];
    // A consumer reads both and dies before acknowledging: they stay pending under its name.
    const read = (await redis.xreadgroup('GROUP', 'g', 'dead-one', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
    assert.equal(read[0]![1].length, 2);
    // It had failed once on the first entry before dying.
    await redis.hincrby(`${stream}:g:attempts`, read[0]![1][0]![0], 1);
    const handled: StreamEvent[] = [];
    const survivor = await consume(
      stream,
      async (event) => {
        handled.push(event);
      },
      { claimIdleMs: 200, claimIntervalMs: 100 },
    );
    await until(() => handled.length === 2, 'claimed entries handled');
    assert.deepEqual(handled.map((e) => e.id).sort(), [...ids].sort());
    assert.deepEqual(handled.map((e) => e.attempt).sort(), [1, 2]);
    assert.equal(survivor.stats().claimed, 2);
    assert.equal((await survivor.lag()).pending, 0);
  });

  it('reports the backlog of events not yet delivered as lag', async () => {
    const stream = newStream();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = await consume(stream, () => gate, { batchSize: 1 });
    for (let i = 0; i < 5; i++) await publish(stream);
    await until(async () => (await consumer.lag()).pending === 1, 'one entry in the handler');
    assert.deepEqual(await consumer.lag(), { lag: 4, pending: 1 });
    release();
    await until(async () => (await consumer.lag()).lag === 0 && (await consumer.lag()).pending === 0, 'backlog drained');
  });

  it('hands a batch handler every fresh event of one read; an event it fails is retried alone, the others are acknowledged', async () => {
    const stream = newStream();
    const ids = [] as string[];
    for (let i = 0; i < 30; i++) ids.push(await publish(stream, { payload: { i } }));
    const batches: { ids: string[]; attempts: number[] }[] = [];
    const poison = ids[7]!;
    let poisonFailures = 0;
    const consumer = await consumeBatches(stream, async (events) => {
      batches.push({ ids: events.map((e) => e.id), attempts: events.map((e) => e.attempt) });
      return events.map((e) => (e.id === poison && poisonFailures++ < 2 ? new Error('not yet') : undefined));
    });
    await until(() => consumer.stats().handled === 30, 'every event handled');
    // The first read took every entry at once; the failed one came back twice more, alone, with its attempt count.
    assert.deepEqual(batches[0]!.ids, ids);
    assert.deepEqual(
      batches.slice(1).map((b) => [b.ids, b.attempts]),
      [
        [[poison], [2]],
        [[poison], [3]],
      ],
    );
    assert.deepEqual(consumer.stats(), { handled: 30, duplicates: 0, retries: 2, deadLettered: 0, claimed: 0 });
    assert.deepEqual(await consumer.lag(), { lag: 0, pending: 0 });
  });

  it('counts a batch handler that throws as a failure of every event of the batch', async () => {
    const stream = newStream();
    for (let i = 0; i < 3; i++) await publish(stream);
    let calls = 0;
    const consumer = await consumeBatches(stream, async (events) => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
      return events.map(() => undefined);
    });
    await until(() => consumer.stats().handled === 3, 'every event handled after its retry');
    assert.equal(consumer.stats().retries, 3);
  });

  it('refuses to start with neither or both of handle and handleBatch', async () => {
    const stream = newStream();
    await assert.rejects(startStreamConsumer({ redis, stream, group: 'g', logger }), /exactly one of handle and handleBatch/);
    await assert.rejects(
      startStreamConsumer({ redis, stream, group: 'g', logger, handle: async () => {}, handleBatch: async (events) => events.map(() => undefined) }),
      /exactly one of handle and handleBatch/,
    );
  });
});

function chunk(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
