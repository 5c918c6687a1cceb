import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger, sql } from '@shop/platform';
import { ReservationService } from '../src/reservation/reservation.service.ts';
import { startReservationSweeper } from '../src/reservation/reservation.sweeper.ts';
import { stockKey } from '../src/stock/stock.cache.ts';
import { closedPort, setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('RES');
let inventory: Inventory;
let service: Record<string, string>;

before(async () => {
  inventory = await startInventory();
  service = await inventory.as('SERVICE');
});
after(() => inventory?.close());

const RESERVE = `mutation ($orderId: ID!, $items: [ReservationItemInput!]!, $ttlSeconds: Int! = 900) {
  reserveStock(orderId: $orderId, items: $items, ttlSeconds: $ttlSeconds) {
    __typename
    ... on StockReserved { reservationId expiresAt }
    ... on InsufficientStock { sku available message }
  }
}`;
const COMMIT = `mutation ($orderId: ID!) {
  commitReservation(orderId: $orderId) {
    __typename
    ... on ReservationCommitted { reservation { id orderId status items { sku quantity } } }
    ... on ReservationReleased { reservation { id status } message }
  }
}`;
const RELEASE = `mutation ($orderId: ID!) {
  releaseReservation(orderId: $orderId) { id orderId status expiresAt items { sku quantity } }
}`;

type Item = { sku: string; quantity: number };

async function reserve(orderId: string, items: Item[], headers = service, ttlSeconds?: number) {
  return inventory.graphql(RESERVE, { orderId, items, ...(ttlSeconds ? { ttlSeconds } : {}) }, headers);
}

/** The stock row as stored (PostgreSQL is the authority, whatever the cache says). */
async function stored(s: string) {
  const [row] = await sql<{ available: number; reserved: number }>(
    inventory.orm.em.fork(),
    `select available, reserved from "${inventory.schema}".stock where sku = ?`,
    [s],
  );
  return row;
}

async function statuses(orderId: string) {
  const rows = await sql<{ sku: string; status: string }>(
    inventory.orm.em.fork(),
    `select sku, status from "${inventory.schema}".reservations where order_id = ? order by sku`,
    [orderId],
  );
  return rows.map((r) => `${r.sku}:${r.status}`);
}

describe('reserveStock', () => {
  it('holds every item, moving units from available to reserved until expiresAt', async () => {
    await setStock(inventory, { [sku('A1')]: 5, [sku('A2')]: 3 });
    const orderId = randomUUID();
    const startedAt = Date.now();
    const { status, headers, body } = await reserve(orderId, [{ sku: sku('A1'), quantity: 2 }, { sku: sku('A2'), quantity: 3 }], service, 60);
    assert.equal(status, 200);
    assert.equal(headers.get('cache-control'), 'no-store');
    const result = body.data?.reserveStock;
    assert.equal(result.__typename, 'StockReserved');
    assert.match(result.reservationId, /^[0-9a-f-]{36}$/);
    const expiresIn = Date.parse(result.expiresAt) - startedAt;
    assert.ok(expiresIn > 55_000 && expiresIn < 65_000, `expires in ${expiresIn} ms`);
    assert.deepEqual(await stored(sku('A1')), { available: 3, reserved: 2 });
    assert.deepEqual(await stored(sku('A2')), { available: 0, reserved: 3 });
    assert.equal(await inventory.store.get(stockKey(sku('A1'))), '3');
    assert.deepEqual(await statuses(orderId), [`${sku('A1')}:HELD`, `${sku('A2')}:HELD`]);
  });

  it('holds nothing when one item is short, and says which and how many are left', async () => {
    await setStock(inventory, { [sku('B1')]: 5, [sku('B2')]: 1 });
    const orderId = randomUUID();
    const { body } = await reserve(orderId, [{ sku: sku('B1'), quantity: 2 }, { sku: sku('B2'), quantity: 3 }]);
    assert.deepEqual(body, {
      data: {
        reserveStock: {
          __typename: 'InsufficientStock',
          sku: sku('B2'),
          available: 1,
          message: `Only 1 of ${sku('B2')} left; 3 requested.`,
        },
      },
    });
    assert.deepEqual(await stored(sku('B1')), { available: 5, reserved: 0 });
    assert.deepEqual(await stored(sku('B2')), { available: 1, reserved: 0 });
    assert.deepEqual(await statuses(orderId), []);
  });

  it('reports a sku that was never stocked as short with 0 available', async () => {
    const { body } = await reserve(randomUUID(), [{ sku: sku('NEVER'), quantity: 1 }]);
    assert.deepEqual(body.data?.reserveStock, {
      __typename: 'InsufficientStock',
      sku: sku('NEVER'),
      available: 0,
      message: `Only 0 of ${sku('NEVER')} left; 1 requested.`,
    });
  });

  it('is idempotent per order: the same call again returns the same reservation and holds nothing more', async () => {
    await setStock(inventory, { [sku('IDEM')]: 10 });
    const orderId = randomUUID();
    const items = [{ sku: sku('IDEM'), quantity: 4 }];
    const first = await reserve(orderId, items);
    const again = await reserve(orderId, items);
    assert.equal(first.body.data?.reserveStock.__typename, 'StockReserved');
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(await stored(sku('IDEM')), { available: 6, reserved: 4 });
  });

  it('is idempotent per order under concurrent retries', async () => {
    await setStock(inventory, { [sku('IDEM-C')]: 10 });
    const orderId = randomUUID();
    const items = [{ sku: sku('IDEM-C'), quantity: 3 }];
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(orderId, items)));
    const ids = new Set(results.map((r) => r.body.data?.reserveStock.reservationId));
    assert.equal(ids.size, 1);
    assert.ok(!ids.has(undefined));
    assert.deepEqual(await stored(sku('IDEM-C')), { available: 7, reserved: 3 });
  });

  it('refuses other items for an order that already holds a reservation (CONFLICT)', async () => {
    await setStock(inventory, { [sku('DIFF')]: 10 });
    const orderId = randomUUID();
    await reserve(orderId, [{ sku: sku('DIFF'), quantity: 1 }]);
    const { body } = await reserve(orderId, [{ sku: sku('DIFF'), quantity: 2 }]);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['CONFLICT']);
    assert.deepEqual(await stored(sku('DIFF')), { available: 9, reserved: 1 });
  });

  it('never oversells: 50 concurrent reservations of 1 unit against 20 units sell exactly 20', async () => {
    await setStock(inventory, { [sku('HOT')]: 20 });
    const results = await Promise.all(Array.from({ length: 50 }, () => reserve(randomUUID(), [{ sku: sku('HOT'), quantity: 1 }])));
    const kinds = results.map((r) => r.body.data?.reserveStock.__typename ?? JSON.stringify(r.body.errors));
    assert.equal(kinds.filter((k) => k === 'StockReserved').length, 20);
    assert.equal(kinds.filter((k) => k === 'InsufficientStock').length, 30);
    assert.deepEqual(await stored(sku('HOT')), { available: 0, reserved: 20 });
    const [held] = await sql<{ units: number }>(
      inventory.orm.em.fork(),
      `select sum(quantity)::int as units from "${inventory.schema}".reservations where sku = ? and status = 'HELD'`,
      [sku('HOT')],
    );
    assert.equal(held?.units, 20);
  });

  it('has a CHECK constraint that refuses negative stock whatever the code does', async () => {
    await setStock(inventory, { [sku('CHECK')]: 1 });
    await assert.rejects(
      sql(inventory.orm.em.fork(), `update "${inventory.schema}".stock set available = available - 2 where sku = ?`, [sku('CHECK')]),
      /check constraint/,
    );
    assert.deepEqual(await stored(sku('CHECK')), { available: 1, reserved: 0 });
  });

  it('turns a reservation away early when the cache already shows too few units, without touching stock', async () => {
    await setStock(inventory, { [sku('GATE')]: 5 });
    await inventory.store.set(stockKey(sku('GATE')), '0', 10_000);
    const { body } = await reserve(randomUUID(), [{ sku: sku('GATE'), quantity: 1 }]);
    assert.equal(body.data?.reserveStock.__typename, 'InsufficientStock');
    assert.deepEqual(await stored(sku('GATE')), { available: 5, reserved: 0 });
  });

  it('still replays an earlier reservation of an order when the sku has since sold out', async () => {
    await setStock(inventory, { [sku('SOLD')]: 1 });
    const orderId = randomUUID();
    const first = await reserve(orderId, [{ sku: sku('SOLD'), quantity: 1 }]);
    assert.equal(await inventory.store.get(stockKey(sku('SOLD'))), '0');
    const again = await reserve(orderId, [{ sku: sku('SOLD'), quantity: 1 }]);
    assert.equal(again.body.data?.reserveStock.__typename, 'StockReserved');
    assert.deepEqual(again.body, first.body);
  });

  it('rejects bad input with BAD_USER_INPUT naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ orderId: randomUUID(), items: [] }, 'items'],
      [{ orderId: randomUUID(), items: [{ sku: sku('X'), quantity: 0 }] }, 'items[0].quantity'],
      [{ orderId: '', items: [{ sku: sku('X'), quantity: 1 }] }, 'orderId'],
      [{ orderId: randomUUID(), items: [{ sku: sku('X'), quantity: 1 }], ttlSeconds: 0 }, 'ttlSeconds'],
    ];
    for (const [variables, field] of cases) {
      const { body } = await inventory.graphql(RESERVE, variables, service);
      assert.deepEqual(body.errors?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field }], field);
    }
  });

  it('is for internal services only: anonymous is UNAUTHENTICATED, customers and sellers FORBIDDEN, admins allowed', async () => {
    await setStock(inventory, { [sku('AUTH')]: 10 });
    const items = [{ sku: sku('AUTH'), quantity: 1 }];
    const anonymous = await reserve(randomUUID(), items, {});
    assert.deepEqual(anonymous.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
    for (const role of ['CUSTOMER', 'SELLER'] as const) {
      const { body } = await reserve(randomUUID(), items, await inventory.as(role));
      assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN'], role);
    }
    assert.deepEqual(await stored(sku('AUTH')), { available: 10, reserved: 0 });
    const admin = await reserve(randomUUID(), items, await inventory.as('ADMIN'));
    assert.equal(admin.body.data?.reserveStock.__typename, 'StockReserved');
  });
});

