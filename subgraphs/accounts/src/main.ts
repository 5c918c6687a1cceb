import {
  createIdentityVerifier,
  createKeyValueStore,
  createLogger,
  loadDemoData,
  migrateDatabase,
  runUntilSignal,
  startOrExit,
} from '@shop/platform';
import { ApiClientRepository } from './api-client/api-client.repository.ts';
import { seedDemoPartner } from './api-client/api-client.seed.ts';
import { readConfig } from './config.ts';
import { createServer, openDatabase } from './server.ts';
import { createPasswordHasher } from './user/password.ts';
import { UserRepository } from './user/user.repository.ts';
import { seedDemoUsers } from './user/user.seed.ts';

// Process concerns only: config -> database -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('accounts', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
if (!config.identityPublicKey) logger.warn('INTERNAL_IDENTITY_PUBLIC_KEY is not set: every caller is anonymous');
const orm = await startOrExit('accounts', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
const hasher = createPasswordHasher(config.passwordHashCost);
await startOrExit('accounts', async () => {
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  if (config.seedDemoData) {
    const seeded = await seedDemoUsers(new UserRepository(orm.em.fork()), loadDemoData(), hasher);
    if (seeded) logger.info({ users: seeded }, 'demo users seeded');
    if (await seedDemoPartner(new ApiClientRepository(orm.em.fork()))) logger.info('demo partner API client seeded');
  }
});
const store = createKeyValueStore(config.redisUrl, 'accounts');
const identity = await startOrExit('accounts', () => createIdentityVerifier(config.identityCallers));
const server = await startOrExit('accounts', () =>
  createServer({ orm, logger, identity, store, hasher, settings: config, production: config.nodeEnv === 'production' }),
);
const port = await startOrExit('accounts', () => server.listen(config.port, config.host));
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'accounts subgraph ready');
runUntilSignal(logger, async () => {
  await server.close();
  await store.close();
  await orm.close();
});
