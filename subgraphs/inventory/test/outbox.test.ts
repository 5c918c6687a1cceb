import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { connectRedis, createLogger, createOutboxRelay, sql, startOutboxRelay, writeOutboxEvents, type OutboxRelayOptions } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import type { Redis } from 'ioredis';
import { ReservationBatcher } from '../src/reservation/reservation.batcher.ts';
import { ReservationService } from '../src/reservation/reservation.service.ts';
import { StockRepository } from '../src/stock/stock.repository.ts';
import { closedPort, setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('OUTBOX');
let inventory: Inventory;
let redis: Redis;
const streams: string[] = [];

before(async () => {
  inventory = await startInventory();
  redis = connectRedis(TEST_REDIS_URL, 'inventory-outbox-test');
  if (redis.status !== 'ready') await once(redis, 'ready');
});
after(async () => {
  if (streams.length) await redis?.del(...streams);
  redis?.disconnect();
  await inventory?.close();
});

const RESTOCK = 'mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { available } }';

interface OutboxRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  published_at: Date | null;
}

async function events(s?: string): Promise<OutboxRow[]> {
  return sql<OutboxRow>(
    inventory.orm.em.fork(),
    `select id, type, payload, published_at from "${inventory.schema}".outbox
      ${s ? `where payload->>'sku' = ?` : ''}
      order by (payload->>'version')::bigint, created_at`,
    s ? [s] : [],
  );
}

function relayOptions(overrides: Partial<OutboxRelayOptions> = {}): OutboxRelayOptions {
  const stream = `events:inventory-test:${randomUUID()}`;
  streams.push(stream);
  return { orm: inventory.orm, redis, stream, logger: createLogger('outbox-test', 'silent'), ...overrides };
}

/** The stream's entries as objects (XRANGE - +). */
async function entries(stream: string) {
  const raw = await redis.xrange(stream, '-', '+');
  return raw.map(([, fields]) => {
    const entry: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
    return entry;
  });
}

