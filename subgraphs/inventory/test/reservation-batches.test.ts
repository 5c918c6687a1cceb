import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from '@shop/platform';
import { countStatements, type GraphQLResponse } from '@shop/platform/testing';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('RBATCH');
let inventory: Inventory;
let service: Record<string, string>;

before(async () => {
  inventory = await startInventory();
  service = await inventory.as('SERVICE');
});
after(() => inventory?.close());

const RESERVE = `mutation ($orderId: ID!, $items: [ReservationItemInput!]!) {
  reserveStock(orderId: $orderId, items: $items) { __typename }
}`;
const RESULT = `
  __typename
  ... on ReservationCommitted { reservation { status items { sku quantity } } }
  ... on ReservationReleased { reservation { status items { sku quantity } } message }`;
const COMMIT = `mutation ($orderId: ID!) { commitReservation(orderId: $orderId) { ${RESULT} } }`;
const COMMIT_BATCH = `mutation ($orderIds: [ID!]!) { commitReservations(orderIds: $orderIds) { ${RESULT} } }`;
const RELEASE = `mutation ($orderId: ID!) { releaseReservation(orderId: $orderId) { status items { sku quantity } } }`;
const RELEASE_BATCH = `mutation ($orderIds: [ID!]!) { releaseReservations(orderIds: $orderIds) { status items { sku quantity } } }`;

type Item = { sku: string; quantity: number };
type Answer = { item: unknown; code?: unknown };

async function reserve(orderId: string, items: Item[]) {
  const { body } = await inventory.graphql(RESERVE, { orderId, items }, service);
  assert.equal(body.data?.reserveStock.__typename, 'StockReserved', JSON.stringify(body));
}

function batchAnswers(body: GraphQLResponse['body'], field: string): Answer[] {
  const items: unknown[] = body.data?.[field] ?? [];
  return items.map((item, i) => {
    const error = body.errors?.find((e) => e.path?.[0] === field && e.path?.[1] === i);
    return error ? { item, code: error.extensions?.code } : { item };
  });
}

function singleAnswer(body: GraphQLResponse['body'], field: string): Answer {
  return body.errors ? { item: null, code: body.errors[0]?.extensions?.code } : { item: body.data?.[field] };
}

/** Answers with each run's own skus and order ids written as their role in the run. */
function anonymized(answers: Answer[], names: Record<string, string>): Answer[] {
  let text = JSON.stringify(answers);
  for (const [value, name] of Object.entries(names)) text = text.split(value).join(name);
  return JSON.parse(text);
}

async function stored(skus: readonly string[]) {
  const rows = await sql<{ sku: string; available: number; reserved: number }>(
    inventory.orm.em.fork(),
    `select sku, available, reserved from "${inventory.schema}".stock where sku in (?) order by sku`,
    [[...skus]],
  );
  return rows.map((r) => ({ available: r.available, reserved: r.reserved }));
}

/**
 * A run's orders in every state a commit or release can meet: a one-sku
 * hold, a two-sku hold, committed before, released before, never reserved,
 * an id that cannot be an order's, and the one-sku hold named twice.
 */
async function mix(run: string) {
  const [a, b] = [sku(`${run}-A`), sku(`${run}-B`)];
  await setStock(inventory, { [a]: 10, [b]: 10 });
  const [single, double, committed, released, unknown] = Array.from({ length: 5 }, () => randomUUID()) as [string, string, string, string, string];
  await reserve(single, [{ sku: a, quantity: 2 }]);
  await reserve(double, [
    { sku: a, quantity: 1 },
    { sku: b, quantity: 3 },
  ]);
  await reserve(committed, [{ sku: b, quantity: 1 }]);
  await inventory.graphql(COMMIT, { orderId: committed }, service);
  await reserve(released, [{ sku: a, quantity: 4 }]);
  await inventory.graphql(RELEASE, { orderId: released }, service);
  return {
    skus: [a, b],
    orderIds: [single, double, committed, released, unknown, '', single],
    names: { [a]: 'A', [b]: 'B', [single]: 'single', [double]: 'double', [committed]: 'committed', [released]: 'released', [unknown]: 'unknown' },
  };
}

