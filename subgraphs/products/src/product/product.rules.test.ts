import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Viewer } from '@shop/platform';
import { GraphQLError } from 'graphql';
import { actingSellerId, canView, canViewByReference, transition } from './product.rules.ts';

const owner: Viewer = { userId: '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c', roles: ['SELLER'] };
const stranger: Viewer = { userId: '0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90', roles: ['SELLER'] };
const admin: Viewer = { userId: '11111111-2222-4333-8444-555555555555', roles: ['ADMIN'] };
const product = (status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED') => ({ status, sellerId: owner.userId });

describe('product visibility', () => {
  it('shows PUBLISHED products to everyone and the rest to their seller and admins', () => {
    const table = (['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const).map((status) => [null, stranger, owner, admin].map((viewer) => canView(viewer, product(status))));
    assert.deepEqual(table, [
      [false, false, true, true],
      [true, true, true, true],
      [false, false, true, true],
    ]);
  });

  it('resolves archived products by reference (past orders), never someone else’s drafts', () => {
    assert.equal(canViewByReference(null, product('ARCHIVED')), true);
    assert.equal(canViewByReference(null, product('DRAFT')), false);
    assert.equal(canViewByReference(owner, product('DRAFT')), true);
  });
});

describe('publish state machine', () => {
  const now = new Date('2026-05-01T00:00:00.000Z');
  const earlier = new Date('2026-01-01T00:00:00.000Z');
  it('publishing stamps publishedAt; repeating it is a no-op that keeps the first stamp', () => {
    assert.deepEqual(transition({ status: 'DRAFT', publishedAt: null }, 'publish', now), { status: 'PUBLISHED', publishedAt: now });
    assert.deepEqual(transition({ status: 'PUBLISHED', publishedAt: earlier }, 'publish', now), { status: 'PUBLISHED', publishedAt: earlier });
    assert.deepEqual(transition({ status: 'ARCHIVED', publishedAt: earlier }, 'publish', now), { status: 'PUBLISHED', publishedAt: now });
  });
  it('archiving keeps when the product was published', () => {
    assert.deepEqual(transition({ status: 'PUBLISHED', publishedAt: earlier }, 'archive', now), { status: 'ARCHIVED', publishedAt: earlier });
    assert.deepEqual(transition({ status: 'DRAFT', publishedAt: null }, 'archive', now), { status: 'ARCHIVED', publishedAt: null });
  });
});

describe('acting seller', () => {
  it('is the viewer unless an admin names another seller', () => {
    assert.equal(actingSellerId(owner, null, 'input.sellerId'), owner.userId);
    assert.equal(actingSellerId(owner, owner.userId, 'input.sellerId'), owner.userId);
    assert.equal(actingSellerId(admin, owner.userId.toUpperCase(), 'input.sellerId'), owner.userId);
    assert.throws(() => actingSellerId(stranger, owner.userId, 'input.sellerId'), (e: unknown) => e instanceof GraphQLError && e.extensions.code === 'FORBIDDEN');
    assert.throws(() => actingSellerId(admin, 'sam', 'input.sellerId'), (e: unknown) => e instanceof GraphQLError && e.extensions.field === 'input.sellerId');
  });
});
