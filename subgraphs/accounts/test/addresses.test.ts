import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorsOf, signUp, startAccounts, type AccountsHarness } from './harness.ts';

const ADD = `mutation Add($input: AddressInput!) {
  addAddress(input: $input) { id fullName line1 line2 city region postalCode country isDefault }
}`;
const SET_DEFAULT = 'mutation SetDefault($id: ID!) { setDefaultAddress(id: $id) { id isDefault } }';
const MY_ADDRESSES = '{ me { id addresses { id city isDefault } } }';
const ENTITY_ADDRESSES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name addresses { id } } }
}`;

let harness: AccountsHarness;

before(async () => {
  harness = await startAccounts();
});

after(() => harness?.close());

const address = (city: string, extra: Record<string, unknown> = {}) => ({
  fullName: 'Pat Doe',
  line1: '1 Main St',
  city,
  postalCode: '12345',
  country: 'us',
  ...extra,
});

describe('address book', () => {
  it('adds addresses trimmed and with an upper-case country; the first one becomes the default', async () => {
    const user = await signUp(harness);
    const headers = await harness.as(user.id, 'CUSTOMER');
    const first = await harness.post(ADD, { input: address('  Springfield ', { line2: '  ', region: 'IL' }) }, headers);
    assert.deepEqual(first.body, {
      data: {
        addAddress: {
          id: first.body.data!.addAddress.id,
          fullName: 'Pat Doe',
          line1: '1 Main St',
          line2: null,
          city: 'Springfield',
          region: 'IL',
          postalCode: '12345',
          country: 'US',
          isDefault: true,
        },
      },
    });
    const second = await harness.post(ADD, { input: address('Shelbyville') }, headers);
    assert.equal(second.body.data!.addAddress.isDefault, false);

    const mine = await harness.post(MY_ADDRESSES, {}, headers);
    assert.deepEqual(mine.body.data!.me.addresses, [
      { id: first.body.data!.addAddress.id, city: 'Springfield', isDefault: true },
      { id: second.body.data!.addAddress.id, city: 'Shelbyville', isDefault: false },
    ]);
  });

  it('moves the default when a new address asks for it or setDefaultAddress names another one', async () => {
    const user = await signUp(harness);
    const headers = await harness.as(user.id, 'CUSTOMER');
    const a = (await harness.post(ADD, { input: address('A') }, headers)).body.data!.addAddress.id;
    const b = (await harness.post(ADD, { input: address('B', { isDefault: true }) }, headers)).body.data!.addAddress.id;
    const defaults = async () =>
      (await harness.post(MY_ADDRESSES, {}, headers)).body.data!.me.addresses.filter((x: { isDefault: boolean }) => x.isDefault).map((x: { id: string }) => x.id);
    assert.deepEqual(await defaults(), [b]);
    const result = await harness.post(SET_DEFAULT, { id: a }, headers);
    assert.deepEqual(result.body, { data: { setDefaultAddress: { id: a, isDefault: true } } });
    assert.deepEqual(await defaults(), [a]);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field', async () => {
    const user = await signUp(harness);
    const headers = await harness.as(user.id, 'CUSTOMER');
    const badCountry = await harness.post(ADD, { input: address('X', { country: 'USA' }) }, headers);
    assert.deepEqual(errorsOf(badCountry)?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'input.country' }]);
    const emptyLine = await harness.post(ADD, { input: address('X', { line1: ' ' }) }, headers);
    assert.deepEqual(errorsOf(emptyLine)?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'input.line1' }]);
  });

  it('requires a signed-in user to add an address', async () => {
    const result = await harness.post(ADD, { input: address('X') });
    assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), ['UNAUTHENTICATED']);
  });
});

describe('address privacy', () => {
  it("refuses another user's addresses with FORBIDDEN on the field only, and shows them to the owner and admins", async () => {
    const owner = await signUp(harness, 'Owner');
    const stranger = await signUp(harness, 'Stranger');
    const added = await harness.post(ADD, { input: address('Home') }, await harness.as(owner.id, 'CUSTOMER'));
    const addressId = added.body.data!.addAddress.id;
    const representations = [{ __typename: 'User', id: owner.id }];

    for (const headers of [{}, await harness.as(stranger.id, 'CUSTOMER'), await harness.as(stranger.id, 'SELLER')]) {
      const result = await harness.post(ENTITY_ADDRESSES, { representations }, headers);
      assert.deepEqual(result.body.data, { _entities: [{ id: owner.id, name: 'Owner', addresses: null }] });
      assert.deepEqual(
        errorsOf(result)?.map((e) => ({ code: e.extensions.code, path: result.body.errors![0]!.path })),
        [{ code: 'FORBIDDEN', path: ['_entities', 0, 'addresses'] }],
      );
    }
    for (const headers of [await harness.as(owner.id, 'CUSTOMER'), await harness.as(randomUUID(), 'ADMIN')]) {
      const result = await harness.post(ENTITY_ADDRESSES, { representations }, headers);
      assert.deepEqual(result.body, { data: { _entities: [{ id: owner.id, name: 'Owner', addresses: [{ id: addressId }] }] } });
    }
  });

  it("answers NOT_FOUND when someone makes another user's address their default, and changes nothing", async () => {
    const owner = await signUp(harness);
    const other = await signUp(harness);
    const ownerHeaders = await harness.as(owner.id, 'CUSTOMER');
    await harness.post(ADD, { input: address('First') }, ownerHeaders);
    const second = (await harness.post(ADD, { input: address('Second') }, ownerHeaders)).body.data!.addAddress.id;
    const result = await harness.post(SET_DEFAULT, { id: second }, await harness.as(other.id, 'CUSTOMER'));
    assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), ['NOT_FOUND']);
    const mine = await harness.post(MY_ADDRESSES, {}, ownerHeaders);
    assert.deepEqual(mine.body.data!.me.addresses.map((a: { isDefault: boolean }) => a.isDefault), [true, false]);
  });

  it('loads the address books of many users with one SQL statement', async () => {
    const users = await Promise.all([signUp(harness), signUp(harness), signUp(harness)]);
    for (const user of users) await harness.post(ADD, { input: address('Town') }, await harness.as(user.id, 'CUSTOMER'));
    harness.statements.length = 0;
    const result = await harness.post(
      ENTITY_ADDRESSES,
      { representations: users.map((u) => ({ __typename: 'User', id: u.id })) },
      await harness.as(randomUUID(), 'ADMIN'),
    );
    assert.equal(result.body.errors, undefined);
    assert.deepEqual(result.body.data!._entities.map((u: { addresses: unknown[] }) => u.addresses.length), [1, 1, 1]);
    assert.equal(harness.statements.filter((sql) => /from "[^"]+"\."addresses"/.test(sql)).length, 1, harness.statements.join('\n'));
  });
});
