import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('ENT');
let inventory: Inventory;

before(async () => {
  inventory = await startInventory();
  await setStock(inventory, { [sku('A')]: 7, [sku('B')]: 0, [sku('C')]: 3 });
});
after(() => inventory?.close());

const VARIANT_STOCK = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Variant { sku stock { sku available } } }
}`;

const PRODUCT_IN_STOCK = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id inStock } }
}`;

describe('federation entities', () => {
  it('resolves Variant references to their stock, with 0 for a sku never stocked', async () => {
    const representations = [sku('A'), sku('UNKNOWN'), sku('B')].map((s) => ({ __typename: 'Variant', sku: s }));
    const { status, body } = await inventory.graphql(VARIANT_STOCK, { representations });
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: {
        _entities: [
          { sku: sku('A'), stock: { sku: sku('A'), available: 7 } },
          { sku: sku('UNKNOWN'), stock: { sku: sku('UNKNOWN'), available: 0 } },
          { sku: sku('B'), stock: { sku: sku('B'), available: 0 } },
        ],
      },
    });
  });

  it('resolves Product.inStock from the variants the gateway provides (@requires)', async () => {
    const representations = [
      { __typename: 'Product', id: 'p-some', variants: [{ sku: sku('B') }, { sku: sku('C') }] },
      { __typename: 'Product', id: 'p-none', variants: [{ sku: sku('B') }, { sku: sku('UNKNOWN') }] },
      { __typename: 'Product', id: 'p-empty', variants: [] },
    ];
    const { status, body } = await inventory.graphql(PRODUCT_IN_STOCK, { representations });
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: {
        _entities: [
          { id: 'p-some', inStock: true },
          { id: 'p-none', inStock: false },
          { id: 'p-empty', inStock: false },
        ],
      },
    });
  });

  it('reads the stock of all variants of all products in one SQL statement', async () => {
    const representations = Array.from({ length: 20 }, (_, i) => ({
      __typename: 'Product',
      id: `p-${i}`,
      variants: [{ sku: sku(`N${i}-1`) }, { sku: sku(`N${i}-2`) }],
    }));
    inventory.statements.length = 0;
    const { body } = await inventory.graphql(PRODUCT_IN_STOCK, { representations });
    assert.equal(body.errors, undefined);
    assert.equal(inventory.statements.length, 1, inventory.statements.join('\n'));
  });

  it('serves the original Federation 2 SDL on _service', async () => {
    const { body } = await inventory.graphql('{ _service { sdl } }');
    assert.match(body.data?._service.sdl, /@link\(url: "https:\/\/specs.apollo.dev\/federation\/v2.14"/);
    assert.match(body.data?._service.sdl, /inStock: Boolean @requires\(fields: "variants \{ sku \}"\)/);
    assert.match(body.data?._service.sdl, /type Subscription \{[^}]*stockChanged\(/);
  });
});
