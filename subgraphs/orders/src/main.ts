import {
  connectRedis,
  createIdentitySigner,
  createIdentityVerifier,
  createLogger,
  migrateDatabase,
  runUntilSignal,
  startOrExit,
  startOutboxRelay,
  type IdentitySigner,
} from '@shop/platform';
import { CheckoutSaga } from './checkout/checkout.saga.ts';
import { startCheckoutSweeper } from './checkout/checkout.sweeper.ts';
import { readConfig } from './config.ts';
import { createSagaServices } from './remote/saga-services.ts';
import { createServer, openDatabase } from './server.ts';
import { startWebhooks } from './webhook/webhooks.ts';

// Process concerns only: config -> database -> server -> listen; sweeper and
// outbox relay in the background; drain on SIGTERM.
const config = await startOrExit('orders', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const identity = await startOrExit('orders', () => createIdentityVerifier(config.identityCallers));
if (!config.identityPublicKey) logger.warn('INTERNAL_IDENTITY_PUBLIC_KEY is not set: every caller is anonymous');
const signer: IdentitySigner = config.identityPrivateKey
  ? await startOrExit('orders', () => createIdentitySigner(config.identityPrivateKey!, 'orders'))
  : { service: 'orders', sign: () => Promise.reject(new Error('ORDERS_IDENTITY_PRIVATE_KEY is not set')) };
if (!config.identityPrivateKey) logger.warn('ORDERS_IDENTITY_PRIVATE_KEY is not set: checkout cannot call inventory, payments or products');
const orm = await startOrExit('orders', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
await startOrExit('orders', async () => {
  if (!config.migrateOnStart) return;
  const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');
});
const services = createSagaServices({
  productsUrl: config.productsUrl,
  inventoryUrl: config.inventoryUrl,
  paymentsUrl: config.paymentsUrl,
  timeoutMs: config.serviceCallTimeoutMs,
  signer,
});
const checkout = { reservationTtlSeconds: config.reservationTtlSeconds, waitMs: config.checkoutWaitMs };
const saga = new CheckoutSaga({ orm, services, logger, settings: checkout });
const server = await createServer({ orm, logger, identity, services, saga, checkout, admission: config.admission, production: config.nodeEnv === 'production' });
const sweeper = startCheckoutSweeper({ orm, saga, logger, intervalMs: config.sagaSweepIntervalMs, staleAfterMs: config.sagaStaleAfterMs });
// Events stay in the outbox table until a relay publishes them; without Redis there is nowhere to publish.
const redis = config.redisUrl ? connectRedis(config.redisUrl, 'orders:outbox', (err) => logger.warn({ err }, 'redis connection error')) : undefined;
const relay = redis ? startOutboxRelay({ orm, redis, stream: config.eventsStream, logger }) : undefined;
if (!redis) logger.warn('REDIS_URL is not set: order events are kept in the outbox table and not published');
const webhooks = redis ? await startOrExit('orders', () => startWebhooks({ orm, redis, stream: config.eventsStream, logger, settings: config.webhooks })) : undefined;
const port = await startOrExit('orders', () => server.listen(config.port, config.host));
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'orders subgraph ready');
runUntilSignal(logger, async () => {
  await server.close();
  await sweeper.stop();
  await relay?.stop();
  await webhooks?.stop();
  redis?.disconnect();
  await orm.close();
});