/**
 * Two fresh mixes: the first decided by one call of the batch mutation, the
 * second by the single mutation order after order.
 */
async function batchAndAlone(run: string, batchQuery: string, batchField: string, singleQuery: string, singleField: string) {
  const batch = await mix(`${run}1`);
  const batched = batchAnswers((await inventory.graphql(batchQuery, { orderIds: batch.orderIds }, service)).body, batchField);
  const alone = await mix(`${run}2`);
  const oneByOne: Answer[] = [];
  for (const orderId of alone.orderIds) oneByOne.push(singleAnswer((await inventory.graphql(singleQuery, { orderId }, service)).body, singleField));
  return { batch, batched, alone, oneByOne };
}

describe('commitReservations', () => {
  it('answers a mix of orders exactly as commitReservation answers them one by one, and leaves the same stock', async () => {
    const { batch, batched, alone, oneByOne } = await batchAndAlone('c', COMMIT_BATCH, 'commitReservations', COMMIT, 'commitReservation');

    assert.deepEqual(
      batched.map((a) => (a.code ? a.code : (a.item as { __typename: string }).__typename)),
      ['ReservationCommitted', 'ReservationCommitted', 'ReservationCommitted', 'ReservationReleased', 'NOT_FOUND', 'BAD_USER_INPUT', 'ReservationCommitted'],
    );
    assert.deepEqual(anonymized(batched, batch.names), anonymized(oneByOne, alone.names));
    // 10 stocked of each; A: 2 + 1 sold (4 released); B: 3 + 1 sold.
    assert.deepEqual(await stored(batch.skus), [
      { available: 7, reserved: 0 },
      { available: 6, reserved: 0 },
    ]);
    assert.deepEqual(await stored(alone.skus), await stored(batch.skus));
  });

  it('records one StockChanged event per stock row it changes', async () => {
    const [a, b] = [sku('EV-A'), sku('EV-B')];
    await setStock(inventory, { [a]: 5, [b]: 5 });
    const orders = [randomUUID(), randomUUID(), randomUUID()];
    await reserve(orders[0]!, [{ sku: a, quantity: 1 }]);
    await reserve(orders[1]!, [{ sku: a, quantity: 2 }]);
    await reserve(orders[2]!, [{ sku: b, quantity: 1 }]);
    const { body } = await inventory.graphql(COMMIT_BATCH, { orderIds: orders }, service);
    assert.equal(body.errors, undefined);
    const events = await sql<{ sku: string; reserved: number; cause: string }>(
      inventory.orm.em.fork(),
      `select payload->>'sku' as sku, (payload->>'reserved')::int as reserved, payload->>'cause' as cause
         from "${inventory.schema}".outbox where payload->>'cause' = 'COMMIT' and payload->>'sku' in (?) order by payload->>'sku'`,
      [[a, b]],
    );
    assert.deepEqual(events, [
      { sku: a, reserved: 0, cause: 'COMMIT' },
      { sku: b, reserved: 0, cause: 'COMMIT' },
    ]);
  });

  it('keeps available + reserved + sold equal to what was stocked while reservations, commits and releases run at once', async () => {
    const [s, t] = [sku('INV-S'), sku('INV-T')];
    const STOCKED = 500;
    await setStock(inventory, { [s]: STOCKED, [t]: STOCKED });
    const lines = (i: number): Item[] => (i % 3 === 0 ? [{ sku: s, quantity: 1 }, { sku: t, quantity: 2 }] : [{ sku: i % 2 ? s : t, quantity: 1 + (i % 4) }]);
    const held = Array.from({ length: 60 }, () => randomUUID());
    await Promise.all(held.map((orderId, i) => reserve(orderId, lines(i))));

    const fresh = Array.from({ length: 40 }, () => randomUUID());
    const results = await Promise.all([
      // Two commit batches that share ten orders, and a release batch, while new orders reserve.
      inventory.graphql(COMMIT_BATCH, { orderIds: held.slice(0, 25) }, service),
      inventory.graphql(COMMIT_BATCH, { orderIds: held.slice(15, 40) }, service),
      inventory.graphql(RELEASE_BATCH, { orderIds: held.slice(40, 50) }, service),
      ...fresh.map((orderId, i) => inventory.graphql(RESERVE, { orderId, items: lines(i) }, service)),
    ]);
    for (const { body } of results) assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const [first, second] = results.map((r) => batchAnswers(r.body, 'commitReservations'));
    for (const answer of [...first!, ...second!]) assert.equal((answer.item as { __typename: string }).__typename, 'ReservationCommitted');

    const totals = await sql<{ sku: string; available: number; reserved: number; held: number; sold: number }>(
      inventory.orm.em.fork(),
      `select s.sku, s.available, s.reserved,
              coalesce(sum(r.quantity) filter (where r.status = 'HELD'), 0)::int as held,
              coalesce(sum(r.quantity) filter (where r.status = 'COMMITTED'), 0)::int as sold
         from "${inventory.schema}".stock s left join "${inventory.schema}".reservations r on r.sku = s.sku
        where s.sku in (?) group by s.sku order by s.sku`,
      [[s, t]],
    );
    for (const row of totals) {
      assert.equal(row.available + row.reserved + row.sold, STOCKED, `${row.sku}: ${JSON.stringify(row)}`);
      assert.equal(row.reserved, row.held, `${row.sku}: reserved is what is HELD`);
    }
    const committedOrders = await sql<{ n: number }>(
      inventory.orm.em.fork(),
      `select count(distinct order_id)::int as n from "${inventory.schema}".reservations where status = 'COMMITTED' and order_id in (?)`,
      [held],
    );
    assert.equal(committedOrders[0]?.n, 40);
  });

  it('is for internal services only, and takes 1 to 500 orders', async () => {
    const customer = await inventory.as('CUSTOMER');
    const forbidden = await inventory.graphql(COMMIT_BATCH, { orderIds: [randomUUID()] }, customer);
    assert.deepEqual(forbidden.body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    for (const orderIds of [[], Array.from({ length: 501 }, () => randomUUID())]) {
      const { body } = await inventory.graphql(COMMIT_BATCH, { orderIds }, service);
      assert.deepEqual(body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', 'orderIds']]);
    }
  });
});

describe('releaseReservations', () => {
  it('answers a mix of orders exactly as releaseReservation answers them one by one, and leaves the same stock', async () => {
    const { batch, batched, alone, oneByOne } = await batchAndAlone('r', RELEASE_BATCH, 'releaseReservations', RELEASE, 'releaseReservation');

    assert.deepEqual(
      batched.map((a) => a.code ?? (a.item as { status: string } | null)?.status ?? null),
      ['RELEASED', 'RELEASED', 'CONFLICT', 'RELEASED', null, 'BAD_USER_INPUT', 'RELEASED'],
    );
    assert.deepEqual(anonymized(batched, batch.names), anonymized(oneByOne, alone.names));
    // Only the order committed before sold anything (1 of B).
    assert.deepEqual(await stored(batch.skus), [
      { available: 10, reserved: 0 },
      { available: 9, reserved: 0 },
    ]);
    assert.deepEqual(await stored(alone.skus), await stored(batch.skus));
  });
});

describe('statements per batch', () => {
  it('commitReservations costs as many statements for 24 orders over two skus as for 3', async () => {
    const [a, b] = [sku('CNT-A'), sku('CNT-B')];
    await setStock(inventory, { [a]: 1_000, [b]: 1_000 });
    const ordersOf = async (count: number) => {
      const orderIds = Array.from({ length: count }, () => randomUUID());
      for (const [i, orderId] of orderIds.entries()) await reserve(orderId, i % 2 ? [{ sku: a, quantity: 1 }] : [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }]);
      return orderIds;
    };
    const small = await ordersOf(3);
    const large = await ordersOf(24);
    const counter = countStatements();
    const cost = async (orderIds: string[]) => {
      counter.reset();
      const { body } = await inventory.graphql(COMMIT_BATCH, { orderIds }, service);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return counter.count;
    };
    try {
      const [smallCost, largeCost] = [await cost(small), await cost(large)];
      assert.equal(largeCost, smallCost);
      // BEGIN, order locks, reservation lines, stock row locks, stock rows, COMMIT.
      assert.equal(largeCost, 6);
    } finally {
      counter.stop();
    }
  });
});
