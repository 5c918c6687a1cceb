import type { Redis } from 'ioredis';
import type { ServiceConfig } from './config.ts';
import { migrateDatabase, type MikroORM, type ServiceDatabaseOptions } from './database.ts';
import { createIdentityVerifier, type IdentityVerifier } from './identity.ts';
import { startOrExit } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';
import { connectRedis, createKeyValueStore, createPubSub, RedisKeyValueStore, type KeyValueStore, type PubSub } from './redis.ts';
import { runService, type ListeningServer, type ServiceRuntime } from './run-service.ts';

/** What a subgraph's `start` receives beyond config and logger: its database, the identity verifier and Redis. */
export interface SubgraphRuntime<TConfig extends ServiceConfig> extends ServiceRuntime<TConfig> {
  /** The service's ORM over its own schema, migrated (unless MIGRATE_ON_START=false) and seeded (with SEED_DEMO_DATA=true). */
  readonly orm: MikroORM;
  /** Verifies the gateway-signed `x-viewer-token`. */
  readonly identity: IdentityVerifier;
  readonly production: boolean;
  /** A Redis connection named `<service>:<role>`, or undefined without REDIS_URL; disconnected on stop. */
  redis(role: string): Redis | undefined;
  /** Redis-backed key-value store, or the in-process stand-in without REDIS_URL; closed on stop. */
  keyValueStore(role: string): KeyValueStore;
  /** Redis pub/sub, or the in-process stand-in without REDIS_URL; closed on stop. */
  pubSub(role: string): PubSub;
}

export interface SubgraphDefinition<TConfig extends ServiceConfig> {
  name: string;
  readConfig: () => TConfig;
  /** The service's `openDatabase` (its entities and migrations, see `serviceDatabase`). */
  openDatabase: (options: ServiceDatabaseOptions) => Promise<MikroORM>;
  /** Demo data for SEED_DEMO_DATA=true; returns how many rows of each kind it inserted. */
  seed?: (orm: MikroORM, config: TConfig) => Promise<Record<string, number>>;
  /** Builds the server and what runs beside it (sweepers, relays); never listens. */
  start: (runtime: SubgraphRuntime<TConfig>) => Promise<ListeningServer>;
}

/**
 * The whole process of a subgraph, Apollo or mercurius: config, logger,
 * database (migrated and seeded), identity verifier, Redis, then the
 * service's own `start`, listen, and an orderly stop on SIGTERM (server,
 * then what `start` registered, then Redis, then the database).
 *
 * With `--migrate-only` (`npm run migrate -w subgraphs/<name>`, for release
 * jobs) it applies pending migrations and exits instead.
 */
export async function runSubgraph<TConfig extends ServiceConfig>(definition: SubgraphDefinition<TConfig>): Promise<void> {
  const { name } = definition;
  if (process.argv.includes('--migrate-only')) return migrateOnly(definition);
  await runService<TConfig>({
    name,
    readConfig: definition.readConfig,
    start: async (runtime) => {
      const { config, logger } = runtime;
      if (!config.identityPublicKey) logger.warn('INTERNAL_IDENTITY_PUBLIC_KEY is not set: every caller is anonymous');
      const identity = await createIdentityVerifier(config.identityCallers);
      const orm = await definition.openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger, poolSize: config.databasePoolSize });
      runtime.onStop(() => orm.close());
      await prepareDatabase(definition, config, orm, logger);
      const closing = <T extends { close(): Promise<void> }>(resource: T): T => {
        runtime.onStop(() => resource.close());
        return resource;
      };
      return definition.start({
        ...runtime,
        orm,
        identity,
        production: config.nodeEnv === 'production',
        redis: (role) => {
          if (!config.redisUrl) return undefined;
          const redis = connectRedis(config.redisUrl, `${name}:${role}`, (err) => logger.warn({ err, role }, 'redis connection error'));
          runtime.onStop(() => redis.disconnect());
          return redis;
        },
        keyValueStore: (role) => {
          const store = closing(createKeyValueStore(config.redisUrl, `${name}:${role}`));
          // Without a listener ioredis prints every failed reconnect to stderr;
          // callers fall back or report failures on their own commands.
          if (store instanceof RedisKeyValueStore) store.redis.on('error', (err: Error) => logger.warn({ err, role }, 'redis connection error'));
          return store;
        },
        pubSub: (role) => closing(createPubSub(config.redisUrl, `${name}:${role}`)),
      });
    },
  });
}

async function prepareDatabase<TConfig extends ServiceConfig>(definition: SubgraphDefinition<TConfig>, config: TConfig, orm: MikroORM, logger: Logger) {
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  if (config.seedDemoData && definition.seed) {
    const seeded = await definition.seed(orm, config);
    if (Object.values(seeded).some((count) => count > 0)) logger.info({ seeded }, 'demo data seeded');
  }
}

async function migrateOnly<TConfig extends ServiceConfig>(definition: SubgraphDefinition<TConfig>): Promise<void> {
  const config = await startOrExit(definition.name, async () => definition.readConfig());
  const logger = createLogger(definition.name, config.logLevel);
  await startOrExit(definition.name, async () => {
    const orm = await definition.openDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger });
    try {
      const applied = await migrateDatabase(orm, config.databaseSchema, config.databaseUrl);
      logger.info({ applied }, applied.length ? 'migrations applied' : 'schema is up to date');
    } finally {
      await orm.close();
    }
  });
}
