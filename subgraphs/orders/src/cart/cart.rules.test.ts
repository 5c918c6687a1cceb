import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VariantPrice } from '../remote/products.client.ts';
import { linesAfterCheckout, priceCart, quantityAfterAdding } from './cart.rules.ts';

const line = (id: string, sku: string, quantity: number) => ({ id, sku, quantity });
const price = (sku: string, amount: number, currency = 'USD', published = true): VariantPrice => ({
  sku,
  unitPrice: { amount, currency },
  productId: 'p',
  sellerId: 's',
  published,
  priceChangesAt: null,
});

describe('cart rules', () => {
  it('adds to an existing line up to 100 units and refuses more', () => {
    assert.equal(quantityAfterAdding([line('1', 'A', 40)], 'A', 60), 100);
    assert.throws(() => quantityAfterAdding([line('1', 'A', 41)], 'A', 60), (e: any) => e.extensions.reason === 'QUANTITY_OUT_OF_RANGE');
  });

  it('refuses a new line beyond 50 but not more of a sku already there', () => {
    const full = Array.from({ length: 50 }, (_, i) => line(String(i), `S${i}`, 1));
    assert.throws(() => quantityAfterAdding(full, 'NEW', 1), (e: any) => e.extensions.reason === 'CART_LINE_LIMIT');
    assert.equal(quantityAfterAdding(full, 'S0', 1), 2);
  });

  it('prices purchasable lines in the cart currency and leaves unpublished, unknown and foreign-currency lines out of the total', () => {
    const cart = priceCart(
      { id: 'c', userId: 'u', updatedAt: null },
      [line('1', 'A', 2), line('2', 'GONE', 1), line('3', 'DRAFT', 1), line('4', 'EUR', 1)],
      new Map([['A', price('A', 250)], ['DRAFT', price('DRAFT', 100, 'USD', false)], ['EUR', price('EUR', 100, 'EUR')]]),
    );
    assert.deepEqual(cart.total, { amount: 500, currency: 'USD' });
    assert.deepEqual(cart.lines.map((l) => [l.sku, l.purchasable, l.total.amount]), [['A', true, 500], ['GONE', false, 0], ['DRAFT', false, 0], ['EUR', false, 0]]);
  });

  it('takes only the bought units out of the cart after checkout, keeping units added meanwhile', () => {
    const after = linesAfterCheckout([line('1', 'A', 5), line('2', 'B', 1), line('3', 'C', 2)], [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }]);
    assert.deepEqual(after, { update: [line('1', 'A', 3)], remove: ['2'] });
  });
});