describe('commitReservation and releaseReservation', () => {
  it('commit sells the held units: reserved goes down, available stays, and committing again changes nothing', async () => {
    await setStock(inventory, { [sku('C1')]: 10 });
    const orderId = randomUUID();
    const reserved = await reserve(orderId, [{ sku: sku('C1'), quantity: 4 }]);
    const reservationId = reserved.body.data?.reserveStock.reservationId;
    const expected = {
      data: {
        commitReservation: {
          __typename: 'ReservationCommitted',
          reservation: { id: reservationId, orderId, status: 'COMMITTED', items: [{ sku: sku('C1'), quantity: 4 }] },
        },
      },
    };
    assert.deepEqual((await inventory.graphql(COMMIT, { orderId }, service)).body, expected);
    assert.deepEqual(await stored(sku('C1')), { available: 6, reserved: 0 });
    assert.deepEqual((await inventory.graphql(COMMIT, { orderId }, service)).body, expected);
    assert.deepEqual(await stored(sku('C1')), { available: 6, reserved: 0 });
  });

  it('a committed reservation cannot be released (CONFLICT)', async () => {
    await setStock(inventory, { [sku('C2')]: 3 });
    const orderId = randomUUID();
    await reserve(orderId, [{ sku: sku('C2'), quantity: 1 }]);
    await inventory.graphql(COMMIT, { orderId }, service);
    const { body } = await inventory.graphql(RELEASE, { orderId }, service);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['CONFLICT']);
    assert.deepEqual(await stored(sku('C2')), { available: 2, reserved: 0 });
  });

  it('release returns the held units once, however often it is called', async () => {
    await setStock(inventory, { [sku('R1')]: 5, [sku('R2')]: 5 });
    const orderId = randomUUID();
    await reserve(orderId, [{ sku: sku('R1'), quantity: 2 }, { sku: sku('R2'), quantity: 5 }]);
    const first = await inventory.graphql(RELEASE, { orderId }, service);
    assert.equal(first.body.data?.releaseReservation.status, 'RELEASED');
    assert.deepEqual(first.body.data?.releaseReservation.items, [
      { sku: sku('R1'), quantity: 2 },
      { sku: sku('R2'), quantity: 5 },
    ]);
    const again = await inventory.graphql(RELEASE, { orderId }, service);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(await stored(sku('R1')), { available: 5, reserved: 0 });
    assert.deepEqual(await stored(sku('R2')), { available: 5, reserved: 0 });
    assert.equal(await inventory.store.get(stockKey(sku('R2'))), '5');
  });

  it('release of an order that holds nothing is a harmless null (blind compensation)', async () => {
    const { body } = await inventory.graphql(RELEASE, { orderId: randomUUID() }, service);
    assert.deepEqual(body, { data: { releaseReservation: null } });
  });

  it('commit after release reports ReservationReleased and sells nothing', async () => {
    await setStock(inventory, { [sku('CR')]: 2 });
    const orderId = randomUUID();
    const reserved = await reserve(orderId, [{ sku: sku('CR'), quantity: 2 }]);
    await inventory.graphql(RELEASE, { orderId }, service);
    const { body } = await inventory.graphql(COMMIT, { orderId }, service);
    assert.deepEqual(body, {
      data: {
        commitReservation: {
          __typename: 'ReservationReleased',
          reservation: { id: reserved.body.data?.reserveStock.reservationId, status: 'RELEASED' },
          message: `The reservation of order ${orderId} was released before it was committed; nothing was sold.`,
        },
      },
    });
    assert.deepEqual(await stored(sku('CR')), { available: 2, reserved: 0 });
  });

  it('reserving again for a released order is a CONFLICT (a new attempt needs a new order id)', async () => {
    await setStock(inventory, { [sku('AGAIN')]: 2 });
    const orderId = randomUUID();
    const items = [{ sku: sku('AGAIN'), quantity: 1 }];
    await reserve(orderId, items);
    await inventory.graphql(RELEASE, { orderId }, service);
    const { body } = await reserve(orderId, items);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['CONFLICT']);
    assert.deepEqual(await stored(sku('AGAIN')), { available: 2, reserved: 0 });
  });

  it('commit of an order that never reserved is NOT_FOUND', async () => {
    const { body } = await inventory.graphql(COMMIT, { orderId: randomUUID() }, service);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['NOT_FOUND']);
  });

  it('commit and release are for internal services only', async () => {
    for (const operation of [COMMIT, RELEASE]) {
      const { body } = await inventory.graphql(operation, { orderId: randomUUID() }, await inventory.as('SELLER'));
      assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    }
  });
});

