import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateRefreshToken, hashRefreshToken, refreshTokenExpiry } from './session.service.ts';

describe('refresh tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const token = generateRefreshToken();
    assert.match(token, /^[\w-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.notEqual(generateRefreshToken(), token);
  });

  it('are stored as their sha256, which differs from the token and is stable', () => {
    const token = generateRefreshToken();
    assert.equal(hashRefreshToken(token), hashRefreshToken(token));
    assert.notEqual(hashRefreshToken(token), token);
    assert.equal(hashRefreshToken('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('expire the given number of days after issue', () => {
    assert.equal(refreshTokenExpiry(new Date('2026-01-01T00:00:00Z'), 30).toISOString(), '2026-01-31T00:00:00.000Z');
  });
});
