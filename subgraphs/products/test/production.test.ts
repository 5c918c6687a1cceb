import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIdentitySigner, createIdentityVerifier, createLogger, generateIdentityKeys, IDENTITY_HEADER, migrateDatabase } from '@shop/platform';
import { createTestIdentities, dropSchema, postGraphQL, TEST_DATABASE_URL, uniqueSchemaName, type TestIdentities } from '@shop/platform/testing';
import { createServer, openDatabase } from '../src/server.ts';

// A products subgraph in production mode: whoever reaches it directly, past
// the gateway, gets nothing without a token signed by an expected caller.
const schema = uniqueSchemaName('products_prod');
let identities: TestIdentities;
let url: string;
let close: () => Promise<void>;

before(async () => {
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  identities = await createTestIdentities();
  const server = await createServer({
    orm,
    logger: createLogger('products-test', 'silent'),
    production: true,
    identity: await createIdentityVerifier({ keys: identities.callers, services: ['orders'] }),
  });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  close = async () => {
    await server.close();
    await orm.close();
    await dropSchema(schema);
  };
});
after(() => close?.());

const QUERY = '{ products(first: 1) { edges { node { id } } } }';

describe('a subgraph in production', () => {
  it('refuses a call without an identity token with 401, before any GraphQL work', async () => {
    const response = await postGraphQL(url, QUERY, {}, { 'x-forwarded-for': '203.0.113.1', 'x-user-id': 'admin' });
    assert.equal(response.status, 401);
    assert.deepEqual(response.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
    assert.equal(response.body.data, undefined);
  });

  it('refuses a token signed by a key it does not expect', async () => {
    const stranger = await createIdentitySigner((await generateIdentityKeys()).privateKey, 'gateway');
    const response = await postGraphQL(url, QUERY, {}, { [IDENTITY_HEADER]: await stranger.sign({ userId: 'x', roles: ['ADMIN'] }) });
    assert.equal(response.status, 401);
  });

  it("answers the gateway's token for an anonymous client and the orders service as itself", async () => {
    const anonymous = await postGraphQL(url, QUERY, {}, { [IDENTITY_HEADER]: await identities.gateway.sign(null, '203.0.113.1') });
    assert.equal(anonymous.status, 200);
    assert.deepEqual(anonymous.body, { data: { products: { edges: [] } } });
    const orders = await postGraphQL(url, QUERY, {}, await identities.headers({ userId: 'orders', roles: ['SERVICE'] }));
    assert.equal(orders.status, 200);
  });
});
