import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createIdentitySigner, generateIdentityKeys } from '@shop/platform';
import { errorsOf, signUp, startAccounts, type AccountsHarness, type SignedUp } from './harness.ts';

const ME = '{ me { id email } }';
const ENTITY = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email addresses { id } } } }`;

let harness: AccountsHarness;
let victim: SignedUp;

before(async () => {
  harness = await startAccounts();
  victim = await signUp(harness, 'Victim');
});

after(() => harness?.close());

describe('the viewer comes only from the gateway-signed x-viewer-token', () => {
  const forgeries: [string, () => Promise<Record<string, string>>][] = [
    ['x-user-id and x-user-roles headers', async () => ({ 'x-user-id': victim.id, 'x-user-roles': 'ADMIN' })],
    ['a hand-written unsigned token', async () => ({ 'x-viewer-token': unsigned({ sub: victim.id, roles: ['ADMIN'] }) })],
    [
      'a token signed with a key other than the gateway’s',
      async () => ({ 'x-viewer-token': await (await createIdentitySigner((await generateIdentityKeys()).privateKey)).sign({ userId: victim.id, roles: ['ADMIN'] }) }),
    ],
    ['the user’s own access token (meant for the gateway)', async () => ({ 'x-viewer-token': victim.accessToken, authorization: `Bearer ${victim.accessToken}` })],
  ];

  for (const [name, headers] of forgeries) {
    it(`treats ${name} as anonymous`, async () => {
      const me = await harness.post(ME, {}, await headers());
      assert.deepEqual(me.body, { data: { me: null } });
      const entity = await harness.post(ENTITY, { representations: [{ __typename: 'User', id: victim.id }] }, await headers());
      assert.deepEqual(entity.body.data, { _entities: [{ id: victim.id, email: null, addresses: null }] });
      assert.deepEqual(errorsOf(entity)?.map((e) => e.extensions.code), ['FORBIDDEN']);
      const admin = await harness.post('mutation($id: ID!) { setUserRole(userId: $id, role: ADMIN) { id } }', { id: victim.id }, await headers());
      assert.deepEqual(errorsOf(admin)?.map((e) => e.extensions.code), ['UNAUTHENTICATED']);
    });
  }

  it('accepts a genuine gateway token (the control for the cases above)', async () => {
    const me = await harness.post(ME, {}, await harness.as(victim.id, 'CUSTOMER'));
    assert.deepEqual(me.body, { data: { me: { id: victim.id, email: victim.email } } });
    assert.equal((await harness.post('{ user(id: "' + randomUUID() + '") { id } }', {}, await harness.as(randomUUID(), 'ADMIN'))).body.errors, undefined);
  });
});

function unsigned(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...payload, iss: 'shop-gateway', aud: 'shop-subgraphs', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
}
