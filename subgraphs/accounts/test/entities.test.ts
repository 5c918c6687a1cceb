import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signUp, startAccounts, type AccountsHarness, type SignedUp } from './harness.ts';

const ENTITIES = `query Users($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name role email } }
}`;

let harness: AccountsHarness;
let alice: SignedUp;
let bob: SignedUp;

before(async () => {
  harness = await startAccounts();
  alice = await signUp(harness, 'Alice');
  bob = await signUp(harness, 'Bob');
});

after(() => harness?.close());

const ref = (id: string) => ({ __typename: 'User', id });

describe('User entity (_entities)', () => {
  it('resolves users by id in representation order, with null for a missing id, email hidden from anonymous callers', async () => {
    const missing = randomUUID();
    const result = await harness.post(ENTITIES, { representations: [ref(bob.id), ref(missing), ref(alice.id)] });
    assert.deepEqual(result.body, {
      data: {
        _entities: [
          { id: bob.id, name: 'Bob', role: 'CUSTOMER', email: null },
          null,
          { id: alice.id, name: 'Alice', role: 'CUSTOMER', email: null },
        ],
      },
    });
  });

  it('answers null for an id that is not a uuid instead of failing the whole batch', async () => {
    const result = await harness.post(ENTITIES, { representations: [ref('not-a-uuid'), ref(alice.id)] });
    assert.deepEqual(result.body, { data: { _entities: [null, { id: alice.id, name: 'Alice', role: 'CUSTOMER', email: null }] } });
  });

  it('loads every referenced user with one SQL statement', async () => {
    harness.statements.length = 0;
    const result = await harness.post(ENTITIES, { representations: [ref(alice.id), ref(bob.id), ref(randomUUID())] });
    assert.equal(result.body.errors, undefined);
    const userSelects = harness.statements.filter((sql) => /from "[^"]+"\."users"/.test(sql));
    assert.equal(userSelects.length, 1, harness.statements.join('\n'));
  });
});

describe('email visibility', () => {
  it('shows a user their own email', async () => {
    const result = await harness.post(ENTITIES, { representations: [ref(alice.id)] }, await harness.as(alice.id, 'CUSTOMER'));
    assert.deepEqual(result.body, { data: { _entities: [{ id: alice.id, name: 'Alice', role: 'CUSTOMER', email: alice.email }] } });
  });

  it("hides another user's email (null, no error) from a customer or a seller", async () => {
    for (const role of ['CUSTOMER', 'SELLER'] as const) {
      const result = await harness.post(ENTITIES, { representations: [ref(alice.id)] }, await harness.as(bob.id, role));
      assert.deepEqual(result.body, { data: { _entities: [{ id: alice.id, name: 'Alice', role: 'CUSTOMER', email: null }] } }, role);
    }
  });

  it("shows any user's email to an admin", async () => {
    const result = await harness.post(ENTITIES, { representations: [ref(alice.id), ref(bob.id)] }, await harness.as(randomUUID(), 'ADMIN'));
    assert.deepEqual(result.body.data?._entities.map((u: { email: string }) => u.email), [alice.email, bob.email]);
  });
});

describe('Query.me and Query.user', () => {
  it('me is null for an anonymous caller and the user for a signed-in one', async () => {
    const anonymous = await harness.post('{ me { id } }');
    assert.deepEqual(anonymous.body, { data: { me: null } });
    const signedIn = await harness.post('{ me { id name email role } }', {}, await harness.as(alice.id, 'CUSTOMER'));
    assert.deepEqual(signedIn.body, { data: { me: { id: alice.id, name: 'Alice', email: alice.email, role: 'CUSTOMER' } } });
  });

  it('user(id) is for admins only', async () => {
    const query = 'query($id: ID!) { user(id: $id) { id email } }';
    const asCustomer = await harness.post(query, { id: alice.id }, await harness.as(bob.id, 'CUSTOMER'));
    assert.equal(asCustomer.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.deepEqual(asCustomer.body.data, { user: null });
    const asAdmin = await harness.post(query, { id: alice.id }, await harness.as(randomUUID(), 'ADMIN'));
    assert.deepEqual(asAdmin.body, { data: { user: { id: alice.id, email: alice.email } } });
  });
});

describe('cache hints', () => {
  it("lets a user's public fields be cached for 5 minutes (a seller's name on a product page)", async () => {
    const result = await harness.post('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name role } } }', { r: [ref(alice.id)] });
    assert.deepEqual(result.body, { data: { _entities: [{ id: alice.id, name: 'Alice', role: 'CUSTOMER' }] } });
    assert.equal(result.headers.get('cache-control'), 'max-age=300, public');
  });

  it('never lets a shared cache keep an answer with an email or addresses, or what me and user(id) answer', async () => {
    const withEmail = await harness.post(ENTITIES, { representations: [ref(alice.id)] }, await harness.as(alice.id, 'CUSTOMER'));
    const withAddresses = await harness.post('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id addresses { id } } } }', { r: [ref(alice.id)] }, await harness.as(alice.id, 'CUSTOMER'));
    const me = await harness.post('{ me { id name } }', {}, await harness.as(alice.id, 'CUSTOMER'));
    const user = await harness.post('query($id: ID!) { user(id: $id) { id name } }', { id: alice.id }, await harness.as(randomUUID(), 'ADMIN'));
    for (const [name, result] of Object.entries({ withEmail, withAddresses, me, user })) {
      assert.equal(result.body.errors, undefined, name);
      assert.doesNotMatch(result.headers.get('cache-control') ?? 'no header', /public/, name);
    }
  });
});
