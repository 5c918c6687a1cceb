import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSagaMove, canMoveSaga, IllegalSagaMoveError, recoveryAction, SAGA_STEPS, type SagaStep } from './saga-step.ts';

const ALLOWED: readonly [SagaStep, SagaStep][] = [
  ['RESERVING', 'AUTHORIZING'],
  ['RESERVING', 'COMPENSATING'],
  ['RESERVING', 'DONE'],
  ['AUTHORIZING', 'CAPTURING'],
  ['AUTHORIZING', 'COMPENSATING'],
  ['CAPTURING', 'COMMITTING'],
  ['CAPTURING', 'COMPENSATING'],
  ['COMMITTING', 'DONE'],
  ['COMMITTING', 'REFUNDING'],
  ['COMPENSATING', 'DONE'],
  ['REFUNDING', 'DONE'],
  ['CANCEL_REQUESTED', 'RETURNING_STOCK'],
  ['RETURNING_STOCK', 'DONE'],
  ['DONE', 'CANCEL_REQUESTED'],
];

describe('checkout saga steps', () => {
  it('allows exactly the documented moves and refuses every other pair', () => {
    for (const from of SAGA_STEPS) {
      for (const to of SAGA_STEPS) {
        assert.equal(canMoveSaga(from, to), ALLOWED.some(([f, t]) => f === from && t === to), `${from} -> ${to}`);
      }
    }
    assert.throws(() => assertSagaMove('DONE', 'CAPTURING'), IllegalSagaMoveError);
  });

  it('never moves back from a step past capture to one that would void instead of refund', () => {
    for (const from of ['COMMITTING', 'REFUNDING'] as const) assert.equal(canMoveSaga(from, 'COMPENSATING'), false, from);
  });

  it('has a recovering driver compensate before capture and finish from capture on', () => {
    assert.deepEqual(
      SAGA_STEPS.map((step) => [step, recoveryAction(step)]),
      [
        ['RESERVING', 'compensate'],
        ['AUTHORIZING', 'compensate'],
        ['CAPTURING', 'continue'],
        ['COMMITTING', 'continue'],
        ['COMPENSATING', 'continue'],
        ['REFUNDING', 'continue'],
        ['CANCEL_REQUESTED', 'continue'],
        ['RETURNING_STOCK', 'continue'],
        ['DONE', 'none'],
      ],
    );
  });
});
