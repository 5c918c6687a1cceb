import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { MemoryKeyValueStore } from '@shop/platform';
import { SignInLimiter } from './sign-in-limiter.ts';

async function rateLimit(promise: Promise<void>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.extensions.code, 'RATE_LIMITED');
    return error.extensions.retryAfter as number;
  }
  assert.fail('expected RATE_LIMITED');
}

describe('SignInLimiter', () => {
  const limits = { maxFailuresPerAccount: 2, maxAttemptsPerIp: 3, windowSeconds: 60 };

  it('lets an IP make its quota of attempts, then refuses until the sliding window has moved past them', async () => {
    let now = 10_000;
    const limiter = new SignInLimiter(new MemoryKeyValueStore(), limits, () => now);
    for (let i = 0; i < 3; i++) await limiter.countAttemptFromIp('203.0.113.7');
    assert.equal(await rateLimit(limiter.countAttemptFromIp('203.0.113.7')), 80);
    await limiter.countAttemptFromIp('203.0.113.8');
    // Just after the fixed boundary the earlier attempts still weigh: no fresh budget at 60 s.
    now = 61_000;
    await rateLimit(limiter.countAttemptFromIp('203.0.113.7'));
    now = 180_000;
    await limiter.countAttemptFromIp('203.0.113.7');
  });

  it('pauses an account after its failures and lets a success clear them', async () => {
    const limiter = new SignInLimiter(new MemoryKeyValueStore(), limits, () => 0);
    await limiter.recordFailure('a@example.com');
    await limiter.assertAccountNotPaused('a@example.com');
    await limiter.recordSuccess('a@example.com');
    await limiter.recordFailure('a@example.com');
    await limiter.assertAccountNotPaused('a@example.com');
    await limiter.recordFailure('a@example.com');
    assert.equal(await rateLimit(limiter.assertAccountNotPaused('a@example.com')), 90);
    await limiter.assertAccountNotPaused('b@example.com');
  });

  it('does not count a request without a known address', async () => {
    const store = new MemoryKeyValueStore();
    const limiter = new SignInLimiter(store, { ...limits, maxAttemptsPerIp: 1 }, () => 0);
    for (let i = 0; i < 3; i++) await limiter.countAttemptFromIp(undefined);
  });
});
