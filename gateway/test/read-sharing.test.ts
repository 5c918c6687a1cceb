import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { createLogger, RedisKeyValueStore, RedisPubSub, connectRedis } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { createReadSharing, readSharingAnswers, SHARED_HEADER } from '../src/read-sharing.ts';
import { ResponseCache, STOCK_CHANNEL_PREFIX, tagsOf } from '../src/response-cache.ts';

// Shared work for identical reads, against real Redis: who may share an
// execution or a cached answer, and when a cached answer goes.
const logger = createLogger('gateway-test', 'silent');
const PRODUCT = 'query ProductPage($id: ID!) { product(id: $id) { id name variants { sku } } }';

function post(body: Record<string, unknown>, headers: Record<string, string> = {}): HTTPGraphQLRequest {
  return { method: 'POST', headers: new HeaderMap(Object.entries({ 'content-type': 'application/json', ...headers })), search: '', body };
}

function answer(body: unknown, cacheControl = 'max-age=300, public'): HTTPGraphQLResponse {
  const headers = new HeaderMap([['content-type', 'application/json; charset=utf-8']]);
  if (cacheControl) headers.set('cache-control', cacheControl);
  return { status: 200, headers, body: { kind: 'complete', string: JSON.stringify(body) } };
}

/** An execution the test finishes when it wants, counting how many were started. */
function gatedRun(body: (n: number) => unknown, cacheControl?: string) {
  let started = 0;
  const gates: (() => void)[] = [];
  const run = async () => {
    const n = ++started;
    await new Promise<void>((resolve) => gates.push(resolve));
    return answer(body(n), cacheControl);
  };
  return { run, started: () => started, open: () => gates.splice(0).forEach((g) => g()) };
}

const text = (response: HTTPGraphQLResponse) => (response.body.kind === 'complete' ? response.body.string : '');

