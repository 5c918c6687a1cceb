import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migration, Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { Logger } from './logger.ts';

export { Migration };
export type { EntityManager, MikroORM };
export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface DatabaseOptions {
  url: string;
  /** PostgreSQL schema that holds every table of the service (one per subgraph). */
  schema: string;
  entities: NonNullable<Options['entities']>;
  /** Ordered migrations; names are stable identifiers recorded in the schema's migration table. */
  migrations: readonly { name: string; class: MigrationClass }[];
  poolSize?: number;
  logger?: Logger;
  /** Called with every SQL statement the ORM sends (tests count statements with it). */
  onQuery?: (sql: string) => void;
}

/**
 * Opens the service's MikroORM instance. Tables live in the service's own
 * schema; no service reads another's. Migrations are registered explicitly
 * (no file discovery) so that the same list runs from source under Node's
 * type stripping and in tests.
 */
export async function createDatabase(options: DatabaseOptions): Promise<MikroORM> {
  const { logger, onQuery } = options;
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize ?? 10 },
    migrations: {
      tableName: 'schema_migrations',
      schema: options.schema,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      migrationsList: options.migrations.map((m) => ({ name: m.name, class: m.class })),
    },
    // Statement logging is routed through our structured logger at debug level
    // and, when asked, to a counter used by the N+1 tests.
    debug: onQuery || logger?.isLevelEnabled('debug') ? ['query'] : false,
    loggerFactory: () => ({
      log: (namespace, message) => {
        if (namespace !== 'query') return;
        logger?.debug({ sql: String(message) }, 'sql');
      },
      error: (namespace, message) => logger?.error({ namespace }, String(message)),
      warn: (namespace, message) => logger?.warn({ namespace }, String(message)),
      logQuery: (context) => {
        if (context.query) onQuery?.(context.query);
        logger?.debug({ sql: context.query, took: context.took }, 'sql');
      },
      setDebugMode: () => {},
      isEnabled: (namespace) => namespace === 'query' && Boolean(onQuery || logger?.isLevelEnabled('debug')),
    }),
  });
}

/** What a service's `openDatabase` takes: the service adds its own entities and migrations. */
export type ServiceDatabaseOptions = Omit<DatabaseOptions, 'entities' | 'migrations'>;

/** A service's `openDatabase`: its ORM over its own schema, with its entities and migrations registered. */
export function serviceDatabase(entities: DatabaseOptions['entities'], migrations: DatabaseOptions['migrations']) {
  return (options: ServiceDatabaseOptions): Promise<MikroORM> => createDatabase({ ...options, entities, migrations });
}

/** Creates the service schema if needed and applies pending migrations. Returns the names applied. */
export async function migrateDatabase(orm: MikroORM, schema: string, url: string): Promise<string[]> {
  // Replicas starting together must not run the same migration twice. The
  // first takes a session advisory lock keyed by the schema on a connection of
  // its own (outside the ORM's pool, and outside any transaction, which the
  // embedded PGlite server needs); the others wait, then find nothing pending.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await lock.query(`create schema if not exists "${schema}"`);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('select pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]).catch(() => {});
    await lock.end();
  }
}

/** Readiness probe: a round trip to PostgreSQL. */
export async function pingDatabase(orm: MikroORM): Promise<void> {
  await orm.em.getConnection().execute('select 1');
}

/** Runs raw SQL (`?` placeholders) on the current transaction of `em`, or a pooled connection, and returns rows. */
export async function sql<T>(em: EntityManager, query: string, params: readonly unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(query, params, 'all', em.getTransactionContext());
}
