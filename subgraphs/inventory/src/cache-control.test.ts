import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'graphql';
import { BADGE_CACHEABLE, CACHEABLE, UNCACHEABLE, cacheControlFor } from './cache-control.ts';

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

describe('stock badge policy', () => {
  it('lets a document that only reads Product.inStock be cached for a minute', () => {
    const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { __typename inStock } } }');
    assert.equal(cacheControlFor(document, false), BADGE_CACHEABLE);
  });

  it('keeps the 1 s policy as soon as a stock level is read too', () => {
    const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { inStock } ... on Variant { stock { available } } } }');
    assert.equal(cacheControlFor(document, false), CACHEABLE);
  });
});
