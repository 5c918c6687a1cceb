import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Test databases: every test file gets its own PostgreSQL schema on the real
 * server named by TEST_DATABASE_URL (default: local postgres), so files can
 * run in any order and leave nothing behind.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueSchemaName(prefix: string): string {
  return `test_${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
