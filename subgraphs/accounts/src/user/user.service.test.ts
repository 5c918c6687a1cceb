import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badUserInputField } from '@shop/platform/testing';
import { normalizeEmail, validateEmail, validateName, validatePassword } from './user.service.ts';


describe('user input rules', () => {
  it('normalizes emails by trimming and lower-casing', () => {
    assert.equal(normalizeEmail('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
  });

  it('accepts ordinary email addresses and returns them normalized', () => {
    assert.equal(validateEmail(' A+tag@mail.example.org', 'input.email'), 'a+tag@mail.example.org');
  });

  for (const email of ['', 'plain', 'no-domain@', '@no-local.com', 'two@@example.com', 'spa ce@example.com', 'nodot@localhost', 'trailing@example.']) {
    it(`rejects "${email}" naming the field`, () => {
      assert.equal(badUserInputField(() => validateEmail(email, 'input.email')), 'input.email');
    });
  }

  it('rejects an email longer than 254 characters', () => {
    assert.equal(badUserInputField(() => validateEmail(`${'a'.repeat(250)}@example.com`, 'input.email')), 'input.email');
  });

  it('wants passwords of 8 to 256 characters, counted as characters not bytes', () => {
    assert.equal(validatePassword('12345678', 'input.password'), '12345678');
    assert.equal(validatePassword('ééééééé€', 'input.password'), 'ééééééé€');
    assert.equal(badUserInputField(() => validatePassword('1234567', 'input.password')), 'input.password');
    assert.equal(badUserInputField(() => validatePassword('x'.repeat(257), 'input.password')), 'input.password');
  });

  it('trims names and refuses empty or overlong ones', () => {
    assert.equal(validateName('  Ada  ', 'input.name'), 'Ada');
    assert.equal(badUserInputField(() => validateName(' \t ', 'input.name')), 'input.name');
    assert.equal(badUserInputField(() => validateName('x'.repeat(101), 'input.name')), 'input.name');
  });
});
