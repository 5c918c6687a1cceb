import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from '@shop/platform';
import { ReservationBatcher, type BatchReport, type ReservationBatcherOptions } from '../src/reservation/reservation.batcher.ts';
import { ReservationService, type ReserveOutcome } from '../src/reservation/reservation.service.ts';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('BATCH');
let inventory: Inventory;

before(async () => {
  inventory = await startInventory();
});
after(() => inventory?.close());

const RESERVE = `mutation ($orderId: ID!, $items: [ReservationItemInput!]!) {
  reserveStock(orderId: $orderId, items: $items) {
    __typename
    ... on StockReserved { reservationId }
    ... on InsufficientStock { available }
  }
}`;

async function stored(s: string) {
  const [row] = await sql<{ available: number; reserved: number }>(
    inventory.orm.em.fork(),
    `select available, reserved from "${inventory.schema}".stock where sku = ?`,
    [s],
  );
  return row;
}

async function heldUnits(s: string) {
  const [row] = await sql<{ units: number; orders: number }>(
    inventory.orm.em.fork(),
    `select coalesce(sum(quantity), 0)::int as units, count(distinct order_id)::int as orders
       from "${inventory.schema}".reservations where sku = ? and status = 'HELD'`,
    [s],
  );
  return row;
}

function batcher(options: ReservationBatcherOptions = {}) {
  const reports: BatchReport[] = [];
  const instance = new ReservationBatcher(inventory.orm, inventory.notifier, { onBatch: (r) => reports.push(r), ...options });
  return { batcher: instance, reports };
}

function kind(outcome: PromiseSettledResult<ReserveOutcome>) {
  return outcome.status === 'fulfilled' ? outcome.value.kind : `error:${(outcome.reason as { extensions?: { code?: string } }).extensions?.code}`;
}

