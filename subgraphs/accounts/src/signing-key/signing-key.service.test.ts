import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSigningKey, publicMembers } from './signing-key.service.ts';

describe('signing keys', () => {
  it('are Ed25519 pairs with a short random kid on both halves', async () => {
    const key = await generateSigningKey();
    assert.match(key.kid, /^[\w-]{11}$/);
    assert.equal(key.algorithm, 'EdDSA');
    assert.deepEqual({ kty: key.publicJwk.kty, crv: key.publicJwk.crv, kid: key.publicJwk.kid, use: key.publicJwk.use }, { kty: 'OKP', crv: 'Ed25519', kid: key.kid, use: 'sig' });
    assert.equal(key.privateJwk.kid, key.kid);
    assert.equal(typeof key.privateJwk.d, 'string');
    assert.equal(key.publicJwk.d, undefined);
    assert.notEqual((await generateSigningKey()).kid, key.kid);
  });

  it('publish only public members, even from a JWK that holds the private part', async () => {
    const key = await generateSigningKey();
    const published = publicMembers(key.privateJwk);
    assert.equal(published.d, undefined);
    assert.equal(published.x, key.publicJwk.x);
  });
});
