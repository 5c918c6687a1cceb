import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { createPasswordHasher } from '../src/user/password.ts';
import { UserRepository } from '../src/user/user.repository.ts';
import { seedDemoUsers } from '../src/user/user.seed.ts';
import { SIGN_IN, startAccounts, uniqueIp, type AccountsHarness } from './harness.ts';

let harness: AccountsHarness;
const demo = loadDemoData();

before(async () => {
  harness = await startAccounts();
});

after(() => harness?.close());

describe('demo users seed', () => {
  it('inserts the demo users once, with their ids and roles, signing in with the demo password', async () => {
    const hasher = createPasswordHasher(10);
    assert.equal(await seedDemoUsers(new UserRepository(harness.orm.em.fork()), demo, hasher), demo.users.length);
    assert.equal(await seedDemoUsers(new UserRepository(harness.orm.em.fork()), demo, hasher), 0);

    for (const user of demo.users) {
      const result = await harness.post(SIGN_IN, { email: user.email, password: DEMO_PASSWORD }, await harness.from(uniqueIp()));
      assert.equal(result.body.errors, undefined, user.email);
      assert.deepEqual(result.body.data!.signIn.user, { id: user.id, email: user.email, name: user.name, role: user.role });
    }
  });
});
