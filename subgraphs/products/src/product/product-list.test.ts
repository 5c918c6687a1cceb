import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCursor, type Viewer } from '@shop/platform';
import { GraphQLError } from 'graphql';
import { parseListProductsArgs, parseProductCursor } from './product-list.ts';

const id = '0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90';
const seller: Viewer = { userId: '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c', roles: ['SELLER'] };

function rejects(run: () => unknown, code: string, field?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.extensions.code, code);
    if (field) assert.equal(error.extensions.field, field);
    return true;
  });
}

describe('product cursors', () => {
  it('decode back to the position of their own sort', () => {
    assert.deepEqual(parseProductCursor(encodeCursor(['NEWEST', '2026-01-01T00:00:00.000Z', id]), 'NEWEST'), {
      sort: 'NEWEST',
      createdAt: '2026-01-01T00:00:00.000Z',
      id,
    });
    assert.deepEqual(parseProductCursor(encodeCursor(['PRICE_DESC', 1999, id]), 'PRICE_DESC'), { sort: 'PRICE_DESC', price: 1999, id });
    assert.deepEqual(parseProductCursor(encodeCursor(['RELEVANCE', 0.0607927, '2026-01-01T00:00:00.000Z', id]), 'RELEVANCE'), {
      sort: 'RELEVANCE',
      rank: 0.0607927,
      createdAt: '2026-01-01T00:00:00.000Z',
      id,
    });
  });

  it('of another sort, or malformed, are BAD_USER_INPUT on "after"', () => {
    rejects(() => parseProductCursor(encodeCursor(['NEWEST', '2026-01-01T00:00:00.000Z', id]), 'PRICE_ASC'), 'BAD_USER_INPUT', 'after');
    rejects(() => parseProductCursor(encodeCursor(['PRICE_ASC', '12', id]), 'PRICE_ASC'), 'BAD_USER_INPUT', 'after');
    rejects(() => parseProductCursor(encodeCursor(['NEWEST', '2026-01-01T00:00:00.000Z', 'x']), 'NEWEST'), 'BAD_USER_INPUT', 'after');
    rejects(() => parseProductCursor(encodeCursor(['2026-01-01T00:00:00.000Z', id]), 'NEWEST'), 'BAD_USER_INPUT', 'after');
    rejects(() => parseProductCursor('%%%', 'NEWEST'), 'BAD_USER_INPUT', 'after');
  });
});

describe('products arguments', () => {
  it('sort by relevance with a search and by newest without one, unless told otherwise', () => {
    assert.equal(parseListProductsArgs({ filter: { search: ' jacket ' } }, null).sort, 'RELEVANCE');
    assert.equal(parseListProductsArgs({ filter: { search: '   ' } }, null).sort, 'NEWEST');
    assert.equal(parseListProductsArgs({ filter: { search: 'jacket' }, sort: 'PRICE_ASC' }, null).sort, 'PRICE_ASC');
    assert.equal(parseListProductsArgs({ first: null }, null).first, 20);
  });

  it('list only PUBLISHED products to the public; other states only to their seller or an admin', () => {
    assert.deepEqual(parseListProductsArgs({}, null).statuses, ['PUBLISHED']);
    rejects(() => parseListProductsArgs({ filter: { statuses: ['DRAFT'] } }, null), 'UNAUTHENTICATED');
    rejects(() => parseListProductsArgs({ filter: { statuses: ['DRAFT'] } }, { userId: seller.userId, roles: ['CUSTOMER'] }), 'FORBIDDEN');
    const own = parseListProductsArgs({ filter: { statuses: ['DRAFT', 'PUBLISHED'] } }, seller);
    assert.deepEqual([own.statuses, own.sellerId], [['DRAFT', 'PUBLISHED'], seller.userId]);
    rejects(() => parseListProductsArgs({ filter: { statuses: ['ARCHIVED'], sellerId: id } }, seller), 'FORBIDDEN');
    const admin = parseListProductsArgs({ filter: { statuses: ['ARCHIVED'] } }, { userId: id, roles: ['ADMIN'] });
    assert.equal(admin.sellerId, undefined);
  });
});
