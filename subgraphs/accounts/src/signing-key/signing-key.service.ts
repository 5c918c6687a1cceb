import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { badUserInput, notFound, requireRole, type Viewer } from '@shop/platform';
import type { SigningKey } from './signing-key.entity.ts';
import type { SigningKeyRepository } from './signing-key.repository.ts';

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * Imported private keys by kid, kept for the life of the server: a kid always
 * names the same key, so the import (the costly part) happens once per key
 * and process, while which key signs is read from the database every time.
 */
export type SigningKeyCache = Map<string, Promise<CryptoKey>>;

export interface SignedAccessToken {
  token: string;
  kid: string;
  expiresAt: Date;
}

/** A fresh Ed25519 key pair with a short random kid, as JWKs ready to store. */
export async function generateSigningKey(): Promise<Pick<SigningKey, 'kid' | 'algorithm' | 'privateJwk' | 'publicJwk'>> {
  const kid = randomBytes(8).toString('base64url');
  const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALGORITHM };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  return { kid, algorithm: ACCESS_TOKEN_ALGORITHM, privateJwk, publicJwk };
}

/** What admins see of a key: never the key material itself. */
export interface SigningKeyInfo {
  kid: string;
  algorithm: string;
  createdAt: Date;
  retiredAt: Date | null;
  /** True for the key that signs new tokens. */
  signing: boolean;
}

function info(key: SigningKey, signingKid: string | undefined): SigningKeyInfo {
  return { kid: key.kid, algorithm: key.algorithm, createdAt: key.createdAt, retiredAt: key.retiredAt ?? null, signing: key.kid === signingKid };
}

/** Only the public members of a stored public JWK: nothing private can leak into the JWKS even from a bad row. */
export function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, kid, alg, use } = jwk;
  return { kty, crv, x, kid, alg, use };
}

/**
 * Access-token signing keys: the newest non-retired key signs; every
 * non-retired key is published, so tokens signed before a rotation stay
 * verifiable until their key is retired (retire a key only once the tokens it
 * signed have expired, i.e. 15 minutes after the rotation).
 */
export class SigningKeyService {
  readonly #repository: SigningKeyRepository;
  readonly #cache: SigningKeyCache;
  readonly #options: AccessTokenOptions;
  constructor(repository: SigningKeyRepository, cache: SigningKeyCache, options: AccessTokenOptions) {
    this.#repository = repository;
    this.#cache = cache;
    this.#options = options;
  }

  /** The key that signs now; creates the first one when there is none, so a fresh install needs no setup. */
  async ensureSigningKey(): Promise<SigningKey> {
    return (await this.#repository.findNewestActive()) ?? this.#repository.insert(await generateSigningKey());
  }

  /** Admin: creates a new key that signs from now on; older keys stay published until retired. */
  async rotate(viewer: Viewer | null): Promise<SigningKeyInfo> {
    requireRole(viewer, 'ADMIN');
    const key = await this.#repository.insert(await generateSigningKey());
    return info(key, key.kid);
  }

  /** Admin: stops publishing a key; tokens it signed no longer verify. The key that signs now cannot be retired. */
  async retire(viewer: Viewer | null, kid: string): Promise<SigningKeyInfo> {
    requireRole(viewer, 'ADMIN');
    const current = await this.#repository.findNewestActive();
    if (current?.kid === kid) throw badUserInput('This key signs new tokens; rotate to a new key before retiring it.', 'kid');
    const retired = await this.#repository.retire(kid);
    if (!retired) throw notFound(`No signing key with kid "${kid}".`);
    return info(retired, current?.kid);
  }

  /** Admin: every key, newest first, retired ones included. */
  async list(viewer: Viewer | null): Promise<SigningKeyInfo[]> {
    requireRole(viewer, 'ADMIN');
    const keys = await this.#repository.findAll();
    const signingKid = keys.find((key) => !key.retiredAt)?.kid;
    return keys.map((key) => info(key, signingKid));
  }

  /** The JWKS: public halves of every non-retired key. */
  async publicKeySet(): Promise<JSONWebKeySet> {
    const keys = await this.#repository.findActive();
    return { keys: keys.map((key) => publicMembers(key.publicJwk)) };
  }

  async signAccessToken(subject: { id: string; roles: readonly string[] }): Promise<SignedAccessToken> {
    const key = await this.ensureSigningKey();
    let privateKey = this.#cache.get(key.kid);
    if (!privateKey) {
      privateKey = importJWK(key.privateJwk, key.algorithm) as Promise<CryptoKey>;
      this.#cache.set(key.kid, privateKey);
      // A failed import must not stay cached: the next sign-in tries again.
      privateKey.catch(() => this.#cache.delete(key.kid));
    }
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + this.#options.ttlSeconds;
    const token = await new SignJWT({ roles: [...subject.roles] })
      .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.#options.issuer)
      .setAudience(this.#options.audience)
      .setSubject(subject.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(await privateKey);
    return { token, kid: key.kid, expiresAt: new Date(expiresAt * 1000) };
  }
}
