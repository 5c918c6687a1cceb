import { createIdentitySigner, runSubgraph, startOutboxRelay, type IdentitySigner } from '@shop/platform';
import { CheckoutSaga } from './checkout/checkout.saga.ts';
import { startCheckoutSettler } from './checkout/checkout.settler.ts';
import { startCheckoutSweeper } from './checkout/checkout.sweeper.ts';
import { readConfig } from './config.ts';
import { createSagaServices } from './remote/saga-services.ts';
import { createServer, openDatabase } from './server.ts';
import { startWebhooks } from './webhook/webhooks.ts';

// What is orders' own: its service identity, the saga with its sweeper, the
// outbox relay and the webhook deliveries. The kit does the rest.
await runSubgraph({
  name: 'orders',
  readConfig: () => readConfig(process.env),
  openDatabase,
  start: async ({ config, logger, orm, identity, production, redis, onStop }) => {
    const signer: IdentitySigner = config.identityPrivateKey
      ? await createIdentitySigner(config.identityPrivateKey, 'orders')
      : { service: 'orders', sign: () => Promise.reject(new Error('ORDERS_IDENTITY_PRIVATE_KEY is not set')) };
    if (!config.identityPrivateKey) logger.warn('ORDERS_IDENTITY_PRIVATE_KEY is not set: checkout cannot call inventory, payments or products');
    const services = createSagaServices({
      productsUrl: config.productsUrl,
      inventoryUrl: config.inventoryUrl,
      paymentsUrl: config.paymentsUrl,
      timeoutMs: config.serviceCallTimeoutMs,
      signer,
      circuitBreaker: config.circuitBreaker,
      logger,
    });
    const checkout = { reservationTtlSeconds: config.reservationTtlSeconds, waitMs: config.checkoutWaitMs, mode: config.checkoutMode, ...config.batching };
    const saga = new CheckoutSaga({ orm, services, logger, settings: checkout });
    const server = await createServer({ orm, logger, identity, services, saga, checkout, admission: config.admission, production });
    const sweeper = startCheckoutSweeper({ orm, saga, logger, intervalMs: config.sagaSweepIntervalMs, staleAfterMs: config.sagaStaleAfterMs });
    onStop(() => sweeper.stop());
    // Events stay in the outbox table until a relay publishes them; without Redis there is nowhere to publish.
    const outboxRedis = redis('outbox');
    if (outboxRedis) {
      const relay = startOutboxRelay({ orm, redis: outboxRedis, stream: config.eventsStream, logger });
      onStop(() => relay.stop());
      const webhooks = await startWebhooks({ orm, redis: outboxRedis, stream: config.eventsStream, logger, settings: config.webhooks });
      onStop(() => webhooks.stop());
      // Captures and commits batched checkouts from their OrderPlaced events (without Redis the sweeper does, later).
      const settler = await startCheckoutSettler({ redis: outboxRedis, stream: config.eventsStream, orm, services, saga, logger });
      onStop(() => settler.stop());
    } else logger.warn('REDIS_URL is not set: order events are kept in the outbox table and not published');
    return server;
  },
});
