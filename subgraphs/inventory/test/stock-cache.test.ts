import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisKeyValueStore } from '@shop/platform';
import { stockKey } from '../src/stock/stock.cache.ts';
import { closedPort, setStock, skuFactory, startInventory, type Inventory } from './harness.ts';

const sku = skuFactory('CACHE');
const STOCK_LEVELS = 'query ($skus: [ID!]!) { stockLevels(skus: $skus) { sku available } }';

describe('stock cache on Redis', () => {
  let inventory: Inventory;
  before(async () => {
    inventory = await startInventory();
  });
  after(() => inventory?.close());

  it('fills Redis with the levels PostgreSQL returned, unknown skus as 0, with a TTL', async () => {
    await setStock(inventory, { [sku('FILL')]: 5 });
    await inventory.graphql(STOCK_LEVELS, { skus: [sku('FILL'), sku('FILL-UNKNOWN')] });
    assert.equal(await inventory.store.get(stockKey(sku('FILL'))), '5');
    assert.equal(await inventory.store.get(stockKey(sku('FILL-UNKNOWN'))), '0');
    assert.ok(inventory.store instanceof RedisKeyValueStore);
    const ttl = await inventory.store.redis.pttl(stockKey(sku('FILL')));
    assert.ok(ttl > 0 && ttl <= 30_000, `ttl ${ttl}`);
  });

  it('serves cached levels without querying PostgreSQL', async () => {
    await setStock(inventory, { [sku('HIT')]: 1 });
    await inventory.store.set(stockKey(sku('HIT')), '42', 10_000);
    inventory.statements.length = 0;
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('HIT')] });
    assert.deepEqual(body, { data: { stockLevels: [{ sku: sku('HIT'), available: 42 }] } });
    assert.deepEqual(inventory.statements, []);
  });

  it('reads only the skus Redis does not have from PostgreSQL', async () => {
    await setStock(inventory, { [sku('MIX-1')]: 3, [sku('MIX-2')]: 4 });
    await inventory.store.set(stockKey(sku('MIX-1')), '30', 10_000);
    inventory.statements.length = 0;
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('MIX-1'), sku('MIX-2')] });
    assert.deepEqual(body, { data: { stockLevels: [{ sku: sku('MIX-1'), available: 30 }, { sku: sku('MIX-2'), available: 4 }] } });
    assert.equal(inventory.statements.length, 1);
    // One placeholder: only the sku Redis did not have was asked for.
    assert.match(inventory.statements[0] ?? '', /where sku in \(\?\)$/);
  });

  it('ignores a cache value that is not a level and reads PostgreSQL instead', async () => {
    await setStock(inventory, { [sku('JUNK')]: 8 });
    await inventory.store.set(stockKey(sku('JUNK')), 'not-a-number', 10_000);
    const { body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('JUNK')] });
    assert.deepEqual(body, { data: { stockLevels: [{ sku: sku('JUNK'), available: 8 }] } });
  });
});

describe('stock reads with Redis down', () => {
  let inventory: Inventory;
  before(async () => {
    inventory = await startInventory({ redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    await setStock(inventory, { [sku('DOWN')]: 9 });
  });
  after(() => inventory?.close());

  it('falls back to PostgreSQL for stockLevels', async () => {
    const { status, headers, body } = await inventory.graphql(STOCK_LEVELS, { skus: [sku('DOWN'), sku('DOWN-UNKNOWN')] });
    assert.equal(status, 200);
    assert.deepEqual(body, { data: { stockLevels: [{ sku: sku('DOWN'), available: 9 }, { sku: sku('DOWN-UNKNOWN'), available: 0 }] } });
    assert.equal(headers.get('cache-control'), 'public, max-age=1, stale-while-revalidate=5');
  });

  it('falls back to PostgreSQL for Variant entities', async () => {
    const { body } = await inventory.graphql(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Variant { stock { available } } } }',
      { r: [{ __typename: 'Variant', sku: sku('DOWN') }] },
    );
    assert.deepEqual(body, { data: { _entities: [{ stock: { available: 9 } }] } });
  });

  it('stays ready but reports degraded, naming Redis, while PostgreSQL is fine', async () => {
    const response = await fetch(`${inventory.opsBase}/ready`);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    assert.equal(response.status, 200);
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.postgres, 'ok');
    assert.notEqual(body.checks.redis, 'ok');
  });
});
