import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badUserInputField } from '@shop/platform/testing';
import { normalizeReservationItems, sameItems } from './reservation-items.ts';


describe('normalizeReservationItems', () => {
  it('sorts lines by sku code unit, the order stock rows are locked in', () => {
    const lines = normalizeReservationItems([
      { sku: 'b', quantity: 1 },
      { sku: 'B', quantity: 2 },
      { sku: 'a', quantity: 3 },
    ]);
    assert.deepEqual(lines.map((l) => l.sku), ['B', 'a', 'b']);
  });

  it('merges a sku named twice into one line with the summed quantity', () => {
    assert.deepEqual(
      normalizeReservationItems([
        { sku: 'X', quantity: 2 },
        { sku: 'Y', quantity: 1 },
        { sku: 'X', quantity: 3 },
      ]),
      [
        { sku: 'X', quantity: 5 },
        { sku: 'Y', quantity: 1 },
      ],
    );
  });

  it('rejects an empty list and more than 100 items', () => {
    assert.equal(badUserInputField(() => normalizeReservationItems([])), 'items');
    const many = Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
    assert.equal(badUserInputField(() => normalizeReservationItems(many)), 'items');
  });

  it('rejects a quantity that is not a whole number from 1 to 1,000,000, naming the item', () => {
    assert.equal(badUserInputField(() => normalizeReservationItems([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 0 }])), 'items[1].quantity');
    assert.equal(badUserInputField(() => normalizeReservationItems([{ sku: 'A', quantity: 1.5 }])), 'items[0].quantity');
    assert.equal(badUserInputField(() => normalizeReservationItems([{ sku: 'A', quantity: 1_000_001 }])), 'items[0].quantity');
  });

  it('rejects merged lines whose sum passes the limit', () => {
    assert.equal(
      badUserInputField(() => normalizeReservationItems([{ sku: 'A', quantity: 600_000 }, { sku: 'A', quantity: 600_000 }])),
      'items.quantity',
    );
  });

  it('rejects an empty sku', () => {
    assert.equal(badUserInputField(() => normalizeReservationItems([{ sku: '', quantity: 1 }])), 'items[0].sku');
  });
});

describe('sameItems', () => {
  it('is true only for the same skus with the same quantities', () => {
    const a = normalizeReservationItems([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }]);
    assert.equal(sameItems(a, normalizeReservationItems([{ sku: 'B', quantity: 2 }, { sku: 'A', quantity: 1 }])), true);
    assert.equal(sameItems(a, normalizeReservationItems([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 3 }])), false);
    assert.equal(sameItems(a, normalizeReservationItems([{ sku: 'A', quantity: 1 }])), false);
  });
});
