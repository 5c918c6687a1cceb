import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startTestReplicas, TEST_DATABASE_URL, type TestReplicas } from '@shop/platform/testing';
import { report, Sale } from './sale.ts';
import type { Outcome } from './traffic.ts';

// The replica topology of `npm run start:replicas` (nginx in front of two
// gateways and of two processes of every subgraph, each process supervised),
// under steady mixed traffic while processes are restarted or killed.
let replicas: TestReplicas;
let db: pg.Client;
let sale: Sale;

before(async () => {
  const started = Date.now();
  replicas = await startTestReplicas({ SAGA_STALE_AFTER_MS: '9000' });
  report(`topology of ${replicas.topology.processes.length} processes + nginx ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  sale = new Sale({ url: replicas.url, db, schemas: replicas.schemas });
});
after(async () => {
  await sale?.close();
  await db?.end();
  await replicas?.stop();
});

describe('replica topology under load', () => {
  it('restarts every process one at a time (SIGTERM, wait until the replacement is ready) with zero failed client requests, subscriptions resumed and no acknowledged order lost', async () => {
    const sku = await sale.freshSku(3);
    const subscribers = sale.subscribe(sku);
    const load = sale.traffic(sku);
    load.start();
    const began = Date.now();
    for (const process of replicas.topology.processes) {
      const from = Date.now();
      await replicas.topology.restart(process, 'SIGTERM');
      const served = load.served(from, Date.now());
      report(`rolling restart ${process.name} :${process.spec.port}: replacement ready in ${((Date.now() - from) / 1000).toFixed(1)} s, ${served.ok} requests served, ${served.failed} failed ${load.errorsIn(from, Date.now())}`);
    }
    await load.stop();
    const total = load.served(began, Date.now() + 1);
    report(`rolling restart of ${replicas.topology.processes.length} processes: ${total.ok} requests served, ${total.failed} failed, ${load.acknowledged.size} orders acknowledged, in ${((Date.now() - began) / 1000).toFixed(1)} s`);

    assert.deepEqual(load.failures, [], 'no client request failed');
    assert.deepEqual([...load.unresolved], [], 'every checkout got a definite answer');
    assert.ok(load.acknowledged.size > 0, 'orders were placed during the restarts');
    await sale.assertLedgerBalances(sku, load);
    await sale.assertSubscribersResume(subscribers, sku);
  });

  it('survives kill -9 of one replica of each service mid-sale: only requests in flight on the killed process fail, retries with the same key place each order once, nothing oversold, double-charged or held', async () => {
    const sku = await sale.freshSku(4);
    const subscribers = sale.subscribe(sku);
    const load = sale.traffic(sku);
    load.start();
    const began = Date.now();
    const kills: { at: number; name: string }[] = [];
    for (const name of ['accounts', 'products', 'orders', 'inventory', 'payments', 'gateway']) {
      const victim = replicas.topology.replicasOf(name)[0]!;
      const at = Date.now();
      kills.push({ at, name });
      await replicas.topology.restart(victim, 'SIGKILL');
      const served = load.served(at, Date.now());
      report(`kill -9 ${name} :${victim.spec.port}: replacement ready in ${((Date.now() - at) / 1000).toFixed(1)} s, ${served.ok} requests served, ${served.failed} failed ${load.errorsIn(at, Date.now())}`);
    }
    await load.stop();
    const total = load.served(began, Date.now() + 1);
    report(`kill -9 of one replica of each service: ${total.ok} requests served, ${total.failed} failed, ${load.acknowledged.size} orders acknowledged`);

    // A checkout is one client operation over its attempts with one key: one in flight at a kill may be called off later.
    const inFlightAtAKill = (f: Outcome) => kills.some((k) => f.operationStartedAt <= k.at && f.endedAt >= k.at);
    report(`kill -9: ${load.failures.filter(inFlightAtAKill).length} failed requests were in flight at a kill`);
    assert.deepEqual(load.failures.filter((f) => !inFlightAtAKill(f)), [], 'only requests in flight when a process was killed may fail');
    assert.deepEqual([...load.unresolved], [], 'every checkout got a definite answer');
    assert.ok(load.acknowledged.size > 0, 'orders were placed during the kills');
    await sale.assertLedgerBalances(sku, load);
    await sale.assertSubscribersResume(subscribers, sku);
  });
});
