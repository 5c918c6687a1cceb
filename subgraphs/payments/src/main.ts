import { createIdentityVerifier, createLogger, migrateDatabase, runUntilSignal, startOrExit } from '@shop/platform';
import { readConfig } from './config.ts';
import { SandboxPaymentProvider } from './provider/sandbox-provider.ts';
import { createServer, openDatabase } from './server.ts';

// Process concerns only: config -> database -> provider -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('payments', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const identity = await startOrExit('payments', () => createIdentityVerifier(config.identityCallers));
if (!config.identityPublicKey) logger.warn('INTERNAL_IDENTITY_PUBLIC_KEY is not set: every caller is anonymous');
const orm = await startOrExit('payments', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
await startOrExit('payments', async () => {
  if (!config.migrateOnStart) return;
  const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');
});
// The slow test card must outlast the client timeout whatever it is set to.
const provider = new SandboxPaymentProvider(orm, { slowCallMs: config.providerTimeoutMs * 2 });
const server = await createServer({
  orm,
  logger,
  identity,
  provider,
  providerTimeoutMs: config.providerTimeoutMs,
  production: config.nodeEnv === 'production',
});
const port = await startOrExit('payments', () => server.listen(config.port, config.host));
logger.info({ port, provider: config.paymentProvider, url: `http://localhost:${port}/graphql` }, 'payments subgraph ready');
runUntilSignal(logger, async () => {
  await server.close();
  await orm.close();
});
