import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from '@shop/platform';
import { ApiClientRepository } from '../src/api-client/api-client.repository.ts';
import { DEMO_PARTNER_KEY, seedDemoPartner } from '../src/api-client/api-client.seed.ts';
import { errorsOf, startAccounts, type AccountsHarness } from './harness.ts';

const CREATE = `mutation Create($input: CreateApiClientInput!) {
  createApiClient(input: $input) { apiKey apiClient { id name keyPrefix allowedOperations createdAt revokedAt } }
}`;
const REVOKE = 'mutation Revoke($id: ID!) { revokeApiClient(id: $id) { id revokedAt } }';
const LIST = '{ apiClients { id name keyPrefix allowedOperations revokedAt } }';
const BY_KEY = 'query ByKey($key: String!) { apiClientByKey(key: $key) { id name keyPrefix allowedOperations revokedAt } }';

let harness: AccountsHarness;
let admin: Record<string, string>;
let service: Record<string, string>;

before(async () => {
  harness = await startAccounts();
  admin = await harness.as(randomUUID(), 'ADMIN');
  service = await harness.as('gateway', 'SERVICE');
});

after(() => harness?.close());

interface Row {
  id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  allowed_operations: string[];
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

async function rows(where = 'true', params: unknown[] = []): Promise<Row[]> {
  const schema = String(harness.orm.config.get('schema'));
  return sql<Row>(harness.orm.em.fork(), `select * from "${schema}".api_clients where ${where} order by created_at, id`, params);
}

async function create(name = 'Acme', allowedOperations = ['StockLevels']): Promise<{ apiKey: string; id: string }> {
  const result = await harness.post(CREATE, { input: { name, allowedOperations } }, admin);
  assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
  return { apiKey: result.body.data!.createApiClient.apiKey, id: result.body.data!.createApiClient.apiClient.id };
}

describe('createApiClient', () => {
  it('gives an admin the key once, and stores only its sha256 and first 8 characters', async () => {
    const adminId = randomUUID();
    const result = await harness.post(
      CREATE,
      { input: { name: '  Acme Retail ', allowedOperations: ['StockLevels', 'ProductList', 'StockLevels'] } },
      await harness.as(adminId, 'ADMIN'),
    );
    const created = result.body.data?.createApiClient;
    assert.match(created?.apiKey, /^pk_[\w-]{43}$/);
    assert.deepEqual(result.body, {
      data: {
        createApiClient: {
          apiKey: created.apiKey,
          apiClient: {
            id: created.apiClient.id,
            name: 'Acme Retail',
            keyPrefix: created.apiKey.slice(0, 8),
            allowedOperations: ['StockLevels', 'ProductList'],
            createdAt: created.apiClient.createdAt,
            revokedAt: null,
          },
        },
      },
    });
    assert.ok(Math.abs(Date.parse(created.apiClient.createdAt) - Date.now()) < 60_000);

    const [row, ...others] = await rows('id = ?', [created.apiClient.id]);
    assert.equal(others.length, 0);
    assert.deepEqual(
      { ...row, created_at: undefined },
      {
        id: created.apiClient.id,
        name: 'Acme Retail',
        key_hash: createHash('sha256').update(created.apiKey).digest('hex'),
        key_prefix: created.apiKey.slice(0, 8),
        allowed_operations: ['StockLevels', 'ProductList'],
        created_by: adminId,
        created_at: undefined,
        revoked_at: null,
      },
    );
    const keyBody = created.apiKey.slice(8);
    assert.ok(!JSON.stringify(await rows()).includes(keyBody), 'the key is stored in clear');

    // Nothing returns the key again: the list shows the client with its prefix only.
    const listed = await harness.post(LIST, {}, admin);
    const entry = listed.body.data!.apiClients.find((c: { id: string }) => c.id === created.apiClient.id);
    assert.deepEqual(entry, { id: created.apiClient.id, name: 'Acme Retail', keyPrefix: created.apiKey.slice(0, 8), allowedOperations: ['StockLevels', 'ProductList'], revokedAt: null });
    assert.ok(!JSON.stringify(listed.body).includes(keyBody));
  });

  it('issues a different key for every client', async () => {
    const first = await create('Twin');
    const second = await create('Twin');
    assert.notEqual(first.apiKey, second.apiKey);
    assert.notEqual(first.id, second.id);
  });

  for (const [field, input] of [
    ['input.name', { name: '  ', allowedOperations: ['StockLevels'] }],
    ['input.allowedOperations', { name: 'Acme', allowedOperations: [] }],
    ['input.allowedOperations[1]', { name: 'Acme', allowedOperations: ['StockLevels', 'Product List'] }],
    ['input.allowedOperations[0]', { name: 'Acme', allowedOperations: ['1stOperation'] }],
  ] as const) {
    it(`rejects a bad ${field} with BAD_USER_INPUT naming the field, and creates nothing`, async () => {
      const before = (await rows()).length;
      const result = await harness.post(CREATE, { input }, admin);
      assert.equal(result.body.data, null);
      assert.deepEqual(errorsOf(result)?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field }]);
      assert.equal((await rows()).length, before);
    });
  }
});

