import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertTransition,
  canTransition,
  IllegalOrderTransitionError,
  isOrderStatus,
  isTerminal,
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatus,
} from './order.state.ts';

const ALLOWED: readonly [OrderStatus, OrderStatus][] = [
  ['PENDING', 'CONFIRMED'],
  ['PENDING', 'CANCELLED'],
  ['CONFIRMED', 'FULFILLED'],
  ['CONFIRMED', 'CANCELLED'],
  ['CONFIRMED', 'REFUNDED'],
  ['FULFILLED', 'REFUNDED'],
];

describe('order state machine', () => {
  it('allows exactly the documented transitions and refuses every other pair', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = ALLOWED.some(([f, t]) => f === from && t === to);
        assert.equal(canTransition(from, to), expected, `${from} -> ${to}`);
      }
    }
  });

  it('assertTransition returns the target status for an allowed move', () => {
    assert.equal(assertTransition('PENDING', 'CONFIRMED'), 'CONFIRMED');
    assert.equal(assertTransition('FULFILLED', 'REFUNDED'), 'REFUNDED');
  });

  it('assertTransition throws an error naming both statuses for a refused move', () => {
    assert.throws(
      () => assertTransition('CANCELLED', 'CONFIRMED'),
      (error: unknown) =>
        error instanceof IllegalOrderTransitionError &&
        error.from === 'CANCELLED' &&
        error.to === 'CONFIRMED' &&
        error.message === 'An order cannot go from CANCELLED to CONFIRMED.',
    );
  });

  it('refuses staying in the same status, so every recorded change is a real change', () => {
    for (const status of ORDER_STATUSES) assert.equal(canTransition(status, status), false, status);
  });

  it('treats CANCELLED and REFUNDED as terminal and nothing else', () => {
    assert.deepEqual(
      ORDER_STATUSES.filter((s) => isTerminal(s)),
      ['CANCELLED', 'REFUNDED'],
    );
    assert.deepEqual(nextStatuses('PENDING'), ['CONFIRMED', 'CANCELLED']);
  });

  it('recognises only the five status names', () => {
    assert.equal(isOrderStatus('CONFIRMED'), true);
    assert.equal(isOrderStatus('confirmed'), false);
    assert.equal(isOrderStatus('SHIPPED'), false);
  });
});
