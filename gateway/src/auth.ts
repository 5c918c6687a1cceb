import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ROLES, type Role, type Viewer } from '@shop/platform';

/**
 * Verifies client access tokens (issued by accounts) at the edge. Keys come
 * from the accounts JWKS, cached, and fetched again when a token names a
 * `kid` the cache does not know (key rotation), at most once per cooldown so
 * a flood of bogus kids cannot hammer accounts.
 *
 * A token that verified is remembered (by its exact text) until it expires
 * or the key set it was checked against is due to be fetched again
 * (`cacheMaxAgeMs`), whichever is first: a client sends the same token with
 * every request, and an Ed25519 verification costs about half a millisecond
 * of CPU here, the largest cost of an authenticated request at the gateway.
 * Removing a key from the JWKS therefore takes effect within
 * `cacheMaxAgeMs` for every token, as it already did for new ones.
 * Tokens that fail are not remembered.
 */
export interface AccessTokenVerifier {
  /** The viewer for an `Authorization` header value; null when there is none; throws UNAUTHENTICATED when it is bad. */
  viewerFor(authorization: string | undefined): Promise<Viewer | null>;
  /** The same, with when the token expires (ms since the epoch): a WebSocket it opened must not outlive it. */
  verify(authorization: string | undefined): Promise<VerifiedToken>;
  /** Whether `authorization` carries a token that verified and is remembered (so checking it again costs nothing). */
  isVerified(authorization: string | undefined): boolean;
  /** Signature verifications done and answers served from the verified-token cache, since start. */
  stats(): { verifications: number; cacheHits: number };
}

export interface VerifiedToken {
  viewer: Viewer | null;
  expiresAt: number | undefined;
}

export interface AccessTokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How long fetched keys are trusted before they are fetched again (ms). */
  cacheMaxAgeMs?: number;
  cooldownMs?: number;
  /** Verified tokens remembered at most (LRU). Default 100,000. */
  verifiedTokenCacheSize?: number;
  /** The clock (tests). */
  now?: () => number;
}

const ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];

export function unauthenticatedToken(reason: string): GraphQLError {
  return new GraphQLError(`Invalid access token: ${reason}`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer error="invalid_token"']]) } },
  });
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim "${error.claim}" is not valid`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was not signed by a known key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) return 'the signing algorithm is not accepted';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not match';
  if (error instanceof joseErrors.JWKSTimeout || (error instanceof Error && /fetch|ECONNREFUSED/i.test(error.message))) return 'the signing keys could not be fetched';
  return 'the token is malformed';
}

/** The token of an `Authorization: Bearer <token>` header value (scheme case-insensitive), or undefined. */
function bearerToken(authorization: string): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const keysMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cacheMaxAge: keysMaxAgeMs,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: 5_000,
  });
  const now = options.now ?? Date.now;
  // Concurrent requests with one token share its verification (the promise is cached until it settles).
  const verified = new LRUCache<string, { result: Promise<VerifiedToken>; until: number; ok?: true }>({ max: options.verifiedTokenCacheSize ?? 100_000 });
  const stats = { verifications: 0, cacheHits: 0 };

  const verifyToken = async (token: string): Promise<VerifiedToken> => {
    stats.verifications += 1;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: options.issuer, audience: options.audience, algorithms: ALGORITHMS, currentDate: new Date(now()) });
      if (typeof payload.sub !== 'string') throw unauthenticatedToken('the token has no subject');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role) && r !== 'SERVICE') : [];
      return { viewer: { userId: payload.sub, roles }, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw unauthenticatedToken(reasonOf(error));
    }
  };

  const verify = async (authorization: string | undefined): Promise<VerifiedToken> => {
    if (!authorization) return { viewer: null, expiresAt: undefined };
    const token = bearerToken(authorization);
    if (!token) throw unauthenticatedToken('the Authorization header must be "Bearer <token>"');
    const hit = verified.get(token);
    if (hit && now() < hit.until) {
      stats.cacheHits += 1;
      return hit.result;
    }
    const result = verifyToken(token);
    verified.set(token, { result, until: now() + keysMaxAgeMs });
    result.then(
      // Remembered until the token expires or its key set is due to be fetched again.
      (answer) => {
        const entry = verified.get(token);
        if (entry?.result !== result) return;
        entry.until = Math.min(entry.until, answer.expiresAt ?? entry.until);
        entry.ok = true;
      },
      () => {
        if (verified.get(token)?.result === result) verified.delete(token);
      },
    );
    return result;
  };
  const isVerified = (authorization: string | undefined): boolean => {
    const token = authorization ? bearerToken(authorization) : undefined;
    const entry = token ? verified.peek(token) : undefined;
    return Boolean(entry?.ok && now() < entry.until);
  };
  return { verify, isVerified, viewerFor: async (authorization) => (await verify(authorization)).viewer, stats: () => ({ ...stats }) };
}
