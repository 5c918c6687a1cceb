import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { insertOrder, startOrders } from './fixtures.ts';

let orders: Awaited<ReturnType<typeof startOrders>>;

before(async () => {
  orders = await startOrders();
});

after(async () => {
  await orders?.stop();
});

const ORDER_ENTITY = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Order {
        id
        status
        placedAt
        total { amount currency }
        items { quantity unitPrice { amount currency } variant { sku } }
        customer { id }
      }
    }
  }`;

const USER_ORDERS = `
  query ($representations: [_Any!]!, $first: Int, $after: String) {
    _entities(representations: $representations) {
      ... on User {
        id
        orders(first: $first, after: $after) {
          edges { cursor node { id placedAt } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

const orderRef = (id: string) => ({ representations: [{ __typename: 'Order', id }] });
const userRef = (id: string) => ({ representations: [{ __typename: 'User', id }] });

describe('Order entity', () => {
  it('resolves an order for its customer with items, total and references to User and Variant', async () => {
    const customer = randomUUID();
    const placedAt = new Date('2026-03-01T10:20:30.456Z');
    const id = await insertOrder(orders.orm, {
      userId: customer,
      status: 'CONFIRMED',
      placedAt,
      items: [
        { sku: 'SHOE-42', quantity: 2, unitPriceAmount: 4999 },
        { sku: 'SOCK-M', quantity: 1, unitPriceAmount: 799 },
      ],
    });
    const result = await postGraphQL(orders.url, ORDER_ENTITY, orderRef(id), await orders.as(customer));
    assert.deepEqual(result.body, {
      data: {
        _entities: [
          {
            id,
            status: 'CONFIRMED',
            placedAt: '2026-03-01T10:20:30.456Z',
            total: { amount: 10797, currency: 'USD' },
            items: [
              { quantity: 2, unitPrice: { amount: 4999, currency: 'USD' }, variant: { sku: 'SHOE-42' } },
              { quantity: 1, unitPrice: { amount: 799, currency: 'USD' }, variant: { sku: 'SOCK-M' } },
            ],
            customer: { id: customer },
          },
        ],
      },
    });
  });

  it("returns null, not an error, for another customer's order, for anonymous callers and for forged identity headers", async () => {
    const owner = randomUUID();
    const id = await insertOrder(orders.orm, { userId: owner });
    const forged = { 'x-user-id': owner, 'x-viewer-token': 'not-a-signed-token' };
    for (const headers of [await orders.as(randomUUID()), {}, forged]) {
      const result = await postGraphQL(orders.url, ORDER_ENTITY, orderRef(id), headers);
      assert.deepEqual(result.body, { data: { _entities: [null] } });
    }
  });

  it("lets an ADMIN see any customer's order", async () => {
    const owner = randomUUID();
    const id = await insertOrder(orders.orm, { userId: owner });
    const result = await postGraphQL(orders.url, '{ order(id: "' + id + '") { id customer { id } } }', {}, await orders.as(randomUUID(), 'ADMIN'));
    assert.deepEqual(result.body, { data: { order: { id, customer: { id: owner } } } });
  });

  it('returns null for an unknown id and for an id that is not a UUID', async () => {
    const viewer = await orders.as(randomUUID(), 'ADMIN');
    const result = await postGraphQL(
      orders.url,
      ORDER_ENTITY,
      { representations: [{ __typename: 'Order', id: randomUUID() }, { __typename: 'Order', id: 'order-1' }] },
      viewer,
    );
    assert.deepEqual(result.body, { data: { _entities: [null, null] } });
  });
});

describe('User.orders', () => {
  async function readPage(userId: string, first: number, afterCursor: string | null, headers: Record<string, string>) {
    const result = await postGraphQL(orders.url, USER_ORDERS, { ...userRef(userId), first, after: afterCursor }, headers);
    assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
    return result.body.data!._entities[0].orders as {
      edges: { cursor: string; node: { id: string; placedAt: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }

  it("pages through the user's own orders newest first with first: 2, and only theirs", async () => {
    const customer = randomUUID();
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertOrder(orders.orm, { userId: customer, placedAt: new Date(base + i * 60_000) }));
    await insertOrder(orders.orm, { userId: randomUUID(), placedAt: new Date(base + 30_000) });
    const newestFirst = [...ids].reverse();
    const headers = await orders.as(customer);

    const page1 = await readPage(customer, 2, null, headers);
    const page2 = await readPage(customer, 2, page1.pageInfo.endCursor, headers);
    const page3 = await readPage(customer, 2, page2.pageInfo.endCursor, headers);

    assert.deepEqual(page1.edges.map((e) => e.node.id), newestFirst.slice(0, 2));
    assert.deepEqual(page2.edges.map((e) => e.node.id), newestFirst.slice(2, 4));
    assert.deepEqual(page3.edges.map((e) => e.node.id), newestFirst.slice(4));
    assert.deepEqual([page1.pageInfo.hasNextPage, page2.pageInfo.hasNextPage, page3.pageInfo.hasNextPage], [true, true, false]);
    assert.equal(page1.pageInfo.endCursor, page1.edges[1]!.cursor);
    assert.equal(page3.pageInfo.endCursor, page3.edges[0]!.cursor);
  });

  it('neither repeats nor skips orders placed in the same millisecond, or placed while paging', async () => {
    const customer = randomUUID();
    const sameInstant = new Date('2026-02-02T02:02:02.222Z');
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) ids.add(await insertOrder(orders.orm, { userId: customer, placedAt: sameInstant }));
    const headers = await orders.as(customer);

    const page1 = await readPage(customer, 2, null, headers);
    await insertOrder(orders.orm, { userId: customer, placedAt: new Date('2026-02-03T00:00:00.000Z') });
    const page2 = await readPage(customer, 2, page1.pageInfo.endCursor, headers);
    const page3 = await readPage(customer, 2, page2.pageInfo.endCursor, headers);

    const seen = [...page1.edges, ...page2.edges, ...page3.edges].map((e) => e.node.id);
    assert.equal(seen.length, 4);
    assert.deepEqual(new Set(seen), ids);
    assert.equal(page2.pageInfo.hasNextPage, false);
    assert.deepEqual(page3.edges, []);
  });

  it("lets an ADMIN read a customer's orders", async () => {
    const customer = randomUUID();
    const id = await insertOrder(orders.orm, { userId: customer });
    const page = await readPage(customer, 10, null, await orders.as(randomUUID(), 'ADMIN'));
    assert.deepEqual(page.edges.map((e) => e.node.id), [id]);
  });

  it("refuses another customer's orders with FORBIDDEN and anonymous callers with UNAUTHENTICATED", async () => {
    const customer = randomUUID();
    await insertOrder(orders.orm, { userId: customer });
    const cases = [
      { headers: await orders.as(randomUUID()), code: 'FORBIDDEN' },
      { headers: {}, code: 'UNAUTHENTICATED' },
    ];
    for (const { headers, code } of cases) {
      const result = await postGraphQL(orders.url, USER_ORDERS, { ...userRef(customer), first: 2 }, headers);
      assert.deepEqual(result.body.data, { _entities: [null] });
      assert.deepEqual(
        result.body.errors?.map((e) => ({ code: e.extensions?.code, path: e.path })),
        [{ code, path: ['_entities', 0, 'orders'] }],
      );
    }
  });

  it('rejects a page size outside 1..100 and a cursor it did not issue with BAD_USER_INPUT naming the argument', async () => {
    const customer = randomUUID();
    const headers = await orders.as(customer);
    const cases = [
      { first: 0, after: null, field: 'first' },
      { first: 101, after: null, field: 'first' },
      { first: 2, after: 'garbage', field: 'after' },
      { first: 2, after: Buffer.from('[1,2]').toString('base64url'), field: 'after' },
    ];
    for (const { first, after: cursor, field } of cases) {
      const result = await postGraphQL(orders.url, USER_ORDERS, { ...userRef(customer), first, after: cursor }, headers);
      assert.deepEqual(
        result.body.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })),
        [{ code: 'BAD_USER_INPUT', field }],
        `first=${first} after=${cursor}`,
      );
    }
  });
});