describe('reservation expiry', () => {
  it('the sweeper releases HELD reservations past expiry, and only those', async () => {
    await setStock(inventory, { [sku('EXP')]: 10 });
    const reservations = new ReservationService(inventory.orm.em.fork(), { notifier: inventory.notifier });
    const expiring = randomUUID();
    const lasting = randomUUID();
    const committed = randomUUID();
    await reservations.reserve(expiring, [{ sku: sku('EXP'), quantity: 3 }], 50);
    await reservations.reserve(lasting, [{ sku: sku('EXP'), quantity: 2 }], 60_000);
    await reservations.reserve(committed, [{ sku: sku('EXP'), quantity: 1 }], 50);
    await reservations.commit(committed);
    assert.deepEqual(await stored(sku('EXP')), { available: 4, reserved: 5 });

    await sleep(120);
    assert.equal(await reservations.releaseExpired(), 1);
    assert.deepEqual(await stored(sku('EXP')), { available: 7, reserved: 2 });
    assert.deepEqual(await statuses(expiring), [`${sku('EXP')}:RELEASED`]);
    assert.deepEqual(await statuses(lasting), [`${sku('EXP')}:HELD`]);
    assert.deepEqual(await statuses(committed), [`${sku('EXP')}:COMMITTED`]);
    assert.equal(await inventory.store.get(stockKey(sku('EXP'))), '7');
    assert.equal(await reservations.releaseExpired(), 0, 'a second sweep finds nothing');

    const { body } = await inventory.graphql(COMMIT, { orderId: expiring }, service);
    assert.equal(body.data?.commitReservation.__typename, 'ReservationReleased');
  });

  it('concurrent sweeps return expired units only once', async () => {
    await setStock(inventory, { [sku('EXP2')]: 10 });
    const deps = { notifier: inventory.notifier };
    const orderIds = Array.from({ length: 5 }, () => randomUUID());
    for (const orderId of orderIds) {
      await new ReservationService(inventory.orm.em.fork(), deps).reserve(orderId, [{ sku: sku('EXP2'), quantity: 2 }], 30);
    }
    await sleep(80);
    const released = await Promise.all(Array.from({ length: 3 }, () => new ReservationService(inventory.orm.em.fork(), deps).releaseExpired()));
    assert.equal(released.reduce((a, b) => a + b, 0), 5);
    assert.deepEqual(await stored(sku('EXP2')), { available: 10, reserved: 0 });
  });
});

