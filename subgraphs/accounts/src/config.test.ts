import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, generateIdentityKeys } from '@shop/platform';
import { readConfig } from './config.ts';

const DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const badCost = (error: unknown) => error instanceof ConfigError && error.variable === 'PASSWORD_HASH_COST';

describe('accounts configuration', () => {
  it('hashes new passwords at scrypt cost 2^17 by default', () => {
    assert.equal(readConfig({ DATABASE_URL: DB }).passwordHashCost, 17);
  });

  it('refuses a password hash cost below 2^14 outside tests', async () => {
    const { publicKey } = await generateIdentityKeys();
    assert.throws(() => readConfig({ DATABASE_URL: DB, PASSWORD_HASH_COST: '10' }), badCost);
    assert.throws(() => readConfig({ DATABASE_URL: DB, NODE_ENV: 'production', PASSWORD_HASH_COST: '13', INTERNAL_IDENTITY_PUBLIC_KEY: publicKey }), badCost);
    assert.equal(readConfig({ DATABASE_URL: DB, PASSWORD_HASH_COST: '14' }).passwordHashCost, 14);
  });

  it('lets test stacks hash at 2^10, since they sign hundreds of users up', () => {
    assert.equal(readConfig({ DATABASE_URL: DB, NODE_ENV: 'test', PASSWORD_HASH_COST: '10' }).passwordHashCost, 10);
    assert.throws(() => readConfig({ DATABASE_URL: DB, NODE_ENV: 'test', PASSWORD_HASH_COST: '9' }), badCost);
  });
});
