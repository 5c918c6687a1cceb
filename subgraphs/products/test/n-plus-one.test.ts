import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertCategory, insertProduct } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

/**
 * Every entity reference and list child field goes through a per-request
 * DataLoader: a page costs one statement per kind of thing it shows, however
 * many items it holds. A statement is identified by the tables it reads, so
 * an N+1 shows up as the same kind of statement twice.
 */
let h: Harness;
const seller = { userId: '', roles: ['SELLER' as const] };
const productIds: string[] = [];
let bigProduct = '';

before(async () => {
  h = await startHarness('nplusone');
  seller.userId = crypto.randomUUID();
  const root = await insertCategory(h.orm, 'N1 root');
  const leaves = [await insertCategory(h.orm, 'N1 leaf A', root), await insertCategory(h.orm, 'N1 leaf B', root)];
  for (let i = 0; i < 50; i++) {
    productIds.push(
      await insertProduct(h.orm, {
        name: `N1 product ${i}`,
        sellerId: seller.userId,
        categoryIds: [leaves[i % 2]!, root],
        images: 2,
        variants: [0, 1, 2].map((v) => ({ sku: `N1-${i}-${v}`, name: `Option ${v}`, options: [{ name: 'Size', value: String(v) }] })),
      }),
    );
  }
  bigProduct = await insertProduct(h.orm, {
    name: 'N1 many variants',
    sellerId: seller.userId,
    images: 3,
    categoryIds: [leaves[0]!],
    variants: Array.from({ length: 60 }, (_, v) => ({ sku: `N1-BIG-${v}`, name: `Variant ${v}` })),
  });
  const sale = await h.request(
    `mutation($input: ScheduleLiveSaleInput!) { scheduleLiveSale(input: $input) { id } }`,
    {
      input: {
        title: 'N1 sale',
        startsAt: new Date(h.clock.now.getTime() + 1000).toISOString(),
        endsAt: new Date(h.clock.now.getTime() + 3_600_000).toISOString(),
        productIds: [...productIds.slice(0, 10), bigProduct],
        prices: [{ sku: 'N1-0-0', amount: 500 }, { sku: 'N1-BIG-7', amount: 100 }],
      },
    },
    seller,
  );
  assert.equal(sale.body.errors, undefined, JSON.stringify(sale.body.errors));
  h.clock.now = new Date(h.clock.now.getTime() + 60_000);
});
after(() => h?.close());

/** The tables a statement reads, as a sorted key. */
function kindOf(statement: string): string {
  return [...new Set([...statement.matchAll(/"test_[^"]+"\."?(\w+)"?/g)].map((m) => m[1]))].sort().join('+');
}

/** Runs a request and returns the kinds of statement it sent, asserting it had no errors. */
async function statementsOf(query: string, variables: Record<string, unknown> = {}): Promise<{ kinds: string[]; data: any }> {
  h.statements.length = 0;
  const { body } = await h.request(query, variables);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return { kinds: h.statements.map(kindOf), data: body.data };
}

function assertOncePerKind(kinds: string[], expected: string[]): void {
  assert.deepEqual([...kinds].sort(), [...expected].sort(), `statements sent: ${kinds.join(', ')}`);
}

const PRODUCT_FIELDS = `
  id name price { amount }
  variants { sku name options { name value } price { amount } salePrice { amount } effectivePrice { amount } product { id name } }
  categories { name parent { name } }
  images { url altText }
  liveSale { id title status }`;

describe('N+1: one statement per entity type', () => {
  it('a products(first: 50) page with variants, categories, images and live sales', async () => {
    const { kinds, data } = await statementsOf(`query($seller: ID!) { products(first: 50, filter: { sellerId: $seller }, sort: PRICE_ASC) { edges { node { ${PRODUCT_FIELDS} } } } }`, {
      seller: seller.userId,
    });
    assert.equal(data.products.edges.length, 50);
    const first = data.products.edges.find((e: any) => e.node.id === productIds[0]).node;
    assert.equal(first.variants.length, 3);
    assert.equal(first.variants[0].effectivePrice.amount, 500);
    assert.equal(first.liveSale.status, 'LIVE');
    assert.equal(first.categories.length, 2);
    assertOncePerKind(kinds, [
      'products', // the page
      'variants', // variants by product
      'categories+product_categories', // categories by product
      'categories', // their parents by id
      'product_images', // images by product
      'live_sale_products+live_sales', // current or next live sale by product
      'live_sale_prices+live_sale_products+live_sales+variants', // sale prices by sku
    ]);
  });

  it('a product page with 60 variants', async () => {
    const { kinds, data } = await statementsOf(`query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`, { id: bigProduct });
    assert.equal(data.product.variants.length, 60);
    assert.equal(data.product.variants[7].effectivePrice.amount, 100);
    assertOncePerKind(kinds, [
      'products',
      'variants',
      'categories+product_categories',
      'categories',
      'product_images',
      'live_sale_products+live_sales',
      'live_sale_prices+live_sale_products+live_sales+variants',
    ]);
  });

  it('_entities for 150 variants and 50 products', async () => {
    const representations = [
      ...productIds.flatMap((_, i) => [0, 1, 2].map((v) => ({ __typename: 'Variant', sku: `N1-${i}-${v}` }))),
      ...productIds.map((id) => ({ __typename: 'Product', id })),
    ];
    const { kinds, data } = await statementsOf(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Variant { sku effectivePrice { amount } product { name } }
        ... on Product { id images { url } }
      } }`,
      { representations },
    );
    assert.equal(data._entities.filter(Boolean).length, 200);
    assertOncePerKind(kinds, ['variants', 'products', 'product_images', 'live_sale_prices+live_sale_products+live_sales+variants']);
  });

  it('variantPrices for 100 skus', async () => {
    const skus = productIds.flatMap((_, i) => [0, 1].map((v) => `N1-${i}-${v}`));
    const { kinds, data } = await statementsOf('query($skus: [ID!]!) { variantPrices(skus: $skus) { sku unitPrice { amount } } }', { skus });
    assert.equal(data.variantPrices.length, 100);
    assertOncePerKind(kinds, ['variants', 'products', 'live_sale_prices+live_sale_products+live_sales+variants']);
  });
});
