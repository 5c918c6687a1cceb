import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { ServiceProcess, startTestStack, type TestStack } from '@shop/platform/testing';
import { SHARED_HEADER } from '../src/read-sharing.ts';
import { ShopClient } from './shop-client.ts';

// Shared reads end to end: the five subgraphs and the gateway as real
// processes, real PostgreSQL and Redis, sharing on (the default) and off.
const demo = loadDemoData();
const PRODUCT = 'query ProductName($id: ID!) { product(id: $id) { id name } }';
let stack: TestStack;

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { shared: response.headers.get(SHARED_HEADER), text: await response.text() };
}

before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

describe('shared reads through the gateway', () => {
  it('serves a public read from the response cache, and drops it when a product update through the gateway changes it', async () => {
    const id = demo.products[5]!.id;
    await post(stack.url, PRODUCT, { id });
    const cached = await post(stack.url, PRODUCT, { id });
    assert.equal(cached.shared, 'cache');
    const shop = new ShopClient(stack.url);
    const admin = await shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    const renamed = await post(
      stack.url,
      'mutation Rename($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { id name } }',
      { id, name: 'Renamed during the sale' },
      { authorization: `Bearer ${admin}` },
    );
    assert.doesNotMatch(renamed.text, /"errors"/);
    const after = await post(stack.url, PRODUCT, { id });
    assert.equal(after.shared, null);
    assert.deepEqual(JSON.parse(after.text), { data: { product: { id, name: 'Renamed during the sale' } } });
  });

  it("never gives one viewer another's private data, however many identical queries are in flight", async () => {
    const shop = new ShopClient(stack.url);
    const alice = await shop.signUp(`alice-${Date.now()}@customers.test`);
    const bob = await shop.signUp(`bob-${Date.now()}@customers.test`);
    const query = 'query Me { me { id } }';
    const viewers = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? alice : i % 3 === 1 ? bob : undefined));
    const answers = await Promise.all(viewers.map((v) => post(stack.url, query, {}, v ? { authorization: `Bearer ${v.token}` } : {})));
    answers.forEach((answer, i) => {
      const viewer = viewers[i];
      const me = (JSON.parse(answer.text) as { data?: { me: { id: string } | null } }).data?.me ?? null;
      assert.deepEqual(me, viewer ? { id: viewer.userId } : null, `request ${i}`);
    });
  });
});

describe('sharing switched off', () => {
  let gateway: ServiceProcess;
  before(async () => {
    await stack.gateway.stop();
    gateway = new ServiceProcess(stack.gateway.spec, { ...stack.gateway.env, INFLIGHT_DEDUP: 'off', RESPONSE_CACHE: 'off' });
    await gateway.start();
  });
  after(async () => {
    await gateway?.stop();
  });

  it('answers every request with its own execution under INFLIGHT_DEDUP=off and RESPONSE_CACHE=off, with the same bytes', async () => {
    const id = demo.products[6]!.id;
    const answers = [];
    for (let round = 0; round < 3; round++) answers.push(...(await Promise.all(Array.from({ length: 10 }, () => post(gateway.url, PRODUCT, { id })))));
    assert.deepEqual(new Set(answers.map((a) => a.shared)), new Set([null]));
    assert.equal(new Set(answers.map((a) => a.text)).size, 1);
  });
});
