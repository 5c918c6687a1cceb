import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { errorsOf, signUp, startAccounts, type AccountsHarness } from './harness.ts';

const SET_ROLE = 'mutation SetRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }';
const REFRESH = 'mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { accessToken user { role } } }';

let harness: AccountsHarness;

before(async () => {
  harness = await startAccounts();
});

after(() => harness?.close());

describe('setUserRole', () => {
  it('lets an admin make a customer a seller; the next refreshed access token carries the new role', async () => {
    const user = await signUp(harness);
    const result = await harness.post(SET_ROLE, { userId: user.id, role: 'SELLER' }, await harness.as(randomUUID(), 'ADMIN'));
    assert.deepEqual(result.body, { data: { setUserRole: { id: user.id, role: 'SELLER' } } });
    const refreshed = await harness.post(REFRESH, { token: user.refreshToken });
    assert.equal(refreshed.body.data!.refreshSession.user.role, 'SELLER');
    assert.deepEqual(decodeJwt(refreshed.body.data!.refreshSession.accessToken).roles, ['SELLER']);
  });

  it('refuses anonymous callers, customers and sellers, and changes nothing', async () => {
    const user = await signUp(harness);
    const attempts = [
      [{}, 'UNAUTHENTICATED'],
      [await harness.as(user.id, 'CUSTOMER'), 'FORBIDDEN'],
      [await harness.as(randomUUID(), 'SELLER'), 'FORBIDDEN'],
    ] as const;
    for (const [headers, code] of attempts) {
      const result = await harness.post(SET_ROLE, { userId: user.id, role: 'ADMIN' }, headers);
      assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), [code]);
      assert.equal(result.body.data, null);
    }
    const me = await harness.post('{ me { role } }', {}, await harness.as(user.id, 'CUSTOMER'));
    assert.deepEqual(me.body, { data: { me: { role: 'CUSTOMER' } } });
  });

  it('refuses an admin changing their own role', async () => {
    const adminId = randomUUID();
    const result = await harness.post(SET_ROLE, { userId: adminId, role: 'CUSTOMER' }, await harness.as(adminId, 'ADMIN'));
    assert.deepEqual(errorsOf(result)?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'userId' }]);
  });

  it('answers NOT_FOUND for an unknown user', async () => {
    const admin = await harness.as(randomUUID(), 'ADMIN');
    for (const userId of [randomUUID(), 'not-a-uuid']) {
      const result = await harness.post(SET_ROLE, { userId, role: 'SELLER' }, admin);
      assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), ['NOT_FOUND'], userId);
    }
  });
});
