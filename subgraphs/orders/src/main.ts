import { createIdentityVerifier, createLogger, migrateDatabase, runUntilSignal, startOrExit } from '@shop/platform';
import { readConfig } from './config.ts';
import { createServer, openDatabase } from './server.ts';

// Process concerns only: config -> database -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('orders', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const identity = await startOrExit('orders', () => createIdentityVerifier(config.identityPublicKey));
if (!config.identityPublicKey) logger.warn('INTERNAL_IDENTITY_PUBLIC_KEY is not set: every caller is anonymous');
const orm = await startOrExit('orders', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
await startOrExit('orders', async () => {
  if (!config.migrateOnStart) return;
  const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');
});
const server = await createServer({ orm, logger, identity, production: config.nodeEnv === 'production' });
const port = await startOrExit('orders', () => server.listen(config.port, config.host));
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'orders subgraph ready');
runUntilSignal(logger, async () => {
  await server.close();
  await orm.close();
});
