import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { GraphQLError } from 'graphql';
import { ROLES, type Role, type Viewer } from '@shop/platform';

/**
 * Verifies client access tokens (issued by accounts) once per request at the
 * edge. Keys come from the accounts JWKS, cached, and fetched again when a
 * token names a `kid` the cache does not know (key rotation), at most once
 * per cooldown so a flood of bogus kids cannot hammer accounts.
 */
export interface AccessTokenVerifier {
  /** The viewer for an `Authorization` header value; null when there is none; throws UNAUTHENTICATED when it is bad. */
  viewerFor(authorization: string | undefined): Promise<Viewer | null>;
  /** The same, with when the token expires (ms since the epoch): a WebSocket it opened must not outlive it. */
  verify(authorization: string | undefined): Promise<VerifiedToken>;
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

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: 5_000,
  });
  const verify = async (authorization: string | undefined): Promise<VerifiedToken> => {
    {
      if (!authorization) return { viewer: null, expiresAt: undefined };
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticatedToken('the Authorization header must be "Bearer <token>"');
      try {
        const { payload } = await jwtVerify(match[1]!, jwks, { issuer: options.issuer, audience: options.audience, algorithms: ALGORITHMS });
        if (typeof payload.sub !== 'string') throw unauthenticatedToken('the token has no subject');
        const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role) && r !== 'SERVICE') : [];
        return { viewer: { userId: payload.sub, roles }, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        throw unauthenticatedToken(reasonOf(error));
      }
    }
  };
  return { verify, viewerFor: async (authorization) => (await verify(authorization)).viewer };
}
