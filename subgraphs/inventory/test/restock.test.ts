import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer as createNetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCachedSigner, createIdentitySigner, createIdentityVerifier, generateIdentityKeys, sql, type IdentityVerifier } from '@shop/platform';
import { RESTOCK_FORBIDDEN_MESSAGE } from '../src/stock/restock-access.ts';
import { ProductsSellerDirectory } from '../src/stock/seller-directory.ts';
import { stockKey } from '../src/stock/stock.cache.ts';
import { MAX_UNITS } from '../src/stock/stock.repository.ts';
import { closedPort, setStock, skuFactory, startInventory, type Inventory } from './harness.ts';
import { startProducts, type Products } from './products.ts';

const sku = skuFactory('RESTOCK');
// Sellers are users of accounts; products knows them by id.
const sellerA = randomUUID();
const sellerB = randomUUID();
let products: Products;
let inventory: Inventory;
// Inventory signs its lookups as itself; products verifies its key and accepts its SERVICE identity, as deployed.
let asInventory: () => Promise<string>;
let productsIdentity: IdentityVerifier;

before(async () => {
  const inventoryKeys = await generateIdentityKeys();
  const signer = createCachedSigner(await createIdentitySigner(inventoryKeys.privateKey, 'inventory'));
  asInventory = () => signer.sign({ userId: 'inventory', roles: ['SERVICE'] });
  productsIdentity = await createIdentityVerifier({ keys: { inventory: inventoryKeys.publicKey }, services: ['inventory'] });
  // The real products subgraph answers who sells a sku.
  products = await startProducts({ identity: productsIdentity });
  inventory = await startInventory({ sellers: new ProductsSellerDirectory({ url: products.url, identityToken: asInventory }) });
  await products.addProduct(sellerA, [sku('NEW'), sku('FRESH'), sku('OWN'), sku('OTHER'), sku('CACHED'), sku('CUSTOMER')]);
});
after(async () => {
  await inventory?.close();
  await products?.close();
});

// The contract's operation, exactly as clients send it.
const RESTOCK = `mutation Restock($sku: ID!, $quantity: Int!) {
  restock(sku: $sku, quantity: $quantity) {
    sku
    available
  }
}`;
const STOCK_LEVELS = 'query ($skus: [ID!]!) { stockLevels(skus: $skus) { sku available } }';

const REFUSED = {
  data: null,
  errors: [{ message: RESTOCK_FORBIDDEN_MESSAGE, locations: [{ line: 2, column: 3 }], path: ['restock'], extensions: { code: 'FORBIDDEN' } }],
};

/** The stock row as stored (null: never stocked). */
async function storedRow(target: Inventory, s: string) {
  const [row] = await sql<{ available: number; version: number }>(target.orm.em.fork(), `select available, version from "${target.schema}".stock where sku = ?`, [s]);
  return row ?? null;
}

