import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import {
  createIdentityVerifier,
  createKeyValueStore,
  createLogger,
  createOpsServer,
  createPubSub,
  migrateDatabase,
  RedisKeyValueStore,
  sql,
  type KeyValueStore,
  type MikroORM,
  type PubSub,
  type Role,
} from '@shop/platform';
import { createTestIdentities, dropSchema, postGraphQL, type GraphQLResponse, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSchemaName } from '@shop/platform/testing';
import type { ReservationBatcherOptions } from '../src/reservation/reservation.batcher.ts';
import { createServer, inventoryReadiness, openDatabase, type InventoryServer } from '../src/server.ts';
import type { SellerDirectory } from '../src/stock/seller-directory.ts';
import { StockCache, type StockCacheOptions } from '../src/stock/stock.cache.ts';
import { StockEvents } from '../src/stock/stock.events.ts';
import { StockNotifier } from '../src/stock/stock.notifier.ts';

export interface Inventory {
  orm: MikroORM;
  app: InventoryServer;
  store: KeyValueStore;
  pubsub: PubSub;
  /** A notifier like the server's (cache + pub/sub), for services built by tests. */
  notifier: StockNotifier;
  /** The GraphQL endpoint of the listening server. */
  url: string;
  base: string;
  /** The metrics port's base URL (/metrics, /health, /ready), as the kit serves it beside the app. */
  opsBase: string;
  schema: string;
  /** Every SQL statement the ORM sent since the last reset. */
  statements: string[];
  /** A gateway-signed identity header for a viewer with these roles. */
  as(...roles: Role[]): Promise<Record<string, string>>;
  /** A gateway-signed identity header for the user `userId` with these roles. */
  asUser(userId: string, ...roles: Role[]): Promise<Record<string, string>>;
  graphql<TData = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

export interface InventoryOptions {
  /** Redis URL for the stock cache; TEST_REDIS_URL by default. */
  redisUrl?: string;
  cache?: StockCacheOptions;
  /** Mask unexpected errors as in production. */
  production?: boolean;
  /** Reservation batching (on with its defaults unless false). */
  reservationBatching?: ReservationBatcherOptions | false;
  /** Who sells a sku (a seller may restock only their own); without one, seller restocks fail with SERVICE_UNAVAILABLE. */
  sellers?: SellerDirectory;
  /** Another instance whose database schema this one shares (a second replica); the first one drops it. */
  replicaOf?: Inventory;
}

/** Starts the inventory subgraph on its own schema of the test database, listening on a free port. */
export async function startInventory(options: InventoryOptions = {}): Promise<Inventory> {
  const schema = options.replicaOf?.schema ?? uniqueSchemaName('inventory');
  const statements: string[] = [];
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, onQuery: (q) => statements.push(q) });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  const store = createKeyValueStore(options.redisUrl ?? TEST_REDIS_URL, 'inventory-test');
  const pubsub = createPubSub(options.redisUrl ?? TEST_REDIS_URL, 'inventory-test');
  // Its publishing connection fails fast until connected, like the store's.
  if (!options.redisUrl) await untilPublishes(pubsub);
  if (store instanceof RedisKeyValueStore) {
    // A store pointed at a dead port keeps reconnecting; its errors are expected.
    store.redis.on('error', () => {});
    // The store fails fast until connected (no offline queue): tests that
    // expect the cache to work wait for it.
    if (!options.redisUrl && store.redis.status !== 'ready') await once(store.redis, 'ready');
  }
  // Customers and admins through the gateway; a SERVICE caller is the orders saga with its own key.
  const identities = await createTestIdentities();
  const identity = await createIdentityVerifier(identities.callers);
  const logger = createLogger('inventory-test', 'silent');
  // A generous cache timeout: a loaded CI machine must not turn cache hits into misses.
  const cache = { timeoutMs: 1_000, ...options.cache };
  const app = await createServer({
    orm,
    logger,
    store,
    pubsub,
    identity,
    ...(options.sellers ? { sellers: options.sellers } : {}),
    production: options.production,
    cache,
    events: { timeoutMs: 1_000 },
    ...(options.reservationBatching !== undefined ? { reservationBatching: options.reservationBatching } : {}),
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${base}/graphql`;
  const ops = createOpsServer({ logger, readiness: () => inventoryReadiness({ orm, store }), isDraining: () => false });
  const opsBase = `http://127.0.0.1:${await ops.listen(0, '127.0.0.1')}`;
  statements.length = 0;
  return {
    orm,
    app,
    store,
    pubsub,
    notifier: new StockNotifier(new StockCache(store, logger, cache), new StockEvents(pubsub, logger, { timeoutMs: 1_000 })),
    url,
    base,
    opsBase,
    schema,
    statements,
    as: (...roles) => identities.headers({ userId: randomBytes(8).toString('hex'), roles }),
    asUser: (userId, ...roles) => identities.headers({ userId, roles }),
    graphql: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    async close() {
      await ops.close();
      await app.close();
      await pubsub.close();
      await store.close();
      await orm.close();
      if (!options.replicaOf) await dropSchema(schema);
    },
  };
}

async function untilPublishes(pubsub: PubSub): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await pubsub.publish('inventory-test:probe', '');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Skus unique to one test run: the Redis cache is shared by every test file. */
export function skuFactory(prefix: string): (name: string) => string {
  const run = randomBytes(4).toString('hex').toUpperCase();
  return (name) => `${prefix}-${run}-${name}`;
}

/** Sets stock straight in the table (bypassing the service and its cache). */
export async function setStock(inventory: Inventory, levels: Record<string, number>): Promise<void> {
  const entries = Object.entries(levels);
  await sql(
    inventory.orm.em.fork(),
    `insert into "${inventory.schema}".stock (sku, available)
       select * from unnest(array[?]::text[], array[?]::integer[])
       on conflict (sku) do update set available = excluded.available`,
    [entries.map(([sku]) => sku), entries.map(([, available]) => available)],
  );
}

/** A TCP port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
