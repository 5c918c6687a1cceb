import { createLogger, migrateDatabase, startOrExit } from '@shop/platform';
import { readConfig } from './config.ts';
import { openDatabase } from './server.ts';

// `npm run migrate -w subgraphs/orders`: applies pending migrations and exits (for release jobs).
const config = await startOrExit('orders', async () => readConfig(process.env));
const logger = createLogger(config.service, config.logLevel);
const orm = await openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger });
const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
logger.info({ applied }, applied.length ? 'migrations applied' : 'schema is up to date');
await orm.close();
