import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { migrateDatabase, sql } from '@shop/platform';
import { dropSchema, TEST_DATABASE_URL, uniqueSchemaName } from '@shop/platform/testing';
import { openDatabase } from '../src/server.ts';

const schema = uniqueSchemaName('productsmig');
const orm = await openDatabase({ url: TEST_DATABASE_URL, schema });
after(async () => {
  await orm.close();
  await dropSchema(schema);
});

it('products that existed before publish states stay public; new ones start as drafts', async () => {
  const em = orm.em.fork();
  await sql(em, `create schema if not exists "${schema}"`);
  await orm.migrator.up({ to: '001-create-products' });
  await sql(
    em,
    `insert into "${schema}".products (id, slug, name, seller_id, price_amount, currency, created_at)
     values ('0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90', 'old', 'Old', '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c', 100, 'USD', '2026-01-01T00:00:00Z')`,
  );
  assert.deepEqual(await migrateDatabase(orm, schema, TEST_DATABASE_URL), ['002-catalogue']);
  await sql(
    em,
    `insert into "${schema}".products (id, slug, name, seller_id, price_amount, currency)
     values ('11111111-2222-4333-8444-555555555555', 'new', 'New', '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c', 100, 'USD')`,
  );
  const rows = await sql<{ slug: string; status: string; published_ms: number | null }>(
    em,
    `select slug, status, (extract(epoch from published_at) * 1000)::float8 as published_ms from "${schema}".products order by slug`,
  );
  assert.deepEqual(rows, [
    { slug: 'new', status: 'DRAFT', published_ms: null },
    { slug: 'old', status: 'PUBLISHED', published_ms: Date.parse('2026-01-01T00:00:00Z') },
  ]);
});