describe('in-flight deduplication', () => {
  const share = createReadSharing({ dedup: true, cache: undefined });

  it('runs identical anonymous queries in flight at once once, and gives every caller the same bytes', async () => {
    const exec = gatedRun((n) => ({ data: { product: { id: 'p1', name: `execution ${n}` } } }));
    const request = () => post({ query: PRODUCT, variables: { id: 'p1' }, operationName: 'ProductPage' });
    const answers = Promise.all([share(request(), exec.run), share(request(), exec.run), share(request(), exec.run)]);
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    const responses = await answers;
    assert.equal(exec.started(), 1);
    assert.deepEqual(new Set(responses.map(text)), new Set([JSON.stringify({ data: { product: { id: 'p1', name: 'execution 1' } } })]));
    assert.deepEqual(
      responses.map((r) => r.headers.get(SHARED_HEADER)),
      [undefined, 'in-flight', 'in-flight'],
    );
  });

  it('counts the answers by source: one executed, the callers who joined it in-flight', async () => {
    const count = async () => Object.fromEntries((await readSharingAnswers().get()).values.map((v) => [v.labels.source, v.value]));
    const before = await count();
    const exec = gatedRun(() => ({ data: { product: { id: 'p-count' } } }));
    const request = () => post({ query: PRODUCT, variables: { id: 'p-count' }, operationName: 'ProductPage' });
    const answers = Promise.all(Array.from({ length: 4 }, () => share(request(), exec.run)));
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    await answers;
    const after = await count();
    assert.equal((after.executed ?? 0) - (before.executed ?? 0), 1);
    assert.equal((after['in-flight'] ?? 0) - (before['in-flight'] ?? 0), 3);
    assert.equal((after.cache ?? 0) - (before.cache ?? 0), 0);
  });

  it('never shares an execution between different viewers (tokens), API keys or variables', async () => {
    const exec = gatedRun((n) => ({ data: { me: { id: `viewer of execution ${n}` } } }));
    const query = 'query Me { me { id } }';
    const answers = Promise.all([
      share(post({ query }, { authorization: 'Bearer alice' }), exec.run),
      share(post({ query }, { authorization: 'Bearer bob' }), exec.run),
      share(post({ query }), exec.run),
      share(post({ query }, { 'x-api-key': 'partner' }), exec.run),
      share(post({ query: PRODUCT, variables: { id: 'p1' } }), exec.run),
      share(post({ query: PRODUCT, variables: { id: 'p2' } }), exec.run),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    const responses = await answers;
    assert.equal(exec.started(), 6);
    assert.equal(new Set(responses.map(text)).size, 6);
  });

  it('shares an execution between callers with the same token (the same viewer)', async () => {
    const exec = gatedRun(() => ({ data: { me: { id: 'alice' } } }));
    const query = 'query Me { me { id } }';
    const answers = Promise.all([share(post({ query }, { authorization: 'Bearer alice' }), exec.run), share(post({ query }, { authorization: 'Bearer alice' }), exec.run)]);
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    await answers;
    assert.equal(exec.started(), 1);
  });

  it('never shares mutations', async () => {
    const exec = gatedRun((n) => ({ data: { restock: { sku: 'S1', available: n } } }), '');
    const mutation = post({ query: 'mutation { restock(sku: "S1", quantity: 1) { sku available } }' });
    const answers = Promise.all([share(mutation, exec.run), share(mutation, exec.run)]);
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    await answers;
    assert.equal(exec.started(), 2);
  });

  it('runs every request on its own with INFLIGHT_DEDUP=off', async () => {
    const off = createReadSharing({ dedup: false, cache: undefined });
    const exec = gatedRun(() => ({ data: { product: null } }));
    const request = () => post({ query: PRODUCT, variables: { id: 'p1' } });
    const answers = Promise.all([off(request(), exec.run), off(request(), exec.run)]);
    await new Promise((resolve) => setImmediate(resolve));
    exec.open();
    const responses = await answers;
    assert.equal(exec.started(), 2);
    assert.deepEqual(responses.map((r) => r.headers.get(SHARED_HEADER)), [undefined, undefined]);
  });
});

describe('response cache (Redis)', () => {
  let store: RedisKeyValueStore;
  let pubsub: RedisPubSub;
  let cache: ResponseCache;
  let share: ReturnType<typeof createReadSharing>;
  const prefix = `rs-test-${Date.now()}`;
  before(async () => {
    const redis = connectRedis(TEST_REDIS_URL, 'read-sharing-test');
    await new Promise((resolve) => redis.once('ready', resolve));
    store = new RedisKeyValueStore(redis);
    pubsub = new RedisPubSub(TEST_REDIS_URL, 'read-sharing-test');
    cache = new ResponseCache({ store, pubsub, logger });
    share = createReadSharing({ dedup: true, cache });
  });
  after(async () => {
    await store.close();
    await pubsub.close();
  });
  const product = (id: string) => ({ data: { product: { id, name: 'Lamp', variants: [{ sku: `${id}-sku` }] } } });
  const read = (id: string, headers: Record<string, string> = {}) => post({ query: PRODUCT, variables: { id }, operationName: 'ProductPage' }, headers);

  it('serves a public answer from Redis to the next caller, with the max-age left', async () => {
    const id = `${prefix}-a`;
    await share(read(id), async () => answer(product(id)));
    const second = await share(read(id), async () => assert.fail('executed again instead of reading the cache'));
    assert.equal(second.headers.get(SHARED_HEADER), 'cache');
    assert.equal(text(second), JSON.stringify(product(id)));
    assert.match(second.headers.get('cache-control') ?? '', /^max-age=(300|299), public$/);
  });

  it('never stores an answer for a caller with a user token, a private or uncacheable policy, or errors', async () => {
    const cases: [HTTPGraphQLRequest, HTTPGraphQLResponse][] = [
      [read(`${prefix}-token`, { authorization: 'Bearer alice' }), answer(product(`${prefix}-token`))],
      [read(`${prefix}-private`), answer(product(`${prefix}-private`), 'max-age=300, private')],
      [read(`${prefix}-nostore`), answer(product(`${prefix}-nostore`), '')],
      [read(`${prefix}-errors`), answer({ errors: [{ message: 'boom' }], data: null })],
    ];
    for (const [request, response] of cases) {
      await share(request, async () => response);
        let executed = false;
      await share(request, async () => {
        executed = true;
        return response;
      });
      assert.ok(executed, `${JSON.stringify(request.body)} was answered from the cache`);
    }
  });

  it('drops a cached answer when a mutation through the gateway answers with one of its ids or skus', async () => {
    const id = `${prefix}-m`;
    await share(read(id), async () => answer(product(id)));
    assert.equal((await share(read(id), async () => answer(product(id)))).headers.get(SHARED_HEADER), 'cache');
    await share(post({ query: 'mutation { updateProduct(id: "x", input: {}) { id } }' }), async () => answer({ data: { updateProduct: { id } } }, ''));
    let executed = false;
    await share(read(id), async () => {
      executed = true;
      return answer(product(id));
    });
    assert.ok(executed);
  });

  it("keeps a cached answer when a purchase answers with its sku (InsufficientStock): stock changes drop it through inventory's announcements", async () => {
    const id = `${prefix}-p`;
    await share(read(id), async () => answer(product(id)));
    const placeOrder = 'mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename ... on InsufficientStock { sku available } } }';
    await share(post({ query: placeOrder, operationName: 'PlaceOrder', variables: {} }), async () =>
      answer({ data: { placeOrder: { __typename: 'InsufficientStock', sku: `${id}-sku`, available: 0 } } }, ''),
    );
    assert.equal((await share(read(id), async () => assert.fail('a purchase dropped the cached answer'))).headers.get(SHARED_HEADER), 'cache');
    // A mutation that buys and does something else still drops what its answer names.
    const both = 'mutation { placeOrder(input: {}) { __typename } updateProduct(id: "x", input: {}) { id } }';
    await share(post({ query: both }), async () => answer({ data: { placeOrder: { __typename: 'InsufficientStock' }, updateProduct: { id } } }, ''));
    let executed = false;
    await share(read(id), async () => {
      executed = true;
      return answer(product(id));
    });
    assert.ok(executed);
  });

  it("drops a cached answer when inventory announces a change of one of its skus' stock", async () => {
    const id = `${prefix}-s`;
    await share(read(id), async () => answer(product(id)));
    assert.equal((await share(read(id), async () => answer(product(id)))).headers.get(SHARED_HEADER), 'cache');
    // Published the way inventory's StockEvents does, on its own connection.
    const publisher = new Redis(TEST_REDIS_URL);
    try {
      await publisher.publish(`${STOCK_CHANNEL_PREFIX}${id}-sku`, JSON.stringify({ sku: `${id}-sku`, available: 3, version: 2 }));
      let gone = false;
      // The event reaches the gateway asynchronously: read until the entry is gone.
      for (let attempt = 0; attempt < 100 && !gone; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        let executed = false;
        await share(read(id), async () => {
          executed = true;
          return answer(product(id));
        });
        gone = executed;
      }
      assert.ok(gone, 'the stock event removed the cached answer');
    } finally {
      publisher.disconnect();
    }
  });

  it('executes a query whose last answer the cache would not keep without looking in Redis, and looks again once an answer was kept', async () => {
    let lookups = 0;
    class CountingCache extends ResponseCache {
      override get(key: string) {
        lookups++;
        return super.get(key);
      }
    }
    const counting = createReadSharing({ dedup: true, cache: new CountingCache({ store, pubsub, logger }) });
    const id = `${prefix}-uncacheable`;
    let executions = 0;
    const run = (cacheControl: string) => async () => {
      executions++;
      return answer(product(id), cacheControl);
    };
    await counting(read(id), run(''));
    await counting(read(id), run(''));
    assert.equal(executions, 2);
    assert.equal(lookups, 1, 'the second request looked in Redis for an answer the cache would not keep');
    // An answer with errors says nothing of the next one: its key is still looked up.
    const failing = `${prefix}-failing`;
    await counting(read(failing), async () => answer({ errors: [{ message: 'boom' }], data: null }));
    await counting(read(failing), async () => answer(product(failing)));
    assert.equal(lookups, 3);
    // The answers become cacheable: the next execution stores its answer, and the request after it reads it.
    await counting(read(id), run('max-age=300, public'));
    const cached = await counting(read(id), async () => assert.fail('executed instead of reading the cache'));
    assert.equal(cached.headers.get(SHARED_HEADER), 'cache');
    assert.equal(executions, 3);
    assert.equal(lookups, 4);
  });

  it('tags an answer with the ids and skus in its data', () => {
    assert.deepEqual(tagsOf(JSON.stringify(product('p9'))).sort(), ['id:p9', 'sku:p9-sku']);
  });
});

describe('response cache: stale while revalidating', () => {
  let store: RedisKeyValueStore;
  let pubsub: RedisPubSub;
  let share: ReturnType<typeof createReadSharing>;
  let clock = 1_000_000;
  const prefix = `rs-swr-${Date.now()}`;
  before(async () => {
    const redis = connectRedis(TEST_REDIS_URL, 'read-sharing-swr-test');
    await new Promise((resolve) => redis.once('ready', resolve));
    store = new RedisKeyValueStore(redis);
    pubsub = new RedisPubSub(TEST_REDIS_URL, 'read-sharing-swr-test');
    share = createReadSharing({ dedup: true, cache: new ResponseCache({ store, pubsub, logger, now: () => clock }) });
  });
  after(async () => {
    await store.close();
    await pubsub.close();
  });
  const stock = (id: string, available: number) => ({ data: { product: { id, name: 'Lamp', variants: [{ sku: `${id}-sku`, available }] } } });
  const read = (id: string) => post({ query: PRODUCT, variables: { id }, operationName: 'ProductPage' });

  it('answers past the max-age with the stale answer at once while one execution refreshes it, then with the refreshed one', async () => {
    const id = `${prefix}-a`;
    await share(read(id), async () => answer(stock(id, 5), 'max-age=1, public'));
    clock += 2_000;
    const refresh = gatedRun(() => stock(id, 4), 'max-age=1, public');
    const first = await share(read(id), refresh.run);
    const second = await share(read(id), refresh.run);
    for (const stale of [first, second]) {
      assert.equal(text(stale), JSON.stringify(stock(id, 5)));
      assert.equal(stale.headers.get('cache-control'), 'max-age=0, public');
      assert.equal(stale.headers.get(SHARED_HEADER), 'cache');
    }
    assert.equal(refresh.started(), 1, 'one refresh for both stale answers');
    refresh.open();
    let fresh: HTTPGraphQLResponse | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      fresh = await share(read(id), async () => assert.fail('executed instead of answering from the cache'));
      if (text(fresh) !== JSON.stringify(stock(id, 5))) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(text(fresh!), JSON.stringify(stock(id, 4)));
    assert.equal(fresh!.headers.get('cache-control'), 'max-age=1, public');
  });

  it('executes again once an answer is past its stale window (max-age 1 s + 5 s)', async () => {
    const id = `${prefix}-b`;
    await share(read(id), async () => answer(stock(id, 5), 'max-age=1, public'));
    clock += 6_001;
    let executed = false;
    const response = await share(read(id), async () => {
      executed = true;
      return answer(stock(id, 3), 'max-age=1, public');
    });
    assert.ok(executed);
    assert.equal(text(response), JSON.stringify(stock(id, 3)));
  });
});
