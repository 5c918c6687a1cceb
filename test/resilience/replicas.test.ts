import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { startTestReplicas, TEST_DATABASE_URL, type TestReplicas } from '@shop/platform/testing';
import { ShopClient } from '../../gateway/test/shop-client.ts';
import { assertLedgerBalances } from './ledger.ts';
import { StockSubscriber, Traffic, type Buyer, type Outcome } from './traffic.ts';

// The replica topology of `npm run start:replicas` (nginx in front of two
// gateways and of two processes of every subgraph, each process supervised),
// under steady mixed traffic while processes are restarted or killed.
const demo = loadDemoData();
const UNITS = 100_000;
let replicas: TestReplicas;
let shop: ShopClient;
let db: pg.Client;
let admin: string;
let buyers: Buyer[];
/** Every subscriber, closed after the tests even when one fails (they reconnect forever otherwise). */
const allSubscribers: StockSubscriber[] = [];
const subscribe = (sku: string) => Array.from({ length: 4 }, () => {
  const subscriber = new StockSubscriber(replicas.url, [sku]);
  allSubscribers.push(subscriber);
  return subscriber;
});

/** Figures printed for the README's operations section (tests assert behaviour, not these). */
const report = (line: string) => process.stdout.write(`# resilience: ${line}\n`);

/** A hot sku with UNITS available, and fresh tokens (access tokens last 15 minutes; each test runs for minutes). */
async function freshSku(index: number): Promise<string> {
  admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
  buyers = await Promise.all(Array.from({ length: 6 }, (_, i) => shop.signUp(`resil-${index}-${i}-${Date.now()}@buyers.test`)));
  const sku = demo.stock[index]!.sku;
  await db.query(`update "${replicas.schemas.inventory}".stock set available = 0, reserved = 0 where sku = $1`, [sku]);
  await shop.restock(admin, sku, UNITS);
  return sku;
}

const allTraffic: Traffic[] = [];
function traffic(sku: string): Traffic {
  const load = new Traffic({
    url: replicas.url,
    buyers,
    productIds: demo.products.slice(0, 20).map((p) => p.id),
    skus: demo.stock.slice(0, 20).map((s) => s.sku),
    hotSku: sku,
    workers: 6,
  });
  allTraffic.push(load);
  return load;
}

/** Stock moves once more after the events: every subscriber, reconnected or not, must see the new level. */
async function assertSubscribersResume(subscribers: StockSubscriber[], sku: string): Promise<void> {
  const level = (await shop.restock(admin, sku, 7)).available;
  await Promise.all(subscribers.map((s) => s.waitFor(level, 30_000)));
}

before(async () => {
  const started = Date.now();
  replicas = await startTestReplicas({ SAGA_STALE_AFTER_MS: '9000' });
  report(`topology of ${replicas.topology.processes.length} processes + nginx ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  shop = new ShopClient(replicas.url);
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
after(async () => {
  await Promise.all(allTraffic.map((t) => t.stop()));
  await Promise.all(allSubscribers.map((s) => s.close()));
  await db?.end();
  await replicas?.stop();
});

describe('replica topology under load', () => {
  it('restarts every process one at a time (SIGTERM, wait until the replacement is ready) with zero failed client requests, subscriptions resumed and no acknowledged order lost', async () => {
    const sku = await freshSku(3);
    const subscribers = subscribe(sku);
    const load = traffic(sku);
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
    await assertLedgerBalances(db, replicas.schemas, sku, UNITS, load);
    await assertSubscribersResume(subscribers, sku);
  });

  it('survives kill -9 of one replica of each service mid-sale: only requests in flight on the killed process fail, retries with the same key place each order once, nothing oversold, double-charged or held', async () => {
    const sku = await freshSku(4);
    const subscribers = subscribe(sku);
    const load = traffic(sku);
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
    await assertLedgerBalances(db, replicas.schemas, sku, UNITS, load);
    await assertSubscribersResume(subscribers, sku);
  });
});
