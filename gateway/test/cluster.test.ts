import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Client } from 'undici';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { ServiceProcess, startFaultProxy, startTestStack, type FaultProxy, type TestStack } from '@shop/platform/testing';
import { operation, ShopClient } from './shop-client.ts';
import { createSubscriber, type Subscriber } from './subscriber.ts';

// The gateway with GATEWAY_WORKERS=2 as real processes (a cluster primary and
// two workers sharing the public port) in front of the five real subgraphs,
// products behind a fault proxy so that a request can be held in flight.
const demo = loadDemoData();
const product = demo.products[3]!;
const PRODUCT_QUERY = JSON.stringify({ query: 'query ProductName($id: ID!) { product(id: $id) { id name } }', variables: { id: product.id } });
let stack: TestStack;
let products: FaultProxy;
let gateway: ServiceProcess;
const subscribers: Subscriber[] = [];

/** The primary's child processes (its workers), from /proc. */
function workerPids(): number[] {
  const pid = gateway.child!.pid!;
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** POSTs on a connection of its own: the primary hands each new connection to the next worker. */
async function post(body = PRODUCT_QUERY): Promise<{ status: number; text: string }> {
  const client = new Client(new URL(gateway.url).origin);
  try {
    const response = await client.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body });
    return { status: response.statusCode, text: await response.body.text() };
  } finally {
    await client.close();
  }
}

/** A metric summed over its series, from the metrics port. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${gateway.metricsUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function readiness(): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(`${gateway.metricsUrl}/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${gateway.output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Apollo Server ends every JSON answer with a newline.
const expectedAnswer = `${JSON.stringify({ data: { product: { id: product.id, name: product.name } } })}\n`;

before(async () => {
  stack = await startTestStack(
    {},
    {
      subgraphUrl: async (service, url) => {
        if (service !== 'products') return url;
        products = await startFaultProxy(new URL(url).origin);
        return `${products.origin}/graphql`;
      },
    },
  );
  await stack.gateway.stop();
  gateway = new ServiceProcess(stack.gateway.spec, { ...stack.gateway.env, GATEWAY_WORKERS: '2', LOG_LEVEL: 'info' });
  await gateway.start();
});
after(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await gateway?.stop();
  await stack?.stop();
  await products?.close();
});

describe('gateway with GATEWAY_WORKERS=2', () => {
  it('runs two worker processes that share the public port, each ready, and answers every request', async () => {
    const pids = workerPids();
    assert.equal(pids.length, 2, 'two workers under the primary');
    const ready = await readiness();
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', checks: { 'worker 1': 'ok', 'worker 2': 'ok' } });
    for (let i = 0; i < 10; i++) assert.deepEqual(await post(), { status: 200, text: expectedAnswer });
  });

  it("serves the sum of the workers' metrics on the primary's metrics port", async () => {
    assert.equal(await metric('cluster_workers'), 2);
    const before = await metric('gateway_http_requests_total');
    // Twenty connections, handed out in turn: each worker counts about half of them.
    await Promise.all(Array.from({ length: 20 }, () => post()));
    assert.equal((await metric('gateway_http_requests_total')) - before, 20);
    const text = await (await fetch(`${gateway.metricsUrl}/metrics`)).text();
    assert.match(text, /^graphql_gateway_subgraph_execute_duration_seconds_count\{[^}]*subgraph_name="products"[^}]*\} \d+$/m);
    assert.equal(text.match(/^nodejs_eventloop_lag_max_seconds\{/gm)?.length, 1, 'one aggregated series, not one per worker');
  });

  it('streams subscription events to clients on either worker', async () => {
    const shop = new ShopClient(gateway.url);
    const admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    const sku = product.variants[0]!.sku;
    const start = await shop.available(sku);
    // Four connections: the primary hands them to the workers in turn.
    const subs = Array.from({ length: 4 }, () => {
      const subscriber = createSubscriber(gateway.url);
      subscribers.push(subscriber);
      return subscriber.subscribe<{ sku: string; available: number }>(operation('StockChanged'), { skus: [sku] }, (data) => data?.stockChanged);
    });
    for (const sub of subs) await sub.next((e) => e.available === start);
    await shop.restock(admin, sku, 3);
    for (const sub of subs) {
      const event = await sub.next((e) => e.available === start + 3);
      assert.equal(event.sku, sku);
      assert.deepEqual(sub.errors, []);
    }
  });

  it('starts a new worker in place of a killed one while the other keeps serving', async () => {
    const [victim, survivor] = workerPids();
    const restartsBefore = await metric('cluster_worker_restarts_total');
    process.kill(victim!, 'SIGKILL');
    await until('the primary to see the worker gone', () => (workerPids().includes(victim!) ? undefined : true));
    for (let i = 0; i < 6; i++) assert.deepEqual(await post(), { status: 200, text: expectedAnswer });
    const replaced = await until('a replacement worker', () => {
      const pids = workerPids();
      return pids.length === 2 ? pids : undefined;
    });
    assert.ok(replaced.includes(survivor!), 'the other worker was left alone');
    assert.ok(!replaced.includes(victim!));
    await until('both workers ready', async () => ((await readiness()).body.status === 'ready' ? true : undefined));
    assert.equal((await metric('cluster_worker_restarts_total')) - restartsBefore, 1);
    for (let i = 0; i < 6; i++) assert.deepEqual(await post(), { status: 200, text: expectedAnswer });
  });

  it('drains on SIGTERM: readiness turns to draining, a request in flight is answered, then every process exits 0', async () => {
    const pids = workerPids();
    products.fault = { kind: 'delay', ms: 2_000 };
    const receivedBefore = products.received;
    // A document of its own: not in the response cache, so it goes to products.
    const inFlight = post(JSON.stringify({ query: 'query DrainProbe($id: ID!) { product(id: $id) { id name } }', variables: { id: product.id } }));
    await until('the request to reach products', () => (products.received > receivedBefore ? true : undefined));
    const exited = new Promise<number | null>((resolve) => gateway.child!.once('exit', (code) => resolve(code)));
    gateway.child!.kill('SIGTERM');
    const draining = await until('readiness to say draining', async () => {
      const ready = await readiness();
      return ready.body.status === 'draining' ? ready : undefined;
    });
    assert.equal(draining.status, 503);
    assert.deepEqual(await inFlight, { status: 200, text: expectedAnswer });
    assert.equal(await exited, 0, gateway.output.slice(-3000));
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} has exited`);
    products.fault = { kind: 'none' };
  });
});
