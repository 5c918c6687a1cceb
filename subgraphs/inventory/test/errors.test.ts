import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startInventory, type Inventory } from './harness.ts';

// A Product representation without the `variants { sku }` that inStock
// @requires is a planning bug, not the caller's mistake: an unexpected error.
const BROKEN_PRODUCT = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id inStock } }
}`;
const representations = [{ __typename: 'Product', id: 'p-without-variants' }];

describe('unexpected errors in production', () => {
  let inventory: Inventory;
  before(async () => {
    inventory = await startInventory({ production: true });
  });
  after(() => inventory?.close());

  it('are masked: a generic message and INTERNAL_SERVER_ERROR, never the internal detail', async () => {
    // In production a subgraph answers only calls signed by the gateway (or an expected service).
    const { status, headers, body } = await inventory.graphql(BROKEN_PRODUCT, { representations }, await inventory.as('CUSTOMER'));
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: { _entities: [{ id: 'p-without-variants', inStock: null }] },
      errors: [
        {
          message: 'Internal server error',
          locations: [{ line: 2, column: 70 }],
          path: ['_entities', 0, 'inStock'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('carry no "Did you mean" suggestions, which would list the schema where introspection is off', async () => {
    const { status, body } = await inventory.graphql('{ stockLevels(skus: ["A"]) { availabel } }', {}, await inventory.as('CUSTOMER'));
    assert.equal(status, 400);
    assert.deepEqual(body.errors?.map((e) => e.message), ['Cannot query field "availabel" on type "StockLevel".']);
  });

  it('leave expected errors as they are', async () => {
    const { body } = await inventory.graphql('{ stockLevels(skus: []) { sku } }', {}, await inventory.as('CUSTOMER'));
    assert.deepEqual(body.errors?.map((e) => [e.message, e.extensions?.code]), [['"skus" must name at least one sku.', 'BAD_USER_INPUT']]);
  });
});

describe('unexpected errors in development', () => {
  let inventory: Inventory;
  before(async () => {
    inventory = await startInventory();
  });
  after(() => inventory?.close());

  it('keep their message, to help whoever is debugging', async () => {
    const { body } = await inventory.graphql(BROKEN_PRODUCT, { representations });
    assert.match(body.errors?.[0]?.message ?? '', /resolved without its required variants/);
  });

  it('report list indices in error paths as numbers, which the gateway needs to map entity errors', async () => {
    const { body } = await inventory.graphql(BROKEN_PRODUCT, { representations });
    assert.deepEqual(body.errors?.[0]?.path, ['_entities', 0, 'inStock']);
  });
});
