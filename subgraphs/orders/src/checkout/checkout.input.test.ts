import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlaceOrderInput, requestHash } from './checkout.input.ts';

const valid = { items: [{ sku: 'A', quantity: 1 }], paymentToken: 'tok_1', idempotencyKey: 'key-1' };

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  return 'no error';
}

describe('parsePlaceOrderInput', () => {
  it('merges lines of the same sku into the first, keeping the order in which skus first appear', () => {
    const request = parsePlaceOrderInput({
      ...valid,
      items: [{ sku: 'B', quantity: 1 }, { sku: 'A', quantity: 2 }, { sku: 'B', quantity: 3 }],
    });
    assert.deepEqual(request.items, [
      { sku: 'B', quantity: 4, index: 0 },
      { sku: 'A', quantity: 2, index: 1 },
    ]);
  });

  it('names the offending field of every kind of bad input', () => {
    const cases: [Partial<typeof valid>, string][] = [
      [{ items: [] }, 'input.items'],
      [{ items: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }, 'input.items'],
      [{ items: [{ sku: 'A', quantity: 1 }, { sku: '', quantity: 1 }] }, 'input.items[1].sku'],
      [{ items: [{ sku: 'x'.repeat(129), quantity: 1 }] }, 'input.items[0].sku'],
      [{ items: [{ sku: 'A', quantity: 0 }] }, 'input.items[0].quantity'],
      [{ items: [{ sku: 'A', quantity: 101 }] }, 'input.items[0].quantity'],
      [{ items: [{ sku: 'A', quantity: 1.5 }] }, 'input.items[0].quantity'],
      [{ items: [{ sku: 'A', quantity: 50 }, { sku: 'B', quantity: 1 }, { sku: 'A', quantity: 51 }] }, 'input.items[2].quantity'],
      [{ paymentToken: '' }, 'input.paymentToken'],
      [{ idempotencyKey: '' }, 'input.idempotencyKey'],
      [{ idempotencyKey: 'k'.repeat(201) }, 'input.idempotencyKey'],
    ];
    for (const [change, field] of cases) {
      assert.deepEqual(fieldOf(() => parsePlaceOrderInput({ ...valid, ...change })), { code: 'BAD_USER_INPUT', field }, field);
    }
  });

  it('accepts the limits themselves: 50 lines, 100 units, a 200-character key', () => {
    const request = parsePlaceOrderInput({
      items: Array.from({ length: 50 }, (_, i) => ({ sku: `S${i}`, quantity: 100 })),
      paymentToken: 't',
      idempotencyKey: 'k'.repeat(200),
    });
    assert.equal(request.items.length, 50);
  });
});

describe('requestHash', () => {
  it('is the same for the same cart in any line order, and differs for other quantities, skus or tokens', () => {
    const base = requestHash([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], 'tok');
    assert.equal(requestHash([{ sku: 'B', quantity: 2 }, { sku: 'A', quantity: 1 }], 'tok'), base);
    assert.notEqual(requestHash([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 3 }], 'tok'), base);
    assert.notEqual(requestHash([{ sku: 'A', quantity: 1 }, { sku: 'C', quantity: 2 }], 'tok'), base);
    assert.notEqual(requestHash([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], 'tok2'), base);
  });

  it('sees a merged cart and its unmerged form as the same request', () => {
    const merged = parsePlaceOrderInput({ ...valid, items: [{ sku: 'A', quantity: 3 }] });
    const split = parsePlaceOrderInput({ ...valid, items: [{ sku: 'A', quantity: 1 }, { sku: 'A', quantity: 2 }] });
    assert.equal(split.requestHash, merged.requestHash);
  });
});
