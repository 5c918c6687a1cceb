import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { readConfig } from './config.ts';

describe('gateway config: GATEWAY_WORKERS', () => {
  it('is 1 by default, a number up to 64, or one per core with `auto`', () => {
    assert.equal(readConfig({}).workers, 1);
    assert.equal(readConfig({ GATEWAY_WORKERS: '3', REDIS_URL: 'redis://127.0.0.1:6379' }).workers, 3);
    assert.equal(readConfig({ GATEWAY_WORKERS: 'auto', REDIS_URL: 'redis://127.0.0.1:6379' }).workers, availableParallelism());
    assert.throws(() => readConfig({ GATEWAY_WORKERS: '0' }), /GATEWAY_WORKERS/);
    assert.throws(() => readConfig({ GATEWAY_WORKERS: 'many' }), /GATEWAY_WORKERS/);
  });

  it('refuses more than one worker without Redis: the in-process stores (APQ, rate limits) would be one per worker', () => {
    assert.throws(() => readConfig({ GATEWAY_WORKERS: '2' }), /GATEWAY_WORKERS.*REDIS_URL/);
    assert.equal(readConfig({ GATEWAY_WORKERS: '2', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).workers, 2);
  });
});
