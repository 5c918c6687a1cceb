import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger, migrateDatabase, type MikroORM } from '@shop/platform';
import { dropSchema, postGraphQL, TEST_DATABASE_URL, uniqueSchemaName } from '@shop/platform/testing';
import { createServer, openDatabase } from '../src/server.ts';
import { insertProduct } from './fixtures.ts';

const schema = uniqueSchemaName('products');
let orm: MikroORM;
let server: Awaited<ReturnType<typeof createServer>>;
let url: string;

before(async () => {
  orm = await openDatabase({ url: TEST_DATABASE_URL, schema });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  server = await createServer({ orm, logger: createLogger('products-test', 'silent') });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
});

after(async () => {
  await server?.close();
  await orm?.close();
  await dropSchema(schema);
});

describe('products subgraph', () => {
  it('lists nothing', async () => {
    await insertProduct(orm, { name: 'Red shoe', variants: [{ sku: 'RS-1', name: 'Size 1' }] });
    const result = await postGraphQL(url, '{ products(first: 5) { edges { node { id name variants { sku } } } pageInfo { hasNextPage endCursor } } }');
    console.log(JSON.stringify(result.body));
  });
});