describe('admin-only API client management', () => {
  it('refuses anonymous callers, customers, sellers and services, and changes nothing', async () => {
    const { id } = await create('Untouched');
    const before = await rows();
    const callers = [
      [{}, 'UNAUTHENTICATED'],
      [await harness.as(randomUUID(), 'CUSTOMER'), 'FORBIDDEN'],
      [await harness.as(randomUUID(), 'SELLER'), 'FORBIDDEN'],
      [service, 'FORBIDDEN'],
    ] as const;
    for (const [headers, code] of callers) {
      for (const [query, variables] of [
        [CREATE, { input: { name: 'Intruder', allowedOperations: ['StockLevels'] } }],
        [REVOKE, { id }],
        [LIST, {}],
      ] as const) {
        const result = await harness.post(query, variables, headers);
        assert.equal(result.body.data, null, query);
        assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), [code], `${code} ${query}`);
      }
    }
    assert.deepEqual(await rows(), before);
  });
});

describe('apiClientByKey (the gateway’s lookup)', () => {
  it('returns the client of a live key to a SERVICE caller', async () => {
    const { apiKey, id } = await create('Lookup Ltd', ['ProductPage', 'ProductList']);
    const result = await harness.post(BY_KEY, { key: apiKey }, service);
    assert.deepEqual(result.body, {
      data: { apiClientByKey: { id, name: 'Lookup Ltd', keyPrefix: apiKey.slice(0, 8), allowedOperations: ['ProductPage', 'ProductList'], revokedAt: null } },
    });
  });

  it('returns null for a key it does not know', async () => {
    const { apiKey } = await create();
    for (const key of ['pk_made-up', apiKey.slice(0, -1), apiKey.toUpperCase(), '', 'x'.repeat(10_000)]) {
      assert.deepEqual((await harness.post(BY_KEY, { key }, service)).body, { data: { apiClientByKey: null } }, key.slice(0, 20));
    }
  });

  it('refuses callers without the SERVICE role, admins included', async () => {
    const { apiKey } = await create();
    for (const [headers, code] of [
      [{}, 'UNAUTHENTICATED'],
      [await harness.as(randomUUID(), 'CUSTOMER'), 'FORBIDDEN'],
      [await harness.as(randomUUID(), 'SELLER'), 'FORBIDDEN'],
      [admin, 'FORBIDDEN'],
    ] as const) {
      const result = await harness.post(BY_KEY, { key: apiKey }, headers);
      assert.deepEqual(result.body.data, { apiClientByKey: null });
      assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), [code]);
    }
  });

  it('is marked @inaccessible, so the supergraph keeps it out of the public API', async () => {
    const result = await harness.post('{ _service { sdl } }');
    assert.match(result.body.data!._service.sdl, /apiClientByKey\([^)]*\): ApiClient @inaccessible/);
  });
});

