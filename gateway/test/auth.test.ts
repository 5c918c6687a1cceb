import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { connectRedis, createLogger, HttpError, RedisKeyValueStore, redisReady } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '../src/auth.ts';
import { parseTrustedProxies } from '../src/client-address.ts';
import { createClientResolver } from '../src/client-identity.ts';
import { createPartnerDirectory } from '../src/partners.ts';
import { createRateLimiter } from '../src/rate-limit.ts';

// The access-token pitfalls, each against a real JWKS endpoint over HTTP.
const ISSUER = 'https://accounts.test';
const AUDIENCE = 'shop-gateway';
let server: Server;
let published: JWK[] = [];
let jwksUrl: string;
let key: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey };
let verifier: AccessTokenVerifier;

async function newKey(kid: string) {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, ...pair };
}
async function publish(...keys: { kid: string; publicKey: CryptoKey }[]) {
  published = await Promise.all(keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: 'EdDSA', use: 'sig' })));
}
function token(claims: Record<string, unknown> = {}, options: { kid?: string; key?: CryptoKey; iss?: string; aud?: string; exp?: string | number; nbf?: string | number } = {}) {
  const jwt = new SignJWT({ roles: ['CUSTOMER'], ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? key.kid })
    .setSubject('user-1')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m');
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.key ?? key.privateKey);
}
async function rejection(authorization: string): Promise<GraphQLError> {
  const error = await verifier.viewerFor(authorization).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof GraphQLError, `expected a rejection, got ${String(error)}`);
  assert.equal(error.extensions.code, 'UNAUTHENTICATED');
  return error;
}
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

before(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  key = await newKey('key-1');
  await publish(key);
  verifier = createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: 200, cooldownMs: 0 });
});
after(() => server?.close());

describe('access token verification at the gateway', () => {
  it('accepts a valid token and returns the viewer with its roles', async () => {
    assert.deepEqual(await verifier.viewerFor(`Bearer ${await token()}`), { userId: 'user-1', roles: ['CUSTOMER'] });
  });

  it('treats a request without Authorization as anonymous', async () => {
    assert.equal(await verifier.viewerFor(undefined), null);
  });

  it('never grants the internal SERVICE role from a client token', async () => {
    assert.deepEqual(await verifier.viewerFor(`Bearer ${await token({ roles: ['SERVICE', 'CUSTOMER'] })}`), { userId: 'user-1', roles: ['CUSTOMER'] });
  });

  it('rejects alg "none"', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    await rejection(`Bearer ${unsigned}`);
  });

  it('rejects HS256 signed with the public key as the HMAC secret', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
    const forged = await new SignJWT({ roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(secret);
    const error = await rejection(`Bearer ${forged}`);
    assert.match(error.message, /algorithm/);
  });

  it('rejects an expired token', async () => {
    const error = await rejection(`Bearer ${await token({}, { exp: Math.floor(Date.now() / 1000) - 60 })}`);
    assert.match(error.message, /expired/);
  });

  it('rejects a token that is not yet valid', async () => {
    const error = await rejection(`Bearer ${await token({}, { nbf: Math.floor(Date.now() / 1000) + 600 })}`);
    assert.match(error.message, /nbf/);
  });

  it('rejects the wrong issuer', async () => {
    const error = await rejection(`Bearer ${await token({}, { iss: 'https://evil.test' })}`);
    assert.match(error.message, /iss/);
  });

  it('rejects the wrong audience', async () => {
    const error = await rejection(`Bearer ${await token({}, { aud: 'someone-else' })}`);
    assert.match(error.message, /aud/);
  });

  it('rejects an unknown kid', async () => {
    const stranger = await newKey('key-unknown');
    const error = await rejection(`Bearer ${await token({}, { kid: stranger.kid, key: stranger.privateKey })}`);
    assert.match(error.message, /known key/);
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await token()).split('.');
    const payload = b64({ sub: 'user-1', roles: ['ADMIN'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 });
    const error = await rejection(`Bearer ${header}.${payload}.${signature}`);
    assert.match(error.message, /signature/);
  });

  it('rejects a malformed Authorization header', async () => {
    await rejection('Basic dXNlcjpwYXNz');
  });

  it('verifies a token once and answers its later requests from the verified-token cache, concurrent ones included', async () => {
    const own = createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: 60_000, cooldownMs: 0 });
    const authorization = `Bearer ${await token()}`;
    const viewers = await Promise.all([own.viewerFor(authorization), own.viewerFor(authorization)]);
    assert.deepEqual(viewers, [{ userId: 'user-1', roles: ['CUSTOMER'] }, { userId: 'user-1', roles: ['CUSTOMER'] }]);
    assert.deepEqual(await own.viewerFor(authorization), { userId: 'user-1', roles: ['CUSTOMER'] });
    assert.deepEqual(own.stats(), { verifications: 1, cacheHits: 2 });
  });

  it('says a token is verified only once it verified, not while it is being checked, after it fails or past its expiry', async () => {
    let clock = Date.now();
    const own = createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: 60 * 60_000, cooldownMs: 0, now: () => clock });
    const authorization = `Bearer ${await token({}, { exp: Math.floor(clock / 1000) + 60 })}`;
    assert.equal(own.isVerified(authorization), false);
    const checking = own.viewerFor(authorization);
    assert.equal(own.isVerified(authorization), false, 'not while its verification runs');
    await checking;
    assert.equal(own.isVerified(authorization), true);
    assert.equal(own.isVerified(`bearer   ${authorization.slice(7)}`), true, 'the scheme is case-insensitive');
    assert.equal(own.isVerified(undefined), false);
    const tampered = `${authorization.slice(0, -4)}AAAA`;
    await own.viewerFor(tampered).catch(() => {});
    assert.equal(own.isVerified(tampered), false);
    clock += 61_000;
    assert.equal(own.isVerified(authorization), false, 'not past its expiry');
  });

  it('stops accepting a remembered token once it expires, and never remembers a token that failed', async () => {
    let clock = Date.now();
    const own = createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: 60 * 60_000, cooldownMs: 0, now: () => clock });
    const authorization = `Bearer ${await token({}, { exp: Math.floor(clock / 1000) + 60 })}`;
    assert.equal((await own.viewerFor(authorization))?.userId, 'user-1');
    clock += 61_000;
    const expired = await own.viewerFor(authorization).then(
      () => undefined,
      (e: unknown) => e as GraphQLError,
    );
    assert.match(String(expired?.message), /expired/);
    assert.equal(expired?.extensions.code, 'UNAUTHENTICATED');
    // Two verifications: the remembered answer was not served past the expiry, and the failure was not remembered either.
    await own.viewerFor(authorization).catch(() => {});
    assert.deepEqual(own.stats(), { verifications: 3, cacheHits: 0 });
  });

  it('picks up a rotated key and stops accepting a key removed from the JWKS once the cache expires', async () => {
    const rotated = await newKey('key-2');
    await publish(key, rotated);
    assert.equal((await verifier.viewerFor(`Bearer ${await token({}, { kid: rotated.kid, key: rotated.privateKey })}`))?.userId, 'user-1');

    const signedByOld = await token();
    await publish(rotated);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rejection(`Bearer ${signedByOld}`);
  });
});

