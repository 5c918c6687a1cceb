import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'graphql';
import { CACHEABLE, UNCACHEABLE, cacheControlFor } from './cache-control.ts';

describe('cacheControlFor', () => {
  it('lets a successful query be cached publicly for a second', () => {
    assert.equal(cacheControlFor(parse('query Q { stockLevels(skus: ["A"]) { sku } }'), false), CACHEABLE);
  });

  it('never caches a query that produced errors', () => {
    assert.equal(cacheControlFor(parse('{ stockLevels(skus: []) { sku } }'), true), UNCACHEABLE);
  });

  it('never caches a document that contains a mutation, even when a query of it runs', () => {
    const document = parse('query Read { stockLevels(skus: ["A"]) { sku } } mutation Write { restock(sku: "A", quantity: 1) { sku } }');
    assert.equal(cacheControlFor(document, false), UNCACHEABLE);
  });
});