describe('revokeApiClient', () => {
  it('makes the key unknown to the lookup at once, keeps the first revocation date, and leaves other keys working', async () => {
    const revoked = await create('Former partner');
    const kept = await create('Current partner');
    const result = await harness.post(REVOKE, { id: revoked.id }, admin);
    const revokedAt = result.body.data?.revokeApiClient.revokedAt;
    assert.deepEqual(result.body, { data: { revokeApiClient: { id: revoked.id, revokedAt } } });
    assert.ok(Math.abs(Date.parse(revokedAt) - Date.now()) < 60_000);

    assert.deepEqual((await harness.post(BY_KEY, { key: revoked.apiKey }, service)).body, { data: { apiClientByKey: null } });
    assert.equal((await harness.post(BY_KEY, { key: kept.apiKey }, service)).body.data!.apiClientByKey.id, kept.id);

    const again = await harness.post(REVOKE, { id: revoked.id }, admin);
    assert.deepEqual(again.body, { data: { revokeApiClient: { id: revoked.id, revokedAt } } });
    const listed = await harness.post(LIST, {}, admin);
    assert.equal(listed.body.data!.apiClients.find((c: { id: string }) => c.id === revoked.id).revokedAt, revokedAt);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const result = await harness.post(REVOKE, { id }, admin);
      assert.equal(result.body.data, null);
      assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), ['NOT_FOUND'], id);
    }
  });

  it('lists clients newest first, revoked ones included', async () => {
    const older = await create('Older');
    const newer = await create('Newer');
    await harness.post(REVOKE, { id: older.id }, admin);
    const ids = (await harness.post(LIST, {}, admin)).body.data!.apiClients.map((c: { id: string }) => c.id);
    assert.ok(ids.indexOf(newer.id) < ids.indexOf(older.id), JSON.stringify(ids));
    assert.ok(ids.includes(older.id));
  });
});

describe('demo partner seed', () => {
  const demoHash = createHash('sha256').update(DEMO_PARTNER_KEY).digest('hex');

  it('inserts the demo partner once, with key demo-partner-key and the public catalogue operations', async () => {
    assert.equal((await harness.post(BY_KEY, { key: DEMO_PARTNER_KEY }, service)).body.data!.apiClientByKey, null);
    assert.equal(await seedDemoPartner(new ApiClientRepository(harness.orm.em.fork())), true);
    assert.equal(await seedDemoPartner(new ApiClientRepository(harness.orm.em.fork())), false);
    const seeded = await rows('key_hash = ?', [demoHash]);
    assert.equal(seeded.length, 1);
    assert.deepEqual(
      { name: seeded[0]!.name, keyPrefix: seeded[0]!.key_prefix, createdBy: seeded[0]!.created_by },
      { name: 'Demo partner', keyPrefix: 'demo-par', createdBy: null },
    );

    const found = await harness.post(BY_KEY, { key: DEMO_PARTNER_KEY }, service);
    assert.deepEqual(found.body, {
      data: {
        apiClientByKey: {
          id: seeded[0]!.id,
          name: 'Demo partner',
          keyPrefix: 'demo-par',
          allowedOperations: ['StockLevels', 'ProductList', 'ProductPage'],
          revokedAt: null,
        },
      },
    });
  });

  it('does not bring a revoked demo partner back', async () => {
    await seedDemoPartner(new ApiClientRepository(harness.orm.em.fork()));
    const [demo] = await rows('key_hash = ?', [demoHash]);
    await harness.post(REVOKE, { id: demo!.id }, admin);
    assert.equal(await seedDemoPartner(new ApiClientRepository(harness.orm.em.fork())), false);
    assert.equal((await rows('key_hash = ?', [demoHash])).length, 1);
    assert.deepEqual((await harness.post(BY_KEY, { key: DEMO_PARTNER_KEY }, service)).body, { data: { apiClientByKey: null } });
  });
});
