import { loadDemoData, runSubgraph } from '@shop/platform';
import { ApiClientRepository } from './api-client/api-client.repository.ts';
import { seedDemoPartner } from './api-client/api-client.seed.ts';
import { readConfig } from './config.ts';
import { createServer, openDatabase } from './server.ts';
import { createPasswordHasher } from './user/password.ts';
import { UserRepository } from './user/user.repository.ts';
import { seedDemoUsers } from './user/user.seed.ts';

// What is accounts' own: its demo users and partner, and the sign-in store. The kit does the rest.
await runSubgraph({
  name: 'accounts',
  readConfig: () => readConfig(process.env),
  openDatabase,
  seed: async (orm, config) => {
    const hasher = createPasswordHasher(config.passwordHashCost);
    const users = await seedDemoUsers(new UserRepository(orm.em.fork()), loadDemoData(), hasher);
    const partners = Number(await seedDemoPartner(new ApiClientRepository(orm.em.fork())));
    return { users, partners };
  },
  start: ({ config, logger, orm, identity, production, keyValueStore }) =>
    createServer({ orm, logger, identity, store: keyValueStore('sign-in'), settings: config, production }),
});