describe('reservation batching (hot sku)', () => {
  it('never oversells: 200 concurrent single-unit reservations against 50 units reserve exactly 50', async () => {
    await setStock(inventory, { [sku('HOT')]: 50 });
    const headers = await inventory.as('SERVICE');
    const results = await Promise.all(
      Array.from({ length: 200 }, () => inventory.graphql(RESERVE, { orderId: randomUUID(), items: [{ sku: sku('HOT'), quantity: 1 }] }, headers)),
    );
    const kinds = results.map((r) => r.body.data?.reserveStock.__typename ?? JSON.stringify(r.body.errors));
    assert.equal(kinds.filter((k) => k === 'StockReserved').length, 50);
    assert.equal(kinds.filter((k) => k === 'InsufficientStock').length, 150);
    assert.equal(new Set(results.map((r) => r.body.data?.reserveStock.reservationId).filter(Boolean)).size, 50);
    assert.deepEqual(await stored(sku('HOT')), { available: 0, reserved: 50 });
    assert.deepEqual(await heldUnits(sku('HOT')), { units: 50, orders: 50 });
  });

  it('merges concurrent reservations over HTTP into far fewer transactions than reservations', async () => {
    await setStock(inventory, { [sku('MERGE-HTTP')]: 1_000 });
    const headers = await inventory.as('SERVICE');
    inventory.statements.length = 0;
    await Promise.all(
      Array.from({ length: 100 }, () => inventory.graphql(RESERVE, { orderId: randomUUID(), items: [{ sku: sku('MERGE-HTTP'), quantity: 1 }] }, headers)),
    );
    const transactions = inventory.statements.filter((s) => s === 'begin').length;
    const decrements = inventory.statements.filter((s) => /update "[^"]+"\.stock/.test(s)).length;
    assert.ok(transactions >= 1 && transactions <= 20, `${transactions} transactions for 100 reservations`);
    assert.equal(decrements, transactions);
    assert.deepEqual(await stored(sku('MERGE-HTTP')), { available: 900, reserved: 100 });
  });

  it('runs a full batch as one transaction: one advisory-lock, one read, one decrement, one insert', async () => {
    await setStock(inventory, { [sku('MERGE')]: 500 });
    const { batcher: b, reports } = batcher({ maxWaitMs: 1_000, maxBatchSize: 100 });
    inventory.statements.length = 0;
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => b.reserve({ orderId: randomUUID(), sku: sku('MERGE'), quantity: 2, ttlMs: 60_000 })));
    assert.ok(outcomes.every((o) => o.kind === 'reserved'));
    assert.deepEqual(reports, [{ kind: 'reserve', sku: sku('MERGE'), size: 100, changed: 100 }]);
    const shapes = inventory.statements.map((s) => s.split(/\s+/).slice(0, 2).join(' '));
    assert.equal(shapes.filter((s) => s === 'begin').length, 1);
    assert.equal(inventory.statements.filter((s) => s.includes('pg_advisory_xact_lock')).length, 1);
    assert.equal(inventory.statements.filter((s) => /from "[^"]+"\.reservations where order_id in/.test(s)).length, 1);
    assert.equal(inventory.statements.filter((s) => /update "[^"]+"\.stock/.test(s)).length, 1);
    assert.equal(inventory.statements.filter((s) => /insert into "[^"]+"\.reservations/.test(s)).length, 1);
    assert.deepEqual(await stored(sku('MERGE')), { available: 300, reserved: 200 });
  });

  it('serves a batch that is short in arrival order, as if its reservations had run one after another', async () => {
    await setStock(inventory, { [sku('FIFO')]: 5 });
    const { batcher: b, reports } = batcher({ maxWaitMs: 1_000, maxBatchSize: 3 });
    const [first, second, third] = await Promise.all([3, 3, 2].map((quantity) => b.reserve({ orderId: randomUUID(), sku: sku('FIFO'), quantity, ttlMs: 60_000 })));
    assert.equal(first?.kind, 'reserved');
    assert.deepEqual(second, { kind: 'insufficient', sku: sku('FIFO'), requested: 3, available: 2 });
    assert.equal(third?.kind, 'reserved');
    assert.deepEqual(reports, [{ kind: 'reserve', sku: sku('FIFO'), size: 3, changed: 2 }]);
    assert.deepEqual(await stored(sku('FIFO')), { available: 0, reserved: 5 });
  });

  it('answers every reservation of a sku never stocked as short with 0 available', async () => {
    const { batcher: b } = batcher({ maxWaitMs: 1_000, maxBatchSize: 2 });
    const outcomes = await Promise.all([1, 1].map(() => b.reserve({ orderId: randomUUID(), sku: sku('NONE'), quantity: 1, ttlMs: 60_000 })));
    assert.deepEqual(outcomes, [
      { kind: 'insufficient', sku: sku('NONE'), requested: 1, available: 0 },
      { kind: 'insufficient', sku: sku('NONE'), requested: 1, available: 0 },
    ]);
  });

  it('stays idempotent per order inside a batch: concurrent retries share one reservation, holding once', async () => {
    await setStock(inventory, { [sku('IDEM')]: 10 });
    const { batcher: b, reports } = batcher({ maxWaitMs: 1_000, maxBatchSize: 6 });
    const orderId = randomUUID();
    const other = randomUUID();
    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, () => b.reserve({ orderId, sku: sku('IDEM'), quantity: 2, ttlMs: 60_000 })),
      b.reserve({ orderId: other, sku: sku('IDEM'), quantity: 1, ttlMs: 60_000 }),
    ]);
    const ids = outcomes.map((o) => (o.kind === 'reserved' ? o.reservation.id : o.kind));
    assert.equal(new Set(ids.slice(0, 5)).size, 1);
    assert.notEqual(ids[5], ids[0]);
    assert.deepEqual(reports, [{ kind: 'reserve', sku: sku('IDEM'), size: 2, changed: 2 }]);
    assert.deepEqual(await stored(sku('IDEM')), { available: 7, reserved: 3 });
  });

  it('replays an order\'s reservation to a retry in a later batch, and refuses other items for it (CONFLICT)', async () => {
    await setStock(inventory, { [sku('REPLAY')]: 10 });
    const { batcher: b } = batcher({ maxWaitMs: 0 });
    const orderId = randomUUID();
    const first = await b.reserve({ orderId, sku: sku('REPLAY'), quantity: 2, ttlMs: 60_000 });
    const again = await b.reserve({ orderId, sku: sku('REPLAY'), quantity: 2, ttlMs: 60_000 });
    assert.equal(first.kind, 'reserved');
    assert.deepEqual(again, first);
    // Same batch, same order, other quantity: decided after the first, against it.
    const settled = await Promise.allSettled([
      b.reserve({ orderId: randomUUID(), sku: sku('REPLAY'), quantity: 1, ttlMs: 60_000 }),
      b.reserve({ orderId, sku: sku('REPLAY'), quantity: 3, ttlMs: 60_000 }),
    ]);
    assert.deepEqual(settled.map(kind), ['reserved', 'error:CONFLICT']);
    assert.deepEqual(await stored(sku('REPLAY')), { available: 7, reserved: 3 });
  });

  it('refuses reservations beyond the per-sku queue limit at once (SERVICE_UNAVAILABLE), deciding the admitted ones', async () => {
    await setStock(inventory, { [sku('ADMIT')]: 10 });
    const { batcher: b } = batcher({ maxWaitMs: 50, maxQueuedPerSku: 2 });
    const settled = await Promise.allSettled(Array.from({ length: 3 }, () => b.reserve({ orderId: randomUUID(), sku: sku('ADMIT'), quantity: 1, ttlMs: 60_000 })));
    assert.deepEqual(settled.map(kind), ['reserved', 'reserved', 'error:SERVICE_UNAVAILABLE']);
    assert.deepEqual(await stored(sku('ADMIT')), { available: 8, reserved: 2 });
  });

  it('drain() decides waiting reservations at once instead of after their wait', async () => {
    await setStock(inventory, { [sku('DRAIN')]: 1 });
    const { batcher: b } = batcher({ maxWaitMs: 60_000 });
    const pending = b.reserve({ orderId: randomUUID(), sku: sku('DRAIN'), quantity: 1, ttlMs: 60_000 });
    const startedAt = Date.now();
    await b.drain();
    assert.equal((await pending).kind, 'reserved');
    assert.ok(Date.now() - startedAt < 5_000);
  });

  it('merges the commits of one sku\'s reservations into one transaction that sells all their units', async () => {
    await setStock(inventory, { [sku('SELL')]: 50 });
    const { batcher: b, reports } = batcher({ maxWaitMs: 1_000, maxBatchSize: 20 });
    const orderIds = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(orderIds.map((orderId) => b.reserve({ orderId, sku: sku('SELL'), quantity: 2, ttlMs: 60_000 })));
    inventory.statements.length = 0;
    const outcomes = await Promise.all(orderIds.map((orderId) => b.commit({ orderId, sku: sku('SELL') })));
    assert.ok(outcomes.every((o) => o.kind === 'committed' && o.reservation.status === 'COMMITTED'));
    assert.equal(inventory.statements.filter((s) => s === 'begin').length, 1);
    assert.equal(inventory.statements.filter((s) => /update "[^"]+"\.stock/.test(s)).length, 1);
    assert.deepEqual(reports.at(-1), { kind: 'commit', sku: sku('SELL'), size: 20, changed: 20 });
    assert.deepEqual(await stored(sku('SELL')), { available: 10, reserved: 0 });
    // Committing again sells nothing more.
    const again = await b.commit({ orderId: orderIds[0]!, sku: sku('SELL') });
    assert.equal(again.kind, 'committed');
    assert.deepEqual(await stored(sku('SELL')), { available: 10, reserved: 0 });
  });

  it('answers a batched commit as a lone one would: released when the hold ended first, NOT_FOUND without a reservation', async () => {
    await setStock(inventory, { [sku('LATE')]: 5 });
    const { batcher: b } = batcher({ maxWaitMs: 1_000, maxBatchSize: 3 });
    const [kept, released, unknown] = [randomUUID(), randomUUID(), randomUUID()];
    await Promise.all([kept, released].map((orderId) => b.reserve({ orderId, sku: sku('LATE'), quantity: 1, ttlMs: 60_000 })));
    await new ReservationService(inventory.orm.em.fork(), { notifier: inventory.notifier }).release(released);
    const settled = await Promise.allSettled([kept, released, unknown].map((orderId) => b.commit({ orderId, sku: sku('LATE') })));
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value.kind : (s.reason as { extensions?: { code?: string } }).extensions?.code)),
      ['committed', 'released', 'NOT_FOUND'],
    );
    assert.deepEqual(await stored(sku('LATE')), { available: 4, reserved: 0 });
  });

  it('routes the commit of a one-sku reservation through the batcher over GraphQL, and sells once', async () => {
    await setStock(inventory, { [sku('ROUTE')]: 3 });
    const headers = await inventory.as('SERVICE');
    const orderId = randomUUID();
    await inventory.graphql(RESERVE, { orderId, items: [{ sku: sku('ROUTE'), quantity: 2 }] }, headers);
    const COMMIT = 'mutation ($orderId: ID!) { commitReservation(orderId: $orderId) { __typename } }';
    const results = await Promise.all(Array.from({ length: 5 }, () => inventory.graphql(COMMIT, { orderId }, headers)));
    assert.ok(results.every((r) => r.body.data?.commitReservation.__typename === 'ReservationCommitted'));
    assert.deepEqual(await stored(sku('ROUTE')), { available: 1, reserved: 0 });
  });

  it('still reserves multi-sku orders alone, every line or none', async () => {
    await setStock(inventory, { [sku('M1')]: 5, [sku('M2')]: 1 });
    const headers = await inventory.as('SERVICE');
    const items = [{ sku: sku('M1'), quantity: 2 }, { sku: sku('M2'), quantity: 2 }];
    const { body } = await inventory.graphql(RESERVE, { orderId: randomUUID(), items }, headers);
    assert.deepEqual(body, { data: { reserveStock: { __typename: 'InsufficientStock', available: 1 } } });
    assert.deepEqual(await stored(sku('M1')), { available: 5, reserved: 0 });
  });
});