describe('outbox: StockChanged events', () => {
  it('a restock records one StockChanged event with the new level and its cause, unpublished', async () => {
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('NEW'), quantity: 7 }, await inventory.as('ADMIN'));
    assert.deepEqual(body, { data: { restock: { available: 7 } } });
    const rows = await events(sku('NEW'));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.type, 'StockChanged');
    assert.deepEqual(rows[0]?.payload, { sku: sku('NEW'), available: 7, reserved: 0, version: 1, cause: 'RESTOCK' });
    assert.equal(rows[0]?.published_at, null);
  });

  it('the event is written in the same transaction as the change: a rolled-back restock leaves neither', async () => {
    await assert.rejects(
      inventory.orm.em.fork().transactional(async (tx) => {
        assert.ok(await new StockRepository(tx).addUnits(sku('ROLLBACK'), 5));
        assert.equal((await sql(tx, `select 1 from "${inventory.schema}".outbox where payload->>'sku' = ?`, [sku('ROLLBACK')])).length, 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await events(sku('ROLLBACK')), []);
    assert.equal((await sql(inventory.orm.em.fork(), `select 1 from "${inventory.schema}".stock where sku = ?`, [sku('ROLLBACK')])).length, 0);
  });

  it('every stock change of a saga records its event, in version order, and a refused one records none', async () => {
    await inventory.graphql(RESTOCK, { sku: sku('SAGA'), quantity: 5 }, await inventory.as('ADMIN'));
    const reservations = new ReservationService(inventory.orm.em.fork(), { notifier: inventory.notifier });
    const [sold, released, expired] = [randomUUID(), randomUUID(), randomUUID()];
    await reservations.reserve(sold, [{ sku: sku('SAGA'), quantity: 2 }], 60_000);
    await reservations.commit(sold);
    await reservations.reserve(released, [{ sku: sku('SAGA'), quantity: 1 }], 60_000);
    await reservations.release(released);
    assert.equal((await reservations.reserve(randomUUID(), [{ sku: sku('SAGA'), quantity: 9 }], 60_000)).kind, 'insufficient');
    await reservations.reserve(expired, [{ sku: sku('SAGA'), quantity: 3 }], 10);
    await sleep(40);
    assert.equal(await reservations.releaseExpired(), 1);

    assert.deepEqual(
      (await events(sku('SAGA'))).map((e) => e.payload),
      [
        { sku: sku('SAGA'), available: 5, reserved: 0, version: 1, cause: 'RESTOCK' },
        { sku: sku('SAGA'), available: 3, reserved: 2, version: 2, cause: 'RESERVE' },
        { sku: sku('SAGA'), available: 3, reserved: 0, version: 3, cause: 'COMMIT' },
        { sku: sku('SAGA'), available: 2, reserved: 1, version: 4, cause: 'RESERVE' },
        { sku: sku('SAGA'), available: 3, reserved: 0, version: 5, cause: 'RELEASE' },
        { sku: sku('SAGA'), available: 0, reserved: 3, version: 6, cause: 'RESERVE' },
        { sku: sku('SAGA'), available: 3, reserved: 0, version: 7, cause: 'EXPIRE' },
      ],
    );
  });

  it('a batch of reservations records one event for the batch\'s change', async () => {
    await setStock(inventory, { [sku('BATCH')]: 10 });
    const batcher = new ReservationBatcher(inventory.orm, inventory.notifier, { maxWaitMs: 1_000, maxBatchSize: 10 });
    await Promise.all(Array.from({ length: 10 }, () => batcher.reserve({ orderId: randomUUID(), sku: sku('BATCH'), quantity: 1, ttlMs: 60_000 })));
    // setStock wrote version 0 without an event; the batch is change number 1.
    assert.deepEqual((await events(sku('BATCH'))).map((e) => e.payload), [{ sku: sku('BATCH'), available: 0, reserved: 10, version: 1, cause: 'RESERVE' }]);
  });
});

describe('outbox relay (platform)', () => {
  it('puts every event on the Redis Stream exactly once with two relays running at once, and marks each published', async () => {
    const admin = await inventory.as('ADMIN');
    for (let i = 0; i < 30; i++) await inventory.graphql(RESTOCK, { sku: sku(`TWO-${i}`), quantity: i + 1 }, admin);
    const options = relayOptions({ batchSize: 4 });
    const relays = [createOutboxRelay(options), createOutboxRelay(options)];
    const published = await Promise.all(
      relays.map(async (relay) => {
        let total = 0;
        for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) total += n;
        return total;
      }),
    );

    const unpublished = (await events()).filter((e) => e.published_at === null);
    assert.deepEqual(unpublished, []);
    const onStream = await entries(options.stream);
    assert.equal(published[0]! + published[1]!, onStream.length);
    const ids = onStream.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    assert.deepEqual(new Set(ids), new Set((await events()).map((e) => e.id)));
    const first = onStream.find((e) => JSON.parse(e.payload ?? '{}').sku === sku('TWO-0'));
    assert.equal(first?.type, 'StockChanged');
    assert.deepEqual(JSON.parse(first?.payload ?? '{}'), { sku: sku('TWO-0'), available: 1, reserved: 0, version: 1, cause: 'RESTOCK' });
    assert.ok(!Number.isNaN(Date.parse(first?.createdAt ?? '')));
  });

  it('keeps events unpublished when Redis refuses them, and a later run publishes them', async () => {
    await inventory.graphql(RESTOCK, { sku: sku('DOWN'), quantity: 1 }, await inventory.as('ADMIN'));
    const down = connectRedis(`redis://127.0.0.1:${await closedPort()}`, 'inventory-outbox-down');
    try {
      await assert.rejects(createOutboxRelay(relayOptions({ redis: down })).relayOnce());
    } finally {
      down.disconnect();
    }
    const [row] = await events(sku('DOWN'));
    assert.equal(row?.published_at, null);

    const options = relayOptions();
    const relay = createOutboxRelay(options);
    while ((await relay.relayOnce()) > 0);
    assert.ok((await entries(options.stream)).some((e) => e.id === row?.id));
    assert.notEqual((await events(sku('DOWN')))[0]?.published_at, null);
  });

  it('runs on its own once started: a new event reaches the stream, and stop() ends it', async () => {
    const options = relayOptions({ intervalMs: 20 });
    // Older events belong to other tests: publish them first.
    const drain = createOutboxRelay(options);
    while ((await drain.relayOnce()) > 0);
    await redis.del(options.stream);
    const running = startOutboxRelay(options);
    try {
      await inventory.graphql(RESTOCK, { sku: sku('LIVE'), quantity: 3 }, await inventory.as('ADMIN'));
      const deadline = Date.now() + 5_000;
      while ((await entries(options.stream)).length === 0 && Date.now() < deadline) await sleep(20);
    } finally {
      await running.stop();
    }
    const onStream = await entries(options.stream);
    assert.deepEqual(onStream.map((e) => JSON.parse(e.payload ?? '{}').sku), [sku('LIVE')]);
  });

  it('writeOutboxEvents records events on the caller\'s transaction, for services without a CTE of their own', async () => {
    const marker = randomUUID();
    await assert.rejects(
      inventory.orm.em.fork().transactional(async (tx) => {
        await writeOutboxEvents(tx, [{ type: 'Probe', payload: { marker, n: 1 } }]);
        throw new Error('roll back');
      }),
    );
    const ids = await inventory.orm.em.fork().transactional((tx) =>
      writeOutboxEvents(tx, [
        { type: 'Probe', payload: { marker, n: 2 } },
        { type: 'Probe', payload: { marker, n: 3, nested: { list: [1, 'two'] } } },
      ]),
    );
    const rows = await sql<{ id: string; type: string; payload: unknown }>(
      inventory.orm.em.fork(),
      `select id, type, payload from "${inventory.schema}".outbox where payload->>'marker' = ? order by payload->>'n'`,
      [marker],
    );
    assert.deepEqual(rows, [
      { id: ids[0], type: 'Probe', payload: { marker, n: 2 } },
      { id: ids[1], type: 'Probe', payload: { marker, n: 3, nested: { list: [1, 'two'] } } },
    ]);
  });

  it('prunes published events past their retention, never unpublished ones', async () => {
    await inventory.graphql(RESTOCK, { sku: sku('OLD'), quantity: 1 }, await inventory.as('ADMIN'));
    const options = relayOptions({ retentionMs: 1 });
    const relay = createOutboxRelay(options);
    while ((await relay.relayOnce()) > 0);
    await inventory.graphql(RESTOCK, { sku: sku('NEWER'), quantity: 1 }, await inventory.as('ADMIN'));
    await sleep(20);
    assert.ok((await relay.prune()) >= 1);
    assert.deepEqual(await events(sku('OLD')), []);
    assert.equal((await events(sku('NEWER'))).length, 1);
  });
});
