import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { insertOrder, startOrders } from './fixtures.ts';

// Every statement the ORM sends while a request runs; the tests below assert
// that a response's cost does not grow with the number of entities in it.
const statements: string[] = [];
let orders: Awaited<ReturnType<typeof startOrders>>;

before(async () => {
  orders = await startOrders({ onQuery: (sql) => statements.push(sql) });
});

after(async () => {
  await orders?.stop();
});

const countAndClear = () => statements.splice(0).filter((s) => !/^\s*(begin|commit|rollback)/i.test(s));

describe('batching', () => {
  it("reads three users' order pages and all their items in two statements", async () => {
    const users = [randomUUID(), randomUUID(), randomUUID()];
    for (const userId of users) {
      for (let i = 0; i < 3; i++) {
        await insertOrder(orders.orm, { userId, items: [{ sku: `A-${i}`, quantity: 1, unitPriceAmount: 100 }, { sku: 'B', quantity: 2, unitPriceAmount: 50 }] });
      }
    }
    countAndClear();
    const result = await postGraphQL(
      orders.url,
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on User { orders(first: 2) { edges { node { id items { quantity variant { sku } } } } } }
        }
      }`,
      { representations: users.map((id) => ({ __typename: 'User', id })) },
      await orders.as(randomUUID(), 'ADMIN'),
    );
    assert.equal(result.body.errors, undefined);
    const pages = result.body.data!._entities as { orders: { edges: { node: { items: unknown[] } }[] } }[];
    assert.deepEqual(pages.map((p) => p.orders.edges.length), [2, 2, 2]);
    assert.ok(pages.every((p) => p.orders.edges.every((e) => e.node.items.length === 2)));
    const sent = countAndClear();
    assert.equal(sent.length, 2, sent.join('\n'));
    assert.match(sent[0]!, /jsonb_to_recordset/);
    assert.match(sent[1]!, /order_items/);
  });

  it('resolves five Order references with one statement for orders and one for items', async () => {
    const owner = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertOrder(orders.orm, { userId: owner }));
    countAndClear();
    const result = await postGraphQL(
      orders.url,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id items { quantity } } } }`,
      { representations: ids.map((id) => ({ __typename: 'Order', id })) },
      await orders.as(owner),
    );
    assert.deepEqual(result.body.data?._entities.map((o: { id: string }) => o.id), ids);
    assert.equal(countAndClear().length, 2);
  });
});
