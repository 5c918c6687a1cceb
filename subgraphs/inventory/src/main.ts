import { createCachedSigner, createIdentitySigner, runSubgraph, loadDemoData, startOutboxRelay } from '@shop/platform';
import { readConfig } from './config.ts';
import { startReservationSweeper } from './reservation/reservation.sweeper.ts';
import { createServer, inventoryReadiness, openDatabase } from './server.ts';
import { ProductsSellerDirectory } from './stock/seller-directory.ts';
import { StockCache } from './stock/stock.cache.ts';
import { StockEvents } from './stock/stock.events.ts';
import { StockNotifier } from './stock/stock.notifier.ts';
import { StockRepository } from './stock/stock.repository.ts';
import { seedDemoStock } from './stock/stock.seed.ts';

// What is inventory's own: its demo stock, the stock cache and events, the
// reservation sweeper and the outbox relay. The kit does the rest.
await runSubgraph({
  name: 'inventory',
  readConfig: () => readConfig(process.env),
  openDatabase,
  seed: async (orm) => ({ skus: await seedDemoStock(new StockRepository(orm.em.fork()), loadDemoData()) }),
  start: async ({ config, logger, orm, identity, production, keyValueStore, pubSub, redis, onStop }) => {
    // Stock reads fall back to PostgreSQL while Redis is away.
    const store = keyValueStore('cache');
    const pubsub = pubSub('events');
    // Inventory signs its seller lookups as itself (one signature per 30 s, see createCachedSigner).
    const signer = config.identityPrivateKey ? createCachedSigner(await createIdentitySigner(config.identityPrivateKey, 'inventory')) : undefined;
    if (!signer) logger.warn('INVENTORY_IDENTITY_PRIVATE_KEY is not set: seller lookups in products are anonymous (published products only)');
    const identityToken = signer && (() => signer.sign({ userId: 'inventory', roles: ['SERVICE'] }));
    const app = await createServer({
      orm,
      logger,
      store,
      pubsub,
      identity,
      sellers: new ProductsSellerDirectory({ url: config.productsUrl, logger, ...(identityToken ? { identityToken } : {}) }),
      production,
      reservationBatching: config.reservationBatching && {
        maxWaitMs: config.reservationBatchWaitMs,
        maxBatchSize: config.reservationBatchMax,
        maxQueuedPerSku: config.reservationQueueMax,
      },
    });
    const notifier = new StockNotifier(new StockCache(store, logger), new StockEvents(pubsub, logger));
    const sweeper = startReservationSweeper({ orm, notifier, logger, intervalMs: config.reservationSweepIntervalMs });
    onStop(() => sweeper.stop());
    // The outbox relay needs a real Redis (a stream outlives the process);
    // without one, events stay in the outbox table until a relay runs.
    const streamRedis = redis('outbox');
    if (streamRedis) {
      const relay = startOutboxRelay({ orm, redis: streamRedis, stream: config.outboxStream, logger, intervalMs: config.outboxRelayIntervalMs });
      onStop(() => relay.stop());
    } else logger.warn('REDIS_URL is not set: the outbox relay is off, StockChanged events stay in the outbox table');
    return { listen: (port, host) => app.listen({ port, host }), close: () => app.close(), readiness: inventoryReadiness({ orm, store }) };
  },
});
