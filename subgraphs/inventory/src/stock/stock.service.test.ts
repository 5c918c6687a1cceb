import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkQuantity, checkSkuList, isInStock } from './stock.service.ts';

describe('stock rules', () => {
  it('a product is in stock when any variant has a unit available', () => {
    assert.equal(isInStock([{ sku: 'A', available: 0 }, { sku: 'B', available: 1 }]), true);
    assert.equal(isInStock([{ sku: 'A', available: 0 }]), false);
    assert.equal(isInStock([]), false);
  });

  it('a sku list holds 1 to 100 skus', () => {
    assert.throws(() => checkSkuList([]), { extensions: { code: 'BAD_USER_INPUT', field: 'skus' } });
    assert.equal(checkSkuList(Array.from({ length: 100 }, (_, i) => `S${i}`)).length, 100);
    assert.throws(() => checkSkuList(Array.from({ length: 101 }, (_, i) => `S${i}`)), { extensions: { code: 'BAD_USER_INPUT', field: 'skus' } });
  });

  it('a sku longer than 128 characters is refused', () => {
    assert.throws(() => checkSkuList(['x'.repeat(129)]), { extensions: { code: 'BAD_USER_INPUT', field: 'skus[0]' } });
  });

  it('a restock quantity is a whole number from 1 to 1,000,000', () => {
    assert.equal(checkQuantity(1), 1);
    assert.equal(checkQuantity(1_000_000), 1_000_000);
    for (const bad of [0, -1, 1.5, 1_000_001]) {
      assert.throws(() => checkQuantity(bad), { extensions: { code: 'BAD_USER_INPUT', field: 'quantity' } }, String(bad));
    }
  });
});
