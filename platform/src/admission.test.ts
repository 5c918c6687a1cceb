import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionGate, AdmissionRefused } from './admission.ts';

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe('admission gate', () => {
  it('runs at most maxInFlight at once and lets the queued ones in, in order, as slots free', async () => {
    const gate = new AdmissionGate({ maxInFlight: 2, maxQueued: 5, maxWaitMs: 5_000 });
    const order: number[] = [];
    const blockers = [deferred(), deferred(), deferred(), deferred()];
    const runs = blockers.map((b, i) =>
      gate.run(async () => {
        order.push(i);
        await b.done;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [0, 1]);
    assert.equal(gate.inFlight, 2);
    assert.equal(gate.queued, 2);
    blockers[0]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [0, 1, 2]);
    for (const b of blockers) b.release();
    await Promise.all(runs);
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(gate.inFlight, 0);
  });

  it('refuses at once, without running the work, when the queue is full', async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 5_000 });
    const block = deferred();
    const first = gate.run(() => block.done);
    const second = gate.run(async () => 'second');
    let ran = false;
    await assert.rejects(
      gate.run(async () => {
        ran = true;
      }),
      (error: unknown) => error instanceof AdmissionRefused && error.reason === 'queue-full',
    );
    assert.equal(ran, false);
    block.release();
    assert.equal(await second, 'second');
    await first;
  });

  it('refuses a caller that waited longer than maxWaitMs and frees its place', async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 50 });
    const block = deferred();
    const first = gate.run(() => block.done);
    await assert.rejects(
      gate.run(async () => 'late'),
      (error: unknown) => error instanceof AdmissionRefused && error.reason === 'waited-too-long',
    );
    assert.equal(gate.queued, 0);
    block.release();
    await first;
    assert.equal(await gate.run(async () => 'after'), 'after');
  });

  it('frees the slot when the work throws', async () => {
    const gate = new AdmissionGate({ maxInFlight: 1, maxQueued: 0, maxWaitMs: 50 });
    await assert.rejects(gate.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await gate.run(async () => 'ok'), 'ok');
  });
});