describe('Mutation.restock', () => {
  it("lets the product's seller stock its sku for the first time, never cached", async () => {
    const { status, headers, body } = await inventory.graphql(RESTOCK, { sku: sku('NEW'), quantity: 25 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.equal(status, 200);
    assert.deepEqual(body, { data: { restock: { sku: sku('NEW'), available: 25 } } });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('lets an admin add units to existing stock', async () => {
    await setStock(inventory, { [sku('ADD')]: 4 });
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('ADD'), quantity: 6 }, await inventory.as('ADMIN'));
    assert.deepEqual(body, { data: { restock: { sku: sku('ADD'), available: 10 } } });
  });

  it('writes the new level to the cache, so the next read is not stale', async () => {
    await setStock(inventory, { [sku('FRESH')]: 5 });
    const before = await inventory.graphql(STOCK_LEVELS, { skus: [sku('FRESH')] });
    assert.deepEqual(before.body.data?.stockLevels, [{ sku: sku('FRESH'), available: 5 }]);
    await inventory.graphql(RESTOCK, { sku: sku('FRESH'), quantity: 3 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.equal(await inventory.store.get(stockKey(sku('FRESH'))), '8');
    const after = await inventory.graphql(STOCK_LEVELS, { skus: [sku('FRESH')] });
    assert.deepEqual(after.body.data?.stockLevels, [{ sku: sku('FRESH'), available: 8 }]);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const { body, headers } = await inventory.graphql(RESTOCK, { sku: sku('ANON'), quantity: 1 });
    assert.deepEqual(body, {
      data: null,
      errors: [
        {
          message: 'You must be signed in to do this.',
          locations: [{ line: 2, column: 3 }],
          path: ['restock'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('ignores identity headers that are not a gateway-signed token', async () => {
    const forged = { 'x-user-id': 'someone', 'x-roles': 'ADMIN', 'x-viewer-token': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('FORGED'), quantity: 1 }, forged);
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
  });

  it('refuses a customer with FORBIDDEN (without asking products) and leaves stock alone', async () => {
    const asked = products.requests;
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('CUSTOMER'), quantity: 1 }, await inventory.as('CUSTOMER'));
    assert.deepEqual(body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    assert.equal(products.requests, asked);
    const levels = await inventory.graphql(STOCK_LEVELS, { skus: [sku('CUSTOMER')] });
    assert.deepEqual(levels.body.data?.stockLevels, [{ sku: sku('CUSTOMER'), available: 0 }]);
  });

  for (const quantity of [0, -3, 1_000_001]) {
    it(`rejects quantity ${quantity} with BAD_USER_INPUT`, async () => {
      const { body } = await inventory.graphql(RESTOCK, { sku: sku('BAD'), quantity }, await inventory.as('ADMIN'));
      assert.deepEqual(body, {
        data: null,
        errors: [
          {
            message: `"quantity" must be a whole number from 1 to 1000000, got ${quantity}.`,
            locations: [{ line: 2, column: 3 }],
            path: ['restock'],
            extensions: { code: 'BAD_USER_INPUT', field: 'quantity' },
          },
        ],
      });
    });
  }

  it('accepts the largest quantity, 1,000,000', async () => {
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('MAX'), quantity: 1_000_000 }, await inventory.as('ADMIN'));
    assert.deepEqual(body, { data: { restock: { sku: sku('MAX'), available: 1_000_000 } } });
  });

  it('refuses a restock that would overflow the stock column, keeping the level', async () => {
    await setStock(inventory, { [sku('FULL')]: MAX_UNITS - 10 });
    const { body } = await inventory.graphql(RESTOCK, { sku: sku('FULL'), quantity: 11 }, await inventory.as('ADMIN'));
    assert.deepEqual(body.errors?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'quantity' }]);
    const ok = await inventory.graphql(RESTOCK, { sku: sku('FULL'), quantity: 10 }, await inventory.as('ADMIN'));
    assert.deepEqual(ok.body, { data: { restock: { sku: sku('FULL'), available: MAX_UNITS } } });
  });
});

describe("Mutation.restock: a seller restocks only their own products (products says whose)", () => {
  it('lets the seller of a product restock it, a DRAFT product included', async () => {
    await products.addProduct(sellerA, [sku('DRAFT')], 'DRAFT');
    await setStock(inventory, { [sku('OWN')]: 2 });
    const own = await inventory.graphql(RESTOCK, { sku: sku('OWN'), quantity: 3 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(own.body, { data: { restock: { sku: sku('OWN'), available: 5 } } });
    const draft = await inventory.graphql(RESTOCK, { sku: sku('DRAFT'), quantity: 4 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(draft.body, { data: { restock: { sku: sku('DRAFT'), available: 4 } } });
  });

  it('refuses another seller with FORBIDDEN and leaves the level unchanged', async () => {
    await setStock(inventory, { [sku('OTHER')]: 5 });
    const before = await storedRow(inventory, sku('OTHER'));
    const { status, headers, body } = await inventory.graphql(RESTOCK, { sku: sku('OTHER'), quantity: 10 }, await inventory.asUser(sellerB, 'SELLER'));
    assert.equal(status, 200);
    assert.deepEqual(body, REFUSED);
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.deepEqual(await storedRow(inventory, sku('OTHER')), before);
    const levels = await inventory.graphql(STOCK_LEVELS, { skus: [sku('OTHER')] });
    assert.deepEqual(levels.body.data?.stockLevels, [{ sku: sku('OTHER'), available: 5 }]);
  });

  it('refuses a sku products does not know exactly like a sku of another seller (never tells whether it exists)', async () => {
    const unknown = await inventory.graphql(RESTOCK, { sku: sku('NO-SUCH-SKU'), quantity: 1 }, await inventory.asUser(sellerB, 'SELLER'));
    assert.deepEqual(unknown.body, REFUSED);
    assert.equal(await storedRow(inventory, sku('NO-SUCH-SKU')), null);
  });

  it('lets an admin and the SERVICE role restock any sku without asking products', async () => {
    const asked = products.requests;
    const admin = await inventory.graphql(RESTOCK, { sku: sku('ANY'), quantity: 2 }, await inventory.as('ADMIN'));
    assert.deepEqual(admin.body, { data: { restock: { sku: sku('ANY'), available: 2 } } });
    const service = await inventory.graphql(RESTOCK, { sku: sku('ANY'), quantity: 3 }, await inventory.as('SERVICE'));
    assert.deepEqual(service.body, { data: { restock: { sku: sku('ANY'), available: 5 } } });
    assert.equal(products.requests, asked);
  });

  it('remembers the seller of a sku: a second restock, or another seller, does not ask products again', async () => {
    const asked = products.requests;
    const first = await inventory.graphql(RESTOCK, { sku: sku('CACHED'), quantity: 1 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(first.body, { data: { restock: { sku: sku('CACHED'), available: 1 } } });
    assert.equal(products.requests, asked + 1);
    const second = await inventory.graphql(RESTOCK, { sku: sku('CACHED'), quantity: 1 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(second.body, { data: { restock: { sku: sku('CACHED'), available: 2 } } });
    const other = await inventory.graphql(RESTOCK, { sku: sku('CACHED'), quantity: 1 }, await inventory.asUser(sellerB, 'SELLER'));
    assert.deepEqual(other.body, REFUSED);
    assert.equal(products.requests, asked + 1);
  });

  it('does not remember an unknown sku: its seller can restock as soon as the product exists', async () => {
    const early = await inventory.graphql(RESTOCK, { sku: sku('LATER'), quantity: 1 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(early.body, REFUSED);
    await products.addProduct(sellerA, [sku('LATER')], 'DRAFT');
    const late = await inventory.graphql(RESTOCK, { sku: sku('LATER'), quantity: 1 }, await inventory.asUser(sellerA, 'SELLER'));
    assert.deepEqual(late.body, { data: { restock: { sku: sku('LATER'), available: 1 } } });
  });
});

describe('Mutation.restock while products cannot be reached', () => {
  let down: Inventory;
  before(async () => {
    down = await startInventory({ sellers: new ProductsSellerDirectory({ url: `http://127.0.0.1:${await closedPort()}/graphql` }) });
  });
  after(() => down?.close());

  it('still lets an admin and the SERVICE role restock', async () => {
    const admin = await down.graphql(RESTOCK, { sku: sku('DOWN-ADMIN'), quantity: 6 }, await down.as('ADMIN'));
    assert.deepEqual(admin.body, { data: { restock: { sku: sku('DOWN-ADMIN'), available: 6 } } });
    const service = await down.graphql(RESTOCK, { sku: sku('DOWN-ADMIN'), quantity: 1 }, await down.as('SERVICE'));
    assert.deepEqual(service.body, { data: { restock: { sku: sku('DOWN-ADMIN'), available: 7 } } });
  });

  it("refuses a seller's restock with SERVICE_UNAVAILABLE (retryable) and leaves the level unchanged", async () => {
    await setStock(down, { [sku('DOWN-SELLER')]: 3 });
    const before = await storedRow(down, sku('DOWN-SELLER'));
    const { body, headers } = await down.graphql(RESTOCK, { sku: sku('DOWN-SELLER'), quantity: 1 }, await down.asUser(sellerA, 'SELLER'));
    assert.deepEqual(body, {
      data: null,
      errors: [
        {
          message: 'The seller of this sku cannot be checked right now (the product catalogue did not answer); try again shortly.',
          locations: [{ line: 2, column: 3 }],
          path: ['restock'],
          extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
        },
      ],
    });
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.deepEqual(await storedRow(down, sku('DOWN-SELLER')), before);
  });

  it('still refuses a customer with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const customer = await down.graphql(RESTOCK, { sku: sku('DOWN-CUSTOMER'), quantity: 1 }, await down.as('CUSTOMER'));
    assert.deepEqual(customer.body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    const anonymous = await down.graphql(RESTOCK, { sku: sku('DOWN-CUSTOMER'), quantity: 1 });
    assert.deepEqual(anonymous.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
  });
});

describe('ProductsSellerDirectory against the real products subgraph', () => {
  it('answers the seller of a known sku and null for an unknown one', async () => {
    const directory = new ProductsSellerDirectory({ url: products.url, identityToken: asInventory });
    await products.addProduct(sellerB, [sku('DIR-B')]);
    assert.equal(await directory.sellerOf(sku('DIR-B')), sellerB);
    assert.equal(await directory.sellerOf(sku('DIR-NONE')), null);
  });

  it('shares one request among concurrent lookups of a sku', async () => {
    const directory = new ProductsSellerDirectory({ url: products.url, identityToken: asInventory });
    await products.addProduct(sellerB, [sku('DIR-CONCURRENT')]);
    const asked = products.requests;
    const sellers = await Promise.all(Array.from({ length: 5 }, () => directory.sellerOf(sku('DIR-CONCURRENT'))));
    assert.deepEqual(sellers, Array(5).fill(sellerB));
    assert.equal(products.requests, asked + 1);
  });

  it('asks again once the cached seller is older than the TTL (60 s by default)', async () => {
    let now = 1_000_000;
    const directory = new ProductsSellerDirectory({ url: products.url, now: () => now, identityToken: asInventory });
    await products.addProduct(sellerB, [sku('DIR-TTL')]);
    const asked = products.requests;
    assert.equal(await directory.sellerOf(sku('DIR-TTL')), sellerB);
    now += 59_999;
    assert.equal(await directory.sellerOf(sku('DIR-TTL')), sellerB);
    assert.equal(products.requests, asked + 1);
    now += 1;
    assert.equal(await directory.sellerOf(sku('DIR-TTL')), sellerB);
    assert.equal(products.requests, asked + 2);
  });

  it('gives up after its timeout with SERVICE_UNAVAILABLE when products accepts the connection but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const directory = new ProductsSellerDirectory({ url: `http://127.0.0.1:${port}/graphql`, timeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(directory.sellerOf(sku('DIR-SILENT')), (error: Error & { extensions?: Record<string, unknown> }) => {
        assert.deepEqual(error.extensions, { code: 'SERVICE_UNAVAILABLE', retryable: true });
        return true;
      });
      const waited = Date.now() - started;
      assert.ok(waited >= 150 && waited < 2_000, `gave up after ${waited} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('ProductsSellerDirectory against products in production (signed callers only)', () => {
  let production: Products;
  let signed: ProductsSellerDirectory;
  before(async () => {
    production = await startProducts({ identity: productsIdentity, production: true });
    signed = new ProductsSellerDirectory({ url: production.url, identityToken: asInventory });
  });
  after(() => production?.close());

  it('finds the seller of a published product when inventory signs its lookup', async () => {
    await production.addProduct(sellerB, [sku('PROD-PUBLISHED')]);
    assert.equal(await signed.sellerOf(sku('PROD-PUBLISHED')), sellerB);
  });

  it('finds the seller of a DRAFT product, so a seller can stock it before publishing', async () => {
    await production.addProduct(sellerB, [sku('PROD-DRAFT')], 'DRAFT');
    assert.equal(await signed.sellerOf(sku('PROD-DRAFT')), sellerB);
  });

  it("does not find a DRAFT product's seller for an anonymous caller in development (only signed services see drafts)", async () => {
    await products.addProduct(sellerB, [sku('DEV-DRAFT')], 'DRAFT');
    assert.equal(await new ProductsSellerDirectory({ url: products.url }).sellerOf(sku('DEV-DRAFT')), null);
  });

  it('is refused as SERVICE_UNAVAILABLE when the lookup is not signed (products answers unsigned callers with 401)', async () => {
    await production.addProduct(sellerB, [sku('PROD-UNSIGNED')]);
    const unsigned = new ProductsSellerDirectory({ url: production.url });
    await assert.rejects(unsigned.sellerOf(sku('PROD-UNSIGNED')), (error: Error & { extensions?: { code?: string } }) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
  });
});
