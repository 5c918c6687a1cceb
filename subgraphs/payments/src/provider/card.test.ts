import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardBrand, InvalidCardError, normalizeCardNumber, passesLuhn, validateCard } from './card.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const valid = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' };

function fieldOf(card: Partial<typeof valid>): string | undefined {
  try {
    validateCard({ ...valid, ...card }, NOW);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof InvalidCardError);
    return error.field;
  }
}

describe('card checks', () => {
  it('accepts numbers with a correct Luhn check digit and refuses a one-digit change', () => {
    for (const number of ['4242424242424242', '4000000000000002', '4000000000009995', '4000000000000119', '5555555555554444', '378282246310005']) {
      assert.equal(passesLuhn(number), true, number);
    }
    assert.equal(passesLuhn('4242424242424241'), false);
    assert.equal(passesLuhn('4242424242424252'), false);
  });

  it('ignores spaces and dashes typed between digit groups', () => {
    assert.equal(normalizeCardNumber(' 4242-4242 4242-4242 '), '4242424242424242');
  });

  it('tells the brand from the number prefix', () => {
    assert.equal(cardBrand('4242424242424242'), 'visa');
    assert.equal(cardBrand('5555555555554444'), 'mastercard');
    assert.equal(cardBrand('2223003122003222'), 'mastercard');
    assert.equal(cardBrand('378282246310005'), 'amex');
    assert.equal(cardBrand('6011111111111117'), 'discover');
    assert.equal(cardBrand('9999999999999995'), 'unknown');
  });

  it('returns digits, brand and last 4 of a valid card', () => {
    assert.deepEqual(validateCard(valid, NOW), { number: '4242424242424242', brand: 'visa', last4: '4242' });
  });

  it('names the field that is wrong', () => {
    assert.equal(fieldOf({ number: '4242424242424241' }), 'number');
    assert.equal(fieldOf({ number: '4242' }), 'number');
    assert.equal(fieldOf({ number: '4242x42424242424' }), 'number');
    assert.equal(fieldOf({ expMonth: 0 }), 'expMonth');
    assert.equal(fieldOf({ expMonth: 13 }), 'expMonth');
    assert.equal(fieldOf({ expYear: 30 }), 'expYear');
    assert.equal(fieldOf({ cvc: '12' }), 'cvc');
    assert.equal(fieldOf({ cvc: '12a' }), 'cvc');
  });

  it('keeps a card valid through the last day of its expiry month and refuses it after', () => {
    assert.equal(fieldOf({ expYear: 2026, expMonth: 6 }), undefined);
    assert.equal(fieldOf({ expYear: 2026, expMonth: 5 }), 'expMonth');
    assert.equal(fieldOf({ expYear: 2025, expMonth: 12 }), 'expYear');
    assert.equal(validateCard({ ...valid, expYear: 2026, expMonth: 6 }, new Date('2026-06-30T23:59:59Z')).last4, '4242');
  });

  it('wants a 4-digit security code for amex and 3 digits for the others', () => {
    assert.equal(fieldOf({ number: '378282246310005', cvc: '123' }), 'cvc');
    assert.equal(fieldOf({ number: '378282246310005', cvc: '1234' }), undefined);
    assert.equal(fieldOf({ cvc: '1234' }), 'cvc');
  });
});
