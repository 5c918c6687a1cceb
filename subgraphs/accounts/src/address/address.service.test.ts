import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { validateAddressInput, type AddressInput } from './address.service.ts';

const valid: AddressInput = { fullName: ' Pat ', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: ' de ' };

function rejectedField(input: AddressInput): unknown {
  try {
    validateAddressInput(input);
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    return error.extensions.field;
  }
  assert.fail('expected BAD_USER_INPUT');
}

describe('address input rules', () => {
  it('trims fields, upper-cases the country, and turns blank optional fields into null', () => {
    assert.deepEqual(validateAddressInput({ ...valid, line2: '   ', region: null }), {
      fullName: 'Pat',
      line1: '1 Main St',
      line2: null,
      city: 'Springfield',
      region: null,
      postalCode: '12345',
      country: 'DE',
      isDefault: false,
    });
  });

  it('names the wrong field', () => {
    assert.equal(rejectedField({ ...valid, country: 'DEU' }), 'input.country');
    assert.equal(rejectedField({ ...valid, country: '1A' }), 'input.country');
    assert.equal(rejectedField({ ...valid, fullName: '' }), 'input.fullName');
    assert.equal(rejectedField({ ...valid, city: '  ' }), 'input.city');
    assert.equal(rejectedField({ ...valid, postalCode: '1'.repeat(21) }), 'input.postalCode');
    assert.equal(rejectedField({ ...valid, line2: 'x'.repeat(201) }), 'input.line2');
  });
});
