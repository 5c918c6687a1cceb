import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startPrivateRedisCluster, startTestStack, TEST_DATABASE_URL, type PrivateRedisCluster, type TestStack } from '@shop/platform/testing';
import { report, Sale } from './sale.ts';

// The whole stack (one process per service) on a three-master Redis Cluster
// through REDIS_CLUSTER_NODES, under a live sale: stock cache, response
// cache, rate limits, APQ, the leased WebSocket slots (Lua), live stock over
// pub/sub, and the order events stream with its consumer groups (the
// settler captures and commits every checkout from it). Ports 7104-7106
// (cluster bus 17104-17106): platform/src/redis-cluster.test.ts uses 7101-7103.
let cluster: PrivateRedisCluster;
let stack: TestStack;
let db: pg.Client;
let sale: Sale;

before(async () => {
  const started = Date.now();
  cluster = await startPrivateRedisCluster([7104, 7105, 7106]);
  stack = await startTestStack({ REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  sale = new Sale({ url: stack.url, db, schemas: stack.schemas });
  report(`stack on a three-master Redis Cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
after(async () => {
  await sale?.close();
  await db?.end();
  await stack?.stop();
  await cluster?.close();
});

describe('the stack on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('runs a live sale: every request served, checkouts settled from the order events stream, subscribers see stock changes, keys spread over the three masters', async () => {
    const sku = await sale.freshSku(9);
    const subscribers = sale.subscribe(sku);
    const load = sale.traffic(sku);
    load.start();
    for (let i = 0; load.outcomes.filter((o) => o.ok).length < 150; i++) {
      assert.ok(i < 1800, 'fewer than 150 requests served in three minutes');
      await sleep(100);
    }
    await load.stop();
    const served = load.served(0, Date.now() + 1);
    report(`live sale on the Redis Cluster: ${served.ok} requests served, ${served.failed} failed, ${load.acknowledged.size} orders acknowledged`);
    assert.deepEqual(load.failures, [], 'no request failed');
    assert.ok(load.acknowledged.size > 0);
    await sale.assertLedgerBalances(sku, load);
    await sale.assertSubscribersResume(subscribers, sku);

    const keysPerMaster = await Promise.all(
      cluster.masters.map(async (m) => Number((await promisify(execFile)(process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli', ['-p', String(m.port), 'dbsize'])).stdout.trim())),
    );
    assert.ok(keysPerMaster.every((n) => n > 0), `every master holds keys: ${keysPerMaster.join(', ')}`);
  });

  it('serves automatic persisted queries from the cluster: an unknown hash is asked for, registered, then served by hash over GET', async () => {
    const query = `{ stockLevels(skus: ["${await sale.freshSku(10)}"]) { sku available } } # apq ${Date.now()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const headers = { 'content-type': 'application/json' };
    const unknown = (await (await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ extensions }) })).json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(unknown.errors[0]!.extensions.code, 'PERSISTED_QUERY_NOT_FOUND');
    assert.equal((await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query, extensions }) })).status, 200);
    const byHash = await fetch(`${stack.url}?${new URLSearchParams({ extensions: JSON.stringify(extensions) })}`, { headers: { 'apollo-require-preflight': 'true' } });
    const body = (await byHash.json()) as { data?: { stockLevels: { available: number }[] } };
    assert.equal(body.data?.stockLevels[0]?.available, sale.units);
  });
});
