import {
  connectRedis,
  createIdentityVerifier,
  createKeyValueStore,
  createLogger,
  createPubSub,
  loadDemoData,
  migrateDatabase,
  RedisKeyValueStore,
  runUntilSignal,
  startOrExit,
  startOutboxRelay,
} from '@shop/platform';
import { readConfig } from './config.ts';
import { startReservationSweeper } from './reservation/reservation.sweeper.ts';
import { createServer, openDatabase } from './server.ts';
import { ProductsSellerDirectory } from './stock/seller-directory.ts';
import { StockCache } from './stock/stock.cache.ts';
import { StockEvents } from './stock/stock.events.ts';
import { StockNotifier } from './stock/stock.notifier.ts';
import { StockRepository } from './stock/stock.repository.ts';
import { seedDemoStock } from './stock/stock.seed.ts';

// Process concerns only: config -> database -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('inventory', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const orm = await startOrExit('inventory', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
await startOrExit('inventory', async () => {
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  if (config.seedDemoData) {
    const seeded = await seedDemoStock(new StockRepository(orm.em.fork()), loadDemoData());
    if (seeded) logger.info({ skus: seeded }, 'demo stock seeded');
  }
});
const store = createKeyValueStore(config.redisUrl, 'inventory:cache');
// Without a listener ioredis prints every failed reconnect to stderr; reads
// fall back to PostgreSQL meanwhile, so this is a warning, not a crash.
if (store instanceof RedisKeyValueStore) store.redis.on('error', (err: Error) => logger.warn({ err }, 'redis connection error'));
const pubsub = createPubSub(config.redisUrl, 'inventory:events');
const identity = await createIdentityVerifier(config.identityCallers);
const app = await createServer({
  orm,
  logger,
  store,
  pubsub,
  identity,
  sellers: new ProductsSellerDirectory({ url: config.productsUrl, logger }),
  production: config.nodeEnv === 'production',
  reservationBatching: config.reservationBatching && {
    maxWaitMs: config.reservationBatchWaitMs,
    maxBatchSize: config.reservationBatchMax,
    maxQueuedPerSku: config.reservationQueueMax,
  },
});
const notifier = new StockNotifier(new StockCache(store, logger), new StockEvents(pubsub, logger));
const sweeper = startReservationSweeper({ orm, notifier, logger, intervalMs: config.reservationSweepIntervalMs });
// The outbox relay needs a real Redis (a stream outlives the process);
// without one, events stay in the outbox table until a relay runs.
const streamRedis = config.redisUrl ? connectRedis(config.redisUrl, 'inventory:outbox') : undefined;
const relay = streamRedis
  ? startOutboxRelay({ orm, redis: streamRedis, stream: config.outboxStream, logger, intervalMs: config.outboxRelayIntervalMs })
  : undefined;
if (!relay) logger.warn('REDIS_URL is not set: the outbox relay is off, StockChanged events stay in the outbox table');
const address = await startOrExit('inventory', () => app.listen({ port: config.port, host: config.host }));
logger.info({ url: `${address}/graphql` }, 'inventory subgraph ready');
runUntilSignal(logger, async () => {
  await app.close();
  await sweeper.stop();
  await relay?.stop();
  streamRedis?.disconnect();
  await pubsub.close();
  await store.close();
  await orm.close();
});
