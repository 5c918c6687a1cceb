import { randomUUID } from 'node:crypto';
import {
  createIdentitySigner,
  createIdentityVerifier,
  createLogger,
  generateIdentityKeys,
  IDENTITY_HEADER,
  migrateDatabase,
  type MikroORM,
  type Role,
  type Viewer,
} from '@shop/platform';
import { dropSchema, postGraphQL, TEST_DATABASE_URL, uniqueSchemaName, type GraphQLResponse } from '@shop/platform/testing';
import { createServer, openDatabase } from '../src/server.ts';

/**
 * One products subgraph per test file, on its own PostgreSQL schema, with a
 * real gateway-style identity key pair, a clock the test can move, and every
 * SQL statement recorded (for the N+1 tests).
 */
export interface Harness {
  orm: MikroORM;
  url: string;
  /** The clock live sales are judged by: set `clock.now` to move it. */
  clock: { now: Date };
  /** SQL statements sent since the last `statements.length = 0`. */
  statements: string[];
  viewer(role: Role, userId?: string): Viewer;
  request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, viewer?: Viewer | null): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const schema = uniqueSchemaName(name);
  const statements: string[] = [];
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, onQuery: (sql) => statements.push(sql) });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  const keys = await generateIdentityKeys();
  const signer = await createIdentitySigner(keys.privateKey);
  const clock = { now: new Date() };
  const server = await createServer({
    orm,
    logger: createLogger('products-test', 'silent'),
    identity: await createIdentityVerifier(keys.publicKey),
    clock: () => clock.now,
  });
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  return {
    orm,
    url,
    clock,
    statements,
    viewer: (role, userId = randomUUID()) => ({ userId, roles: [role] }),
    async request(query, variables = {}, viewer = null) {
      const headers: Record<string, string> = viewer ? { [IDENTITY_HEADER]: await signer.sign(viewer) } : {};
      return postGraphQL(url, query, variables, headers);
    },
    async close() {
      await server.close();
      await orm.close();
      await dropSchema(schema);
    },
  };
}
