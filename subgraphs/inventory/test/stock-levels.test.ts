import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('LVL');
let inventory: Inventory;

before(async () => {
  inventory = await startInventory();
  await setStock(inventory, { [sku('A')]: 12, [sku('B')]: 0 });
});
after(() => inventory?.close());

// The contract's operation, exactly as clients send it.
const STOCK_LEVELS = `query StockLevels($skus: [ID!]!) {
  stockLevels(skus: $skus) {
    sku
    available
  }
}`;

const PUBLIC = 'public, max-age=1, stale-while-revalidate=5';

describe('Query.stockLevels', () => {
  it('returns one level per sku in the order asked, 0 for an unknown sku', async () => {
    const { status, headers, body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('B'), sku('NOPE'), sku('A')] });
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: {
        stockLevels: [
          { sku: sku('B'), available: 0 },
          { sku: sku('NOPE'), available: 0 },
          { sku: sku('A'), available: 12 },
        ],
      },
    });
    assert.equal(headers.get('cache-control'), PUBLIC);
  });

  it('resolves the level of each asked sku even when a sku is repeated', async () => {
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('A'), sku('A')] });
    assert.deepEqual(body, { data: { stockLevels: [{ sku: sku('A'), available: 12 }, { sku: sku('A'), available: 12 }] } });
  });

  it('rejects an empty list with BAD_USER_INPUT and no-store', async () => {
    const { status, headers, body } = await inventory.graphql(STOCK_LEVELS, { skus: [] });
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: null,
      errors: [
        {
          message: '"skus" must name at least one sku.',
          locations: [{ line: 2, column: 3 }],
          path: ['stockLevels'],
          extensions: { code: 'BAD_USER_INPUT', field: 'skus' },
        },
      ],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('rejects more than 100 skus with BAD_USER_INPUT', async () => {
    const skus = Array.from({ length: 101 }, (_, i) => sku(`MANY${i}`));
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus });
    assert.equal(body.data, null);
    assert.deepEqual(body.errors?.map((e) => [e.message, e.extensions]), [
      ['"skus" may name at most 100 skus, got 101.', { code: 'BAD_USER_INPUT', field: 'skus' }],
    ]);
  });

  it('accepts exactly 100 skus', async () => {
    const skus = Array.from({ length: 100 }, (_, i) => sku(`HUNDRED${i}`));
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus });
    assert.equal(body.errors, undefined);
    assert.equal(body.data?.stockLevels.length, 100);
  });

  it('rejects an empty sku, naming its position', async () => {
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('A'), ''] });
    assert.deepEqual(body.errors?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'skus[1]' }]);
  });

  it('resolves the variant of a level as the same sku', async () => {
    const { body } = await inventory.graphql('query ($skus: [ID!]!) { stockLevels(skus: $skus) { variant { sku stock { available } } } }', {
      skus: [sku('A')],
    });
    assert.deepEqual(body, { data: { stockLevels: [{ variant: { sku: sku('A'), stock: { available: 12 } } }] } });
  });
});

describe('HTTP behaviour', () => {
  it('marks a document that fails validation no-store', async () => {
    const { status, headers, body } = await inventory.graphql('{ stockLevels(skus: ["X"]) { nope } }');
    assert.equal(status, 400);
    assert.match(body.errors?.[0]?.message ?? '', /Cannot query field "nope"/);
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('serves GET reads with a preflight header, cacheable', async () => {
    const query = new URLSearchParams({ query: STOCK_LEVELS, variables: JSON.stringify({ skus: [sku('A')] }) });
    const response = await fetch(`${inventory.url}?${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: { stockLevels: [{ sku: sku('A'), available: 12 }] } });
    assert.equal(response.headers.get('cache-control'), PUBLIC);
  });

  it('blocks a GET without a preflight header (CSRF prevention)', async () => {
    const query = new URLSearchParams({ query: STOCK_LEVELS, variables: JSON.stringify({ skus: [sku('A')] }) });
    const response = await fetch(`${inventory.url}?${query}`);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('answers liveness and readiness with PostgreSQL and Redis up, on the metrics port only', async () => {
    const health = await fetch(`${inventory.opsBase}/health`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const ready = await fetch(`${inventory.opsBase}/ready`);
    assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready', checks: { postgres: 'ok', redis: 'ok' } }]);
    for (const path of ['/health', '/ready', '/metrics']) assert.equal((await fetch(`${inventory.base}${path}`)).status, 404, `public ${path}`);
  });
});
