import { createIdentityVerifier, createLogger, loadDemoData, migrateDatabase, runUntilSignal, startOrExit } from '@shop/platform';
import { readConfig } from './config.ts';
import { seedDemoCatalogue } from './product/product.seed.ts';
import { createServer, openDatabase } from './server.ts';

// Process concerns only: config -> database -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('products', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const orm = await startOrExit('products', () =>
  openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize }),
);
await startOrExit('products', async () => {
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  if (config.seedDemoData) {
    const seeded = await seedDemoCatalogue(orm.em.fork(), loadDemoData());
    if (seeded) logger.info({ products: seeded }, 'demo catalogue seeded');
  }
});
const identity = await startOrExit('products', () => createIdentityVerifier(config.identityCallers));
const server = await createServer({ orm, logger, identity, production: config.nodeEnv === 'production' });
const port = await startOrExit('products', () => server.listen(config.port, config.host));
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'products subgraph ready');
runUntilSignal(logger, async () => {
  await server.close();
  await orm.close();
});
