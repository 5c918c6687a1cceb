import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { CircuitOpenError, createCircuitBreaker } from './circuit-breaker.ts';
import { renderMetrics } from './metrics.ts';

class Down extends Error {}
class Refused extends Error {}

// Ten calls in a one-second window are enough to judge; an open circuit tries again after 100 ms.
const settings = { failureRatio: 0.5, windowMs: 1000, minimumRps: 10, halfOpenAfterMs: 100 };
const breakerFor = (target: string) => createCircuitBreaker({ target, isFailure: (e) => e instanceof Down, settings });

async function outcomes(n: number, run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await run();
      seen.push('ok');
    } catch (error) {
      seen.push((error as Error).constructor.name);
    }
  }
  return seen;
}

describe('createCircuitBreaker', () => {
  it('opens once most calls of the window failed, then refuses without calling', async () => {
    const breaker = breakerFor('down-service');
    let calls = 0;
    const failing = () => breaker.run(async () => {
      calls++;
      throw new Down();
    });
    assert.deepEqual(await outcomes(10, failing), Array(10).fill('Down'));
    assert.equal(breaker.state, 'open');
    assert.deepEqual(await outcomes(3, failing), Array(3).fill('CircuitOpenError'));
    assert.equal(calls, 10, 'an open circuit makes no call');
    await assert.rejects(failing(), (error: unknown) => error instanceof CircuitOpenError && error.target === 'down-service');
    assert.match((await renderMetrics()).body, /circuit_breaker_state\{target="down-service"[^}]*\} 1/);
  });

  it('stays closed under a few failures below the minimum throughput, and under refusals that are answers', async () => {
    const quiet = breakerFor('quiet-service');
    assert.deepEqual(await outcomes(5, () => quiet.run(async () => Promise.reject(new Down()))), Array(5).fill('Down'));
    assert.equal(quiet.state, 'closed');
    const refusing = breakerFor('refusing-service');
    assert.deepEqual(await outcomes(20, () => refusing.run(async () => Promise.reject(new Refused()))), Array(20).fill('Refused'));
    assert.equal(refusing.state, 'closed');
  });

  it('lets one trial call through after halfOpenAfterMs, refusing the others meanwhile; a success closes it, a failure opens it again', async () => {
    const breaker = breakerFor('recovering-service');
    await outcomes(10, () => breaker.run(async () => Promise.reject(new Down())));
    assert.equal(breaker.state, 'open');

    await sleep(settings.halfOpenAfterMs + 20);
    await assert.rejects(breaker.run(async () => Promise.reject(new Down())), Down);
    assert.equal(breaker.state, 'open', 'a failed trial opens the circuit again');

    await sleep(settings.halfOpenAfterMs + 20);
    let release!: () => void;
    const trial = breaker.run(() => new Promise<string>((resolve) => (release = () => resolve('recovered'))));
    assert.equal(breaker.state, 'half-open');
    await assert.rejects(breaker.run(async () => 'not called'), CircuitOpenError);
    release();
    assert.equal(await trial, 'recovered');
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(await outcomes(3, () => breaker.run(async () => 'fine')), ['ok', 'ok', 'ok']);
  });
});
