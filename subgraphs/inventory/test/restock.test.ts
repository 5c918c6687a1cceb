import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stockKey } from '../src/stock/stock.cache.ts';
import { MAX_UNITS } from '../src/stock/stock.repository.ts';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('RESTOCK');
let inventory: Inventory;

before(async () => {
  inventory = await startInventory();
});
after(() => inventory?.close());

// The contract's operation, exactly as clients send it.
const RESTOCK = `mutation Restock($sku: ID!, $quantity: Int!) {
  restock(sku: $sku, quantity: $quantity) {
    sku
    available
  }
}`;
const STOCK_LEVELS = 'query ($skus: [ID!]!) { stockLevels(skus: $skus) { sku available } }';

describe('Mutation.restock', () => {
  it('lets a seller stock a sku for the first time, never cached', async () => {
    const { status, headers, body } = await inventory.graphql(RESTOCK, { sku: sku('NEW'), quantity: 25 }, await inventory.as('SELLER'));
    assert.equal(status, 200);
    assert.deepEqual(body, { data: { restock: { sku: sku('NEW'), available: 25 } } });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('lets an admin add units to existing stock', async () => {
    await setStock(inventory, { [sku('ADD')]: 4 });
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('ADD'), quantity: 6 }, await inventory.as('ADMIN'));
    assert.deepEqual(body, { data: { restock: { sku: sku('ADD'), available: 10 } } });
  });

  it('writes the new level to the cache, so the next read is not stale', async () => {
    await setStock(inventory, { [sku('FRESH')]: 5 });
    const before = await inventory.graphql(STOCK_LEVELS, { skus: [sku('FRESH')] });
    assert.deepEqual(before.body.data?.stockLevels, [{ sku: sku('FRESH'), available: 5 }]);
    await inventory.graphql(RESTOCK, { sku: sku('FRESH'), quantity: 3 }, await inventory.as('SELLER'));
    assert.equal(await inventory.store.get(stockKey(sku('FRESH'))), '8');
    const after = await inventory.graphql(STOCK_LEVELS, { skus: [sku('FRESH')] });
    assert.deepEqual(after.body.data?.stockLevels, [{ sku: sku('FRESH'), available: 8 }]);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const { body, headers } = await inventory.graphql(RESTOCK, { sku: sku('ANON'), quantity: 1 });
    assert.deepEqual(body, {
      data: null,
      errors: [
        {
          message: 'You must be signed in to do this.',
          locations: [{ line: 2, column: 3 }],
          path: ['restock'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('ignores identity headers that are not a gateway-signed token', async () => {
    const forged = { 'x-user-id': 'someone', 'x-roles': 'ADMIN', 'x-viewer-token': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('FORGED'), quantity: 1 }, forged);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
  });

  it('refuses a customer with FORBIDDEN and leaves stock alone', async () => {
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('CUSTOMER'), quantity: 1 }, await inventory.as('CUSTOMER'));
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    const levels = await inventory.graphql(STOCK_LEVELS, { skus: [sku('CUSTOMER')] });
    assert.deepEqual(levels.body.data?.stockLevels, [{ sku: sku('CUSTOMER'), available: 0 }]);
  });

  for (const quantity of [0, -3, 1_000_001]) {
    it(`rejects quantity ${quantity} with BAD_USER_INPUT`, async () => {
      const { body } = await inventory.graphql(RESTOCK, { sku: sku('BAD'), quantity }, await inventory.as('ADMIN'));
      assert.deepEqual(body, {
        data: null,
        errors: [
          {
            message: `"quantity" must be a whole number from 1 to 1000000, got ${quantity}.`,
            locations: [{ line: 2, column: 3 }],
            path: ['restock'],
            extensions: { code: 'BAD_USER_INPUT', field: 'quantity' },
          },
        ],
      });
    });
  }

  it('accepts the largest quantity, 1,000,000', async () => {
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('MAX'), quantity: 1_000_000 }, await inventory.as('ADMIN'));
    assert.deepEqual(body, { data: { restock: { sku: sku('MAX'), available: 1_000_000 } } });
  });

  it('refuses a restock that would overflow the stock column, keeping the level', async () => {
    await setStock(inventory, { [sku('FULL')]: MAX_UNITS - 10 });
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('FULL'), quantity: 11 }, await inventory.as('ADMIN'));
    assert.deepEqual(body.errors?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'quantity' }]);
    const ok = await inventory.graphql(RESTOCK, { sku: sku('FULL'), quantity: 10 }, await inventory.as('ADMIN'));
    assert.deepEqual(ok.body, { data: { restock: { sku: sku('FULL'), available: MAX_UNITS } } });
  });
});
