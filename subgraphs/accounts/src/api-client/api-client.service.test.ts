import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badUserInputField } from '@shop/platform/testing';
import { generateApiKey, hashApiKey, keyPrefixOf, validateAllowedOperations } from './api-client.service.ts';


describe('API keys', () => {
  it('are pk_ and 32 random bytes in base64url, different every time', () => {
    const key = generateApiKey();
    assert.match(key, /^pk_[\w-]{43}$/);
    assert.equal(Buffer.from(key.slice(3), 'base64url').length, 32);
    assert.notEqual(generateApiKey(), key);
  });

  it('are stored as their sha256 in lower-case hex, with their first 8 characters for display', () => {
    assert.equal(hashApiKey('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = generateApiKey();
    assert.match(hashApiKey(key), /^[0-9a-f]{64}$/);
    assert.equal(keyPrefixOf(key), key.slice(0, 8));
    assert.equal(keyPrefixOf('demo-partner-key'), 'demo-par');
  });
});

describe('allowed operations', () => {
  it('keeps GraphQL operation names once each, in the order given', () => {
    assert.deepEqual(validateAllowedOperations(['ProductList', '_Internal2', 'StockLevels', 'ProductList'], 'ops'), ['ProductList', '_Internal2', 'StockLevels']);
  });

  it('refuses an empty list naming the field', () => {
    assert.equal(badUserInputField(() => validateAllowedOperations([], 'input.allowedOperations')), 'input.allowedOperations');
  });

  for (const name of ['', '1Product', 'Product List', 'Product-List', 'query ProductList', 'Prodüct', 'x'.repeat(101)]) {
    it(`refuses "${name.slice(0, 20)}" naming the element`, () => {
      assert.equal(badUserInputField(() => validateAllowedOperations(['StockLevels', name], 'input.allowedOperations')), 'input.allowedOperations[1]');
    });
  }

  it('refuses more than 100 distinct operations', () => {
    const names = Array.from({ length: 101 }, (_, i) => `Op${i}`);
    assert.equal(validateAllowedOperations(names.slice(0, 100), 'ops').length, 100);
    assert.equal(badUserInputField(() => validateAllowedOperations(names, 'ops')), 'ops');
  });
});