describe('reservation sweeper process', () => {
  it('releases an expired reservation on its own schedule, and stops cleanly', async () => {
    await setStock(inventory, { [sku('TIMER')]: 4 });
    const orderId = randomUUID();
    await new ReservationService(inventory.orm.em.fork(), { notifier: inventory.notifier }).reserve(orderId, [{ sku: sku('TIMER'), quantity: 4 }], 30);
    const sweeper = startReservationSweeper({ orm: inventory.orm, notifier: inventory.notifier, logger: createLogger('t', 'silent'), intervalMs: 20 });
    try {
      const deadline = Date.now() + 5_000;
      while ((await statuses(orderId))[0] !== `${sku('TIMER')}:RELEASED` && Date.now() < deadline) await sleep(20);
    } finally {
      await sweeper.stop();
    }
    assert.deepEqual(await statuses(orderId), [`${sku('TIMER')}:RELEASED`]);
    assert.deepEqual(await stored(sku('TIMER')), { available: 4, reserved: 0 });
  });
});

describe('reservations with Redis down', () => {
  let down: Inventory;
  before(async () => {
    down = await startInventory({ redisUrl: `redis://127.0.0.1:${await closedPort()}` });
  });
  after(() => down?.close());

  it('never oversells when every call reaches PostgreSQL: 50 concurrent reservations of 1 unit against 20 units', async () => {
    await setStock(down, { [sku('HOT-DOWN')]: 20 });
    const headers = await down.as('SERVICE');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => down.graphql(RESERVE, { orderId: randomUUID(), items: [{ sku: sku('HOT-DOWN'), quantity: 1 }] }, headers)),
    );
    const kinds = results.map((r) => r.body.data?.reserveStock.__typename ?? JSON.stringify(r.body.errors));
    assert.equal(kinds.filter((k) => k === 'StockReserved').length, 20);
    assert.equal(kinds.filter((k) => k === 'InsufficientStock').length, 30);
    const [row] = await sql<{ available: number; reserved: number }>(
      down.orm.em.fork(),
      `select available, reserved from "${down.schema}".stock where sku = ?`,
      [sku('HOT-DOWN')],
    );
    assert.deepEqual(row, { available: 0, reserved: 20 });
  });
});
