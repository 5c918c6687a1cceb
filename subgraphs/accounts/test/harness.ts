import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createIdentitySigner,
  createIdentityVerifier,
  createLogger,
  generateIdentityKeys,
  migrateDatabase,
  RedisKeyValueStore,
  connectRedis,
  type MikroORM,
  type Role,
} from '@shop/platform';
import { dropSchema, postGraphQL, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSchemaName, type GraphQLResponse } from '@shop/platform/testing';
import type { AccountsSettings } from '../src/config.ts';
import { createServer, openDatabase } from '../src/server.ts';
import { createPasswordHasher } from '../src/user/password.ts';

/** A running accounts subgraph on its own schema, with a gateway identity key pair to act as any viewer. */
export interface AccountsHarness {
  orm: MikroORM;
  baseUrl: string;
  url: string;
  /** SQL statements the ORM sent, in order (reset it before the part a test measures). */
  statements: string[];
  /** Headers the gateway would send for `userId` with `roles`. */
  as(userId: string, ...roles: Role[]): Promise<Record<string, string>>;
  /** Headers the gateway would send for an anonymous client at `address`. */
  from(address: string): Promise<Record<string, string>>;
  /** POSTs an operation; `headers` default to none (an anonymous caller). */
  post<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startAccounts(settings: Partial<AccountsSettings> = {}): Promise<AccountsHarness> {
  const schema = uniqueSchemaName('accounts');
  const statements: string[] = [];
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, onQuery: (sql) => statements.push(sql) });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  const keys = await generateIdentityKeys();
  const signer = await createIdentitySigner(keys.privateKey);
  const store = new RedisKeyValueStore(connectRedis(TEST_REDIS_URL, 'accounts-test'));
  // Commands fail fast while the client is still connecting (no offline queue): a test's first sign-up must not race the connection.
  if (store.redis.status !== 'ready') await once(store.redis, 'ready');
  const server = await createServer({
    orm,
    logger: createLogger('accounts-test', 'silent'),
    identity: await createIdentityVerifier(keys.publicKey),
    store,
    // The lowest scrypt cost keeps the suite fast; hashing itself is covered by the unit tests.
    hasher: createPasswordHasher(10),
    settings,
  });
  const baseUrl = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const url = `${baseUrl}/graphql`;
  return {
    orm,
    baseUrl,
    url,
    statements,
    as: async (userId, ...roles) => ({ 'x-viewer-token': await signer.sign({ userId, roles }) }),
    from: async (address) => ({ 'x-viewer-token': await signer.sign(null, address) }),
    post: (query, variables = {}, headers = {}) => postGraphQL(url, query, variables, headers),
    async close() {
      await server.close();
      await store.close();
      await orm.close();
      await dropSchema(schema);
    },
  };
}

/** An email no other test (or earlier run against the same Redis) has used. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@example.com`;
}

/** A client address in the IPv6 documentation range, unique enough to keep rate-limit counters apart between tests and runs. */
export function uniqueIp(): string {
  const group = () => randomBytes(2).toString('hex');
  return `2001:db8:${group()}:${group()}:${group()}::1`;
}

export const SIGN_UP = `mutation SignUp($email: String!, $password: String!, $name: String!) {
  signUp(input: { email: $email, password: $password, name: $name }) {
    accessToken
    refreshToken
    user { id email name role }
  }
}`;

export const SIGN_IN = `mutation SignIn($email: String!, $password: String!) {
  signIn(input: { email: $email, password: $password }) {
    accessToken
    refreshToken
    user { id email name role }
  }
}`;

export interface SignedUp {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs a new customer up through the API (from its own client address) and returns its credentials and tokens. */
export async function signUp(harness: AccountsHarness, name = 'Test User'): Promise<SignedUp> {
  const email = uniqueEmail();
  const password = 'correct horse battery';
  const result = await harness.post(SIGN_UP, { email, password, name }, await harness.from(uniqueIp()));
  if (!result.body.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(result.body.errors)}`);
  const { accessToken, refreshToken, user } = result.body.data.signUp;
  return { id: user.id, email, password, accessToken, refreshToken };
}

/** The errors of a response without the development-only stack traces, for whole-value assertions. */
export function errorsOf(result: GraphQLResponse): { message: string; extensions: Record<string, unknown> }[] | undefined {
  return result.body.errors?.map(({ message, extensions = {} }) => {
    const { stacktrace: _stacktrace, ...rest } = extensions;
    return { message, extensions: rest };
  });
}
