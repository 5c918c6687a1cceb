import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { errorsOf, signUp, startAccounts, type AccountsHarness } from './harness.ts';

const ISSUER = 'https://accounts.test.local';
const AUDIENCE = 'test-gateway';
const ROTATE = 'mutation { rotateSigningKey { kid algorithm signing retiredAt } }';
const RETIRE = 'mutation Retire($kid: ID!) { retireSigningKey(kid: $kid) { kid signing retiredAt } }';
const KEYS = '{ signingKeys { kid signing retiredAt } }';

let harness: AccountsHarness;
let admin: Record<string, string>;

before(async () => {
  harness = await startAccounts({ jwtIssuer: ISSUER, jwtAudience: AUDIENCE });
  admin = await harness.as(randomUUID(), 'ADMIN');
});

after(() => harness?.close());

async function fetchJwks(): Promise<{ response: Response; jwks: JSONWebKeySet }> {
  const response = await fetch(`${harness.baseUrl}/.well-known/jwks.json`);
  return { response, jwks: (await response.json()) as JSONWebKeySet };
}

/** Verifies like the gateway: keys fetched from the JWKS endpoint, issuer and audience checked. */
function verifyRemotely(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${harness.baseUrl}/.well-known/jwks.json`));
  return jwtVerify(token, jwks, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'] });
}

describe('access tokens and the JWKS', () => {
  it('publishes the signing key at /.well-known/jwks.json, cacheable for five minutes, without private members', async () => {
    const { response, jwks } = await fetchJwks();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(jwks.keys.length, 1);
    const [key] = jwks.keys;
    assert.deepEqual(Object.keys(key!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.deepEqual({ kty: key!.kty, crv: key!.crv, alg: key!.alg, use: key!.use }, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
  });

  it('signs a 15-minute EdDSA token with kid, iss, aud, sub and roles that verifies against the JWKS', async () => {
    const user = await signUp(harness);
    const { jwks } = await fetchJwks();
    const header = decodeProtectedHeader(user.accessToken);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.kid, jwks.keys[0]!.kid);
    const { payload } = await verifyRemotely(user.accessToken);
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.aud, AUDIENCE);
    assert.equal(payload.sub, user.id);
    assert.deepEqual(payload.roles, ['CUSTOMER']);
    assert.equal(payload.exp! - payload.iat!, 15 * 60);
  });

  it('does not verify a token for another audience', async () => {
    const user = await signUp(harness);
    const { jwks } = await fetchJwks();
    await assert.rejects(jwtVerify(user.accessToken, createLocalJWKSet(jwks), { issuer: ISSUER, audience: 'someone-else' }), /aud/);
  });
});

describe('signing key rotation', () => {
  it('keeps tokens signed before a rotation valid and signs new tokens with the new kid', async () => {
    const before = await signUp(harness);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;

    const rotated = await harness.post(ROTATE, {}, admin);
    assert.equal(rotated.body.errors, undefined);
    const newKey = rotated.body.data!.rotateSigningKey;
    assert.deepEqual(newKey, { kid: newKey.kid, algorithm: 'EdDSA', signing: true, retiredAt: null });
    assert.notEqual(newKey.kid, oldKid);

    const after = await signUp(harness);
    assert.equal(decodeProtectedHeader(after.accessToken).kid, newKey.kid);

    const { jwks } = await fetchJwks();
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, newKey.kid].sort());
    const local = createLocalJWKSet(jwks);
    await jwtVerify(before.accessToken, local, { issuer: ISSUER, audience: AUDIENCE });
    await jwtVerify(after.accessToken, local, { issuer: ISSUER, audience: AUDIENCE });
  });

  it('stops publishing a retired key, so its tokens no longer verify', async () => {
    const user = await signUp(harness);
    const oldKid = decodeProtectedHeader(user.accessToken).kid as string;
    await harness.post(ROTATE, {}, admin);

    const retired = await harness.post(RETIRE, { kid: oldKid }, admin);
    assert.equal(retired.body.errors, undefined);
    assert.equal(retired.body.data!.retireSigningKey.signing, false);
    assert.ok(retired.body.data!.retireSigningKey.retiredAt);

    const { jwks } = await fetchJwks();
    assert.ok(!jwks.keys.some((k) => k.kid === oldKid));
    await assert.rejects(jwtVerify(user.accessToken, createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE }), /no applicable key/i);

    const listed = await harness.post(KEYS, {}, admin);
    const entry = listed.body.data!.signingKeys.find((k: { kid: string }) => k.kid === oldKid);
    assert.equal(typeof entry.retiredAt, 'string');
    assert.equal(listed.body.data!.signingKeys.filter((k: { signing: boolean }) => k.signing).length, 1);
  });

  it('refuses to retire the key that signs now', async () => {
    const rotated = await harness.post(ROTATE, {}, admin);
    const kid = rotated.body.data!.rotateSigningKey.kid;
    const result = await harness.post(RETIRE, { kid }, admin);
    assert.deepEqual(errorsOf(result)?.map((e) => e.extensions), [{ code: 'BAD_USER_INPUT', field: 'kid' }]);
  });

  it('answers NOT_FOUND for an unknown kid', async () => {
    const result = await harness.post(RETIRE, { kid: 'no-such-kid' }, admin);
    assert.deepEqual(errorsOf(result)?.map((e) => e.extensions.code), ['NOT_FOUND']);
  });

  it('lets only admins rotate, retire or list keys', async () => {
    const { jwks } = await fetchJwks();
    const customer = await harness.as(randomUUID(), 'CUSTOMER');
    const seller = await harness.as(randomUUID(), 'SELLER');
    for (const [query, variables] of [
      [ROTATE, {}],
      [RETIRE, { kid: jwks.keys[0]!.kid }],
      [KEYS, {}],
    ] as const) {
      assert.deepEqual(errorsOf(await harness.post(query, variables))?.map((e) => e.extensions.code), ['UNAUTHENTICATED'], query);
      for (const headers of [customer, seller]) {
        assert.deepEqual(errorsOf(await harness.post(query, variables, headers))?.map((e) => e.extensions.code), ['FORBIDDEN'], query);
      }
    }
    const unchanged = await fetchJwks();
    assert.deepEqual(unchanged.jwks, jwks);
  });
});
