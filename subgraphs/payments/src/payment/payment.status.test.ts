import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCaptured, PAYMENT_STATUSES, refundableAmount, statusAfterRefund } from './payment.status.ts';

describe('payment status rules', () => {
  it('counts only captured payments as refundable, minus what was refunded', () => {
    const amounts = { amount: 5000, refundedAmount: 1200 };
    const refundable = Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, refundableAmount({ status, ...amounts })]));
    assert.deepEqual(refundable, { AUTHORIZED: 0, CAPTURED: 3800, VOIDED: 0, REFUNDED: 3800, PARTIALLY_REFUNDED: 3800, FAILED: 0 });
    assert.equal(refundableAmount({ status: 'REFUNDED', amount: 5000, refundedAmount: 5000 }), 0);
  });

  it('treats CAPTURED, PARTIALLY_REFUNDED and REFUNDED as captured and nothing else', () => {
    assert.deepEqual(PAYMENT_STATUSES.filter(isCaptured), ['CAPTURED', 'REFUNDED', 'PARTIALLY_REFUNDED']);
  });

  it('becomes REFUNDED when the refunds reach the amount and PARTIALLY_REFUNDED before', () => {
    assert.equal(statusAfterRefund({ amount: 5000, refundedAmount: 0 }, 5000), 'REFUNDED');
    assert.equal(statusAfterRefund({ amount: 5000, refundedAmount: 0 }, 1), 'PARTIALLY_REFUNDED');
    assert.equal(statusAfterRefund({ amount: 5000, refundedAmount: 4000 }, 1000), 'REFUNDED');
  });

  it('refuses a refund beyond what is left or of nothing', () => {
    assert.throws(() => statusAfterRefund({ amount: 5000, refundedAmount: 4000 }, 1001), RangeError);
    assert.throws(() => statusAfterRefund({ amount: 5000, refundedAmount: 0 }, 0), RangeError);
  });
});
