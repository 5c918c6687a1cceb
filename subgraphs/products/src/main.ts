import { loadDemoData, runSubgraph } from '@shop/platform';
import { readConfig } from './config.ts';
import { seedDemoCatalogue } from './product/product.seed.ts';
import { createServer, openDatabase } from './server.ts';

// What is products' own: its demo catalogue. The kit does the rest.
await runSubgraph({
  name: 'products',
  readConfig: () => readConfig(process.env),
  openDatabase,
  seed: async (orm) => ({ products: await seedDemoCatalogue(orm.em.fork(), loadDemoData()) }),
  start: ({ logger, orm, identity, production }) => createServer({ orm, logger, identity, production }),
});
