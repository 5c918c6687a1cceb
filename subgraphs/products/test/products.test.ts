import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.ts';
import { insertCategory, insertProduct } from './fixtures.ts';

let h: Harness;
before(async () => {
  h = await startHarness('products');
});
after(() => h?.close());

const PAGE = `query Page($first: Int, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    edges { cursor node { id name price { amount currency } createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// The storefront's catalogue query from the client contract, minus `inStock` (owned by inventory).
const PRODUCT_LIST = `query ProductList($first: Int!, $after: String, $search: String) {
  products(first: $first, after: $after, filter: { search: $search }) {
    edges { cursor node { id slug name price { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Edge {
  cursor: string;
  node: { id: string; name: string; price: { amount: number; currency: string }; createdAt: string };
}
interface Page {
  products: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Reads every page of `products` with `first: 7`, calling `between` after each page; returns the ids in order. */
async function walk(variables: Record<string, unknown>, between?: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const { body }: { body: { data?: Page | null; errors?: unknown[] } } = await h.request<Page>(PAGE, { ...variables, first: 7, after: cursor });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const connection = body.data!.products;
    assert.ok(connection.edges.length <= 7);
    ids.push(...connection.edges.map((edge) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return ids;
    cursor = connection.pageInfo.endCursor;
    await between?.();
  }
  throw new Error('the walk did not reach the last page');
}

function sorted(ids: readonly string[]): string[] {
  return [...ids].sort();
}

describe('products: keyset pagination', () => {
  const sellerId = randomUUID();
  const products: { id: string; createdAt: Date; priceAmount: number }[] = [];
  /** Products the walks below add while they page. */
  const added: string[] = [];

  before(async () => {
    // Groups of products share a creation time and a price, so the id tie-breaker is what keeps the order total.
    const base = Date.parse('2026-03-01T00:00:00.000Z');
    for (let i = 0; i < 30; i++) {
      const createdAt = new Date(base + Math.floor(i / 4) * 60_000);
      const priceAmount = 1000 + (i % 5) * 250;
      const id = await insertProduct(h.orm, { name: `Paged item ${i}`, sellerId, createdAt, priceAmount });
      products.push({ id, createdAt, priceAmount });
    }
    // Not PUBLISHED: never on a public page.
    await insertProduct(h.orm, { name: 'Paged draft', sellerId, status: 'DRAFT' });
    await insertProduct(h.orm, { name: 'Paged archived', sellerId, status: 'ARCHIVED' });
  });

  for (const sort of ['NEWEST', 'PRICE_ASC', 'PRICE_DESC'] as const) {
    it(`walking all pages with first: 7 visits every product exactly once, in ${sort} order`, async () => {
      const ids = await walk({ filter: { sellerId }, sort });
      const expected = [...products].sort((a, b) => {
        const byKey =
          sort === 'NEWEST' ? b.createdAt.getTime() - a.createdAt.getTime() : sort === 'PRICE_ASC' ? a.priceAmount - b.priceAmount : b.priceAmount - a.priceAmount;
        if (byKey !== 0) return byKey;
        return sort === 'PRICE_ASC' ? (a.id < b.id ? -1 : 1) : a.id < b.id ? 1 : -1;
      });
      assert.deepEqual(ids, expected.map((p) => p.id));
    });
  }

  for (const sort of ['NEWEST', 'PRICE_ASC'] as const) {
    it(`a ${sort} walk visits every product exactly once while products are added between page reads`, async () => {
      const addedBefore = added.length;
      const ids = await walk({ filter: { sellerId }, sort }, async () => {
        for (const priceAmount of [900, 1400, 5000]) {
          added.push(await insertProduct(h.orm, { name: 'Added while paging', sellerId, priceAmount }));
        }
      });
      assert.equal(new Set(ids).size, ids.length, 'no product is visited twice');
      const original = new Set(products.map((p) => p.id));
      assert.deepEqual(sorted(ids.filter((id) => original.has(id))), sorted([...original]));
      assert.ok(ids.every((id) => original.has(id) || added.includes(id)));
      if (sort === 'NEWEST') assert.deepEqual(ids.filter((id) => added.slice(addedBefore).includes(id)), [], 'newer products land before the pages already read');
    });
  }

  it('a RELEVANCE walk visits every match exactly once', async () => {
    const relevanceSeller = randomUUID();
    const matches: string[] = [];
    const best: string[] = [];
    for (let i = 0; i < 16; i++) {
      // Varying how often "kettle" appears varies the rank; equal texts tie and fall back to newest first.
      const name = i % 3 === 0 ? 'Kettle' : 'Pot';
      const description = `${'kettle '.repeat(i % 4)}stove top`;
      const id = await insertProduct(h.orm, { name, description, sellerId: relevanceSeller });
      if (name === 'Kettle' || i % 4 > 0) matches.push(id);
      if (name === 'Kettle' && i % 4 === 3) best.push(id);
    }
    const visited = await walk({ filter: { sellerId: relevanceSeller, search: 'kettle' } });
    assert.equal(new Set(visited).size, visited.length);
    const { body } = await h.request<Page>(PAGE, { first: 100, filter: { sellerId: relevanceSeller, search: 'kettle' } });
    assert.deepEqual(visited, body.data!.products.edges.map((e) => e.node.id));
    assert.deepEqual(sorted(visited), sorted(matches), 'every match, and only matches');
    assert.deepEqual(sorted(visited.slice(0, 2)), sorted(best), '"kettle" in the name and three times in the description ranks first');
  });
});

describe('products: search and filters', () => {
  it('searching "waterproof jacket" ranks the jacket first (the contract query)', async () => {
    const jacket = await insertProduct(h.orm, { name: 'Waterproof Storm Jacket', description: 'A waterproof shell jacket with taped seams.' });
    const hanger = await insertProduct(h.orm, { name: 'Wide Hanger', description: 'Keeps a heavy jacket in shape; the waterproof coating resists damp.' });
    await insertProduct(h.orm, { name: 'Waterproof Boots', description: 'Leather boots for wet trails.' });
    const { body } = await h.request(PRODUCT_LIST, { first: 10, search: 'waterproof jacket' });
    assert.equal(body.errors, undefined);
    assert.deepEqual(
      body.data!.products.edges.map((e: Edge) => e.node.id),
      [jacket, hanger],
    );
  });

  it('a null $search means no search: the newest products first', async () => {
    const newest = await insertProduct(h.orm, { name: 'Newest of all', createdAt: new Date('2030-01-01T00:00:00.000Z') });
    const withNull = await h.request(PRODUCT_LIST, { first: 3, search: null });
    const withoutFilter = await h.request(PAGE, { first: 3 });
    assert.equal(withNull.body.errors, undefined);
    assert.equal(withNull.body.data!.products.edges[0].node.id, newest);
    assert.deepEqual(
      withNull.body.data!.products.edges.map((e: Edge) => e.cursor),
      withoutFilter.body.data!.products.edges.map((e: Edge) => e.cursor),
    );
  });

  it('filters combine: category with its descendants, price range, seller and search', async () => {
    const outdoor = await insertCategory(h.orm, 'Outdoor');
    const jackets = await insertCategory(h.orm, 'Jackets', outdoor);
    const rain = await insertCategory(h.orm, 'Rain', jackets);
    const kitchen = await insertCategory(h.orm, 'Kitchen');
    const seller = randomUUID();
    const other = randomUUID();
    const match1 = await insertProduct(h.orm, { name: 'Alpine shell', sellerId: seller, priceAmount: 5000, categoryIds: [rain] });
    const match2 = await insertProduct(h.orm, { name: 'Ridge shell', sellerId: seller, priceAmount: 8000, categoryIds: [outdoor] });
    await insertProduct(h.orm, { name: 'Luxury shell', sellerId: seller, priceAmount: 20_000, categoryIds: [rain] }); // too dear
    await insertProduct(h.orm, { name: 'Cheap shell', sellerId: seller, priceAmount: 100, categoryIds: [jackets] }); // too cheap
    await insertProduct(h.orm, { name: 'Shell bowl', sellerId: seller, priceAmount: 5000, categoryIds: [kitchen] }); // other category
    await insertProduct(h.orm, { name: 'Other shell', sellerId: other, priceAmount: 5000, categoryIds: [rain] }); // other seller
    await insertProduct(h.orm, { name: 'Alpine fleece', sellerId: seller, priceAmount: 5000, categoryIds: [rain] }); // no match
    await insertProduct(h.orm, { name: 'Draft shell', sellerId: seller, priceAmount: 5000, categoryIds: [rain], status: 'DRAFT' });

    const filter = { categoryId: outdoor, minPrice: 1000, maxPrice: 10_000, sellerId: seller, search: 'shell' };
    const { body } = await h.request(PAGE, { first: 10, filter, sort: 'PRICE_ASC' });
    assert.equal(body.errors, undefined);
    assert.deepEqual(body.data!.products.edges.map((e: Edge) => e.node.id), [match1, match2]);

    const onlyRain = await h.request(PAGE, { first: 10, filter: { ...filter, categoryId: rain } });
    assert.deepEqual(onlyRain.body.data!.products.edges.map((e: Edge) => e.node.id), [match1]);
  });

  it('invalid arguments are rejected with BAD_USER_INPUT naming the argument', async () => {
    const { body: first } = await h.request<Page>(PAGE, { first: 1 });
    const newestCursor = first.data!.products.pageInfo.endCursor;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ first: 0 }, 'first', /"first" must be between 1 and 100, got 0/],
      [{ first: 101 }, 'first', /"first" must be between 1 and 100, got 101/],
      [{ first: 5, after: 'not-a-cursor' }, 'after', /not a cursor/],
      [{ first: 5, after: Buffer.from('["NEWEST","yesterday","x"]').toString('base64url') }, 'after', /not a cursor/],
      [{ first: 5, after: newestCursor, sort: 'PRICE_ASC' }, 'after', /cursor of the NEWEST order/],
      [{ first: 5, filter: { minPrice: 5000, maxPrice: 1000 } }, 'filter.minPrice', /must not exceed "filter.maxPrice"/],
      [{ first: 5, filter: { minPrice: -1 } }, 'filter.minPrice', /must be 0 or more/],
      [{ first: 5, sort: 'RELEVANCE' }, 'sort', /needs a "filter.search"/],
      [{ first: 5, filter: { categoryId: 'shoes' } }, 'filter.categoryId', /not a category id/],
      [{ first: 5, filter: { search: 'x'.repeat(201) } }, 'filter.search', /at most 200 characters/],
    ];
    for (const [variables, field, message] of cases) {
      const { body } = await h.request(PAGE, variables);
      assert.equal(body.data, null, JSON.stringify(variables));
      assert.equal(body.errors?.length, 1);
      assert.equal(body.errors![0]!.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(variables));
      assert.equal(body.errors![0]!.extensions?.field, field);
      assert.match(body.errors![0]!.message, message);
    }
  });
});

describe('products: visibility and entities', () => {
  const seller = { userId: randomUUID(), roles: ['SELLER' as const] };
  let published: string;
  let draft: string;
  let archived: string;

  before(async () => {
    published = await insertProduct(h.orm, { name: 'Visible lamp', sellerId: seller.userId, variants: [{ sku: 'VIS-LAMP-1', name: 'White' }] });
    draft = await insertProduct(h.orm, { name: 'Secret lamp', sellerId: seller.userId, status: 'DRAFT', variants: [{ sku: 'VIS-DRAFT-1', name: 'Black' }] });
    archived = await insertProduct(h.orm, { name: 'Old lamp', sellerId: seller.userId, status: 'ARCHIVED', variants: [{ sku: 'VIS-OLD-1', name: 'Brass' }] });
  });

  it('only PUBLISHED products are public; the seller and admins see drafts, privately', async () => {
    const query = 'query($id: ID!) { product(id: $id) { id status } }';
    const anonymous = await h.request(query, { id: draft });
    assert.deepEqual(anonymous.body, { data: { product: null } });
    const otherSeller = await h.request(query, { id: draft }, h.viewer('SELLER'));
    assert.deepEqual(otherSeller.body, { data: { product: null } });
    const owner = await h.request(query, { id: draft }, seller);
    assert.deepEqual(owner.body, { data: { product: { id: draft, status: 'DRAFT' } } });
    assert.equal(owner.headers.get('cache-control'), 'max-age=300, private');
    const admin = await h.request(query, { id: archived }, h.viewer('ADMIN'));
    assert.deepEqual(admin.body, { data: { product: { id: archived, status: 'ARCHIVED' } } });
    const publicProduct = await h.request(query, { id: published });
    assert.deepEqual(publicProduct.body, { data: { product: { id: published, status: 'PUBLISHED' } } });
    assert.equal(publicProduct.headers.get('cache-control'), 'max-age=300, public');
    const notAnId = await h.request(query, { id: 'not-a-uuid' });
    assert.deepEqual(notAnId.body, { data: { product: null } });
  });

  it('listing drafts needs a seller (own products only) or an admin', async () => {
    const query = 'query($filter: ProductFilter) { products(first: 50, filter: $filter) { edges { node { id status } } } }';
    const filter = { statuses: ['DRAFT'] };
    const anonymous = await h.request(query, { filter });
    assert.equal(anonymous.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const customer = await h.request(query, { filter }, h.viewer('CUSTOMER'));
    assert.equal(customer.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const someoneElse = await h.request(query, { filter: { ...filter, sellerId: seller.userId } }, h.viewer('SELLER'));
    assert.equal(someoneElse.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const owner = await h.request(query, { filter: { statuses: ['DRAFT', 'ARCHIVED'] } }, seller);
    assert.deepEqual(
      sorted(owner.body.data!.products.edges.map((e: { node: { id: string } }) => e.node.id)),
      sorted([draft, archived]),
    );
    assert.equal(owner.headers.get('cache-control'), 'max-age=300, private');
  });

  it('_entities resolves Product and Variant references in order, null for unknown or draft ones', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Product { id name status variants { sku } }
        ... on Variant { sku name price { amount currency } product { id } }
      }
    }`;
    const representations = [
      { __typename: 'Variant', sku: 'VIS-LAMP-1' },
      { __typename: 'Product', id: published },
      { __typename: 'Product', id: randomUUID() },
      { __typename: 'Variant', sku: 'NO-SUCH-SKU' },
      { __typename: 'Product', id: draft },
      { __typename: 'Variant', sku: 'VIS-DRAFT-1' },
      // Past orders still point at archived products.
      { __typename: 'Product', id: archived },
      { __typename: 'Variant', sku: 'VIS-OLD-1' },
    ];
    const { body, headers } = await h.request(query, { representations });
    assert.deepEqual(body, {
      data: {
        _entities: [
          { sku: 'VIS-LAMP-1', name: 'White', price: { amount: 1000, currency: 'USD' }, product: { id: published } },
          { id: published, name: 'Visible lamp', status: 'PUBLISHED', variants: [{ sku: 'VIS-LAMP-1' }] },
          null,
          null,
          null,
          null,
          { id: archived, name: 'Old lamp', status: 'ARCHIVED', variants: [{ sku: 'VIS-OLD-1' }] },
          { sku: 'VIS-OLD-1', name: 'Brass', price: { amount: 1000, currency: 'USD' }, product: { id: archived } },
        ],
      },
    });
    assert.equal(headers.get('cache-control'), 'max-age=300, public');
    const owner = await h.request(query, { representations: [{ __typename: 'Product', id: draft }] }, seller);
    assert.deepEqual(owner.body, { data: { _entities: [{ id: draft, name: 'Secret lamp', status: 'DRAFT', variants: [{ sku: 'VIS-DRAFT-1' }] }] } });
    assert.equal(owner.headers.get('cache-control'), 'max-age=300, private');
  });
});

describe('products: categories and cache headers', () => {
  it('categories form a tree: roots, children, parents and a product’s categories', async () => {
    const root = await insertCategory(h.orm, 'Tree root', null, 0);
    const second = await insertCategory(h.orm, 'Tree second', root, 1);
    const first = await insertCategory(h.orm, 'Tree first', root, 0);
    const leaf = await insertCategory(h.orm, 'Tree leaf', first);
    const product = await insertProduct(h.orm, { name: 'Filed twice', categoryIds: [leaf, second] });
    const { body, headers } = await h.request(
      `query($root: ID!, $product: ID!) {
        categories(parentId: $root) { name parent { id } children { name } }
        product(id: $product) { categories { name parent { name parent { name } } } }
        roots: categories { id }
      }`,
      { root, product },
    );
    assert.equal(body.errors, undefined);
    assert.deepEqual(body.data!.categories, [
      { name: 'Tree first', parent: { id: root }, children: [{ name: 'Tree leaf' }] },
      { name: 'Tree second', parent: { id: root }, children: [] },
    ]);
    assert.deepEqual(body.data!.product.categories, [
      { name: 'Tree leaf', parent: { name: 'Tree first', parent: { name: 'Tree root' } } },
      { name: 'Tree second', parent: { name: 'Tree root', parent: null } },
    ]);
    assert.ok(body.data!.roots.some((c: { id: string }) => c.id === root));
    assert.ok(!body.data!.roots.some((c: { id: string }) => c.id === leaf));
    assert.equal(headers.get('cache-control'), 'max-age=300, public');
  });

  it('computes Cache-Control from the hints: public catalogue 300 s, live sales 30 s, prices and mutations never', async () => {
    await insertProduct(h.orm, { name: 'Cached mug', variants: [{ sku: 'CACHE-MUG-1', name: 'Blue', options: [{ name: 'Colour', value: 'Blue' }] }], images: 1 });
    const catalogue = await h.request(
      '{ products(first: 5) { edges { node { id price { amount } seller { id } images { url } variants { options { name } effectivePrice { amount } } } } pageInfo { hasNextPage } } }',
    );
    assert.equal(catalogue.body.errors, undefined);
    assert.equal(catalogue.headers.get('cache-control'), 'max-age=300, public');
    const sales = await h.request('{ liveSales(first: 5) { edges { node { id } } } }');
    assert.equal(sales.headers.get('cache-control'), 'max-age=30, public');
    const prices = await h.request('{ variantPrices(skus: ["CACHE-MUG-1"]) { sku unitPrice { amount } } }');
    assert.deepEqual(prices.body, { data: { variantPrices: [{ sku: 'CACHE-MUG-1', unitPrice: { amount: 1000 } }] } });
    assert.equal(prices.headers.get('cache-control'), 'no-store');
    const mutation = await h.request('mutation { publishProduct(id: "x") { id } }', {}, h.viewer('ADMIN'));
    assert.equal(mutation.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.equal(mutation.headers.get('cache-control'), 'no-store');
    const invalid = await h.request('{ products(first: 0) { edges { cursor } } }');
    assert.equal(invalid.headers.get('cache-control'), 'no-store');
  });
});
