import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { encodeCursor } from '@shop/platform';
import { insertProduct } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

// Hostile input straight at the products subgraph (real PostgreSQL): each is
// refused with BAD_USER_INPUT before any SQL, never a database error.
let h: Harness;
before(async () => {
  h = await startHarness('products_hostile');
});
after(() => h?.close());

const codes = (response: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => response.body.errors?.map((e) => e.extensions?.code);
const PAGE = 'query($after: String, $sort: ProductSort) { products(first: 5, after: $after, sort: $sort) { edges { node { id } } } }';

describe('forged cursors and strings', () => {
  const forged: [string, unknown[], string?][] = [
    ['a date PostgreSQL rejects', ['NEWEST', '1', randomUUID()]],
    ['a year out of range', ['NEWEST', '+275760-09-13T00:00:00.000Z', randomUUID()]],
    ['a price past a 32-bit integer', ['PRICE_ASC', 1e20, randomUUID()], 'PRICE_ASC'],
    ['an id that is not a uuid', ['NEWEST', new Date().toISOString(), "x' OR 1=1 --"]],
    ['an object for a date', ['NEWEST', { $gt: 0 }, randomUUID()]],
  ];
  for (const [what, position, sort] of forged) {
    it(`refuses a cursor with ${what} with BAD_USER_INPUT`, async () => {
      h.statements.length = 0;
      const response = await h.request(PAGE, { after: encodeCursor(position), sort: sort ?? 'NEWEST' });
      assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
      assert.deepEqual(h.statements, []);
    });
  }

  it('refuses a NUL byte in a search string with BAD_USER_INPUT', async () => {
    const response = await h.request('query($s: String) { products(first: 5, filter: { search: $s }) { edges { node { id } } } }', { s: 'shoe\u0000s' });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
  });
});

describe('variantPrices', () => {
  it("follows the product's visibility: a DRAFT or ARCHIVED product's prices and seller are not shown to others", async () => {
    const seller = h.viewer('SELLER');
    const sku = `HIDDEN-${randomUUID().slice(0, 8)}`;
    const archivedSku = `GONE-${randomUUID().slice(0, 8)}`;
    await insertProduct(h.orm, { name: 'Draft', sellerId: seller.userId, status: 'DRAFT', variants: [{ sku, name: 'One', priceAmount: 1234 }] });
    await insertProduct(h.orm, { name: 'Archived', sellerId: seller.userId, status: 'ARCHIVED', variants: [{ sku: archivedSku, name: 'One', priceAmount: 99 }] });
    const query = `{ variantPrices(skus: ["${sku}", "${archivedSku}"]) { sku sellerId } }`;
    assert.deepEqual((await h.request(query)).body.data, { variantPrices: [] });
    assert.deepEqual((await h.request(query, {}, h.viewer('CUSTOMER'))).body.data, { variantPrices: [] });
    assert.equal((await h.request(query, {}, seller)).body.data!.variantPrices.length, 2);
    assert.equal((await h.request(query, {}, h.viewer('ADMIN'))).body.data!.variantPrices.length, 2);
  });
});
