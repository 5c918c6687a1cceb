import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badUserInputField } from '@shop/platform/testing';
import { validateAddressInput, type AddressInput } from './address.service.ts';

const valid: AddressInput = { fullName: ' Pat ', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: ' de ' };

const rejectedField = (input: AddressInput) => badUserInputField(() => validateAddressInput(input));

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