describe('the budget of refused credentials per address', () => {
  it('stops an address that keeps sending bad tokens, but lets a token the gateway already verified through from it', async () => {
    const logger = createLogger('gateway-test', 'silent');
    const redis = connectRedis(TEST_REDIS_URL, 'auth-test');
    await redisReady(redis); // the connection fails commands fast until then, and the limiter lets requests through when its store fails
    const store = new RedisKeyValueStore(redis);
    const limiter = createRateLimiter({ store, limits: { perClientPerMinute: 1_000, anonymousPerMinute: 1_000, failedCredentialsPerMinute: 2 }, logger });
    const resolver = createClientResolver({
      trustedProxies: parseTrustedProxies(['127.0.0.1/32']),
      verifier: createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, cooldownMs: 0 }),
      // No API key is sent: the directory is never asked.
      partners: createPartnerDirectory({ accountsUrl: 'http://127.0.0.1:9/graphql', signer: undefined, logger }),
      limiter,
    });
    try {
      const [a, b] = randomUUID().split('-');
      const address = `2001:db8:${a!.slice(0, 4)}:${b}::1`; // an address of its own: no other run's refusals count
      const req = { headers: { 'x-forwarded-for': address }, socket: { remoteAddress: '127.0.0.1' } } as never;
      const status = (authorization: string) =>
        resolver.admit(req, { authorization }).then(
          () => 200,
          (error: unknown) => (error instanceof HttpError ? error.status : 500),
        );
      // A key of its own: the tests above rotate and withdraw theirs.
      const own = await newKey('budget-key');
      await publish(own);
      const good = `Bearer ${await token({}, { kid: own.kid, key: own.privateKey })}`;
      assert.equal(await status(good), 200);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await status(`Bearer ${await token({}, { key: (await newKey('forged')).privateKey })}`));
      assert.deepEqual(statuses, [401, 401, 429], 'two refused, then the address is stopped before a third verification');
      assert.equal(await status(`Bearer ${await token({ fresh: true }, { kid: own.kid, key: own.privateKey })}`), 429, 'a token not verified yet is not checked from a stopped address');
      assert.equal(await status(good), 200, 'a token verified already is no guess: it goes through');
    } finally {
      await limiter.close();
      await store.close();
    }
  });
});
