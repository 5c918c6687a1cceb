import { runSubgraph, startOutboxRelay } from '@shop/platform';
import { readConfig } from './config.ts';
import { SandboxPaymentProvider } from './provider/sandbox-provider.ts';
import { createServer, openDatabase } from './server.ts';

// What is payments' own: the provider adapter and its outbox relay. The kit does the rest.
await runSubgraph({
  name: 'payments',
  readConfig: () => readConfig(process.env),
  openDatabase,
  start: ({ config, logger, orm, identity, production, redis, onStop }) => {
    logger.info({ provider: config.paymentProvider }, 'payment provider');
    // The slow test card must outlast the client timeout whatever it is set to.
    const provider = new SandboxPaymentProvider(orm, { slowCallMs: config.providerTimeoutMs * 2 });
    // Payment events stay in the outbox table until a relay publishes them; without Redis there is nowhere to publish.
    const outboxRedis = redis('outbox');
    if (outboxRedis) {
      const relay = startOutboxRelay({ orm, redis: outboxRedis, stream: config.eventsStream, logger });
      onStop(() => relay.stop());
    }
    return createServer({ orm, logger, identity, provider, providerTimeoutMs: config.providerTimeoutMs, production });
  },
});
