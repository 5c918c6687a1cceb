import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { HttpError, type Viewer } from '@shop/platform';
import type { AccessTokenVerifier } from './auth.ts';
import { clientAddress, type TrustedProxies } from './client-address.ts';
import type { PartnerDirectory } from './partners.ts';
import type { Caller } from './persisted-queries.ts';
import type { ClientKey, RateLimiter } from './rate-limit.ts';

/** Who sent a request (HTTP or WebSocket), once its credentials are verified and its limits counted. */
export interface Client {
  /** The client's network address, resolved through the trusted proxies. */
  address: string;
  /** The signed-in user, from a verified access token. */
  viewer: Viewer | null;
  /** The partner, from a known API key. */
  partner: Caller['partner'];
  /** Whom its limits count against: the partner, else the user, else the address. */
  key: ClientKey;
  /** When the access token that identified the user expires (ms since the epoch). */
  expiresAt: number | undefined;
}

export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

export interface ClientResolver {
  /**
   * Resolves and admits the client of `req`: its address, then its
   * credentials (refused with 401, counted against the address), then its
   * rate limit. Throws HttpError (401, 429, 503).
   */
  admit(req: Pick<IncomingMessage, 'headers' | 'socket'>, credentials: Credentials): Promise<Client>;
  /** Counts one more request (a subscription over an open WebSocket) against an admitted client's rate limit. */
  count(client: Client): Promise<void>;
}

export function createClientResolver(deps: { trustedProxies: TrustedProxies; verifier: AccessTokenVerifier; partners: PartnerDirectory; limiter: RateLimiter }): ClientResolver {
  const { verifier, partners, limiter } = deps;

  const verifyCredentials = async (credentials: Credentials): Promise<Pick<Client, 'viewer' | 'partner' | 'expiresAt'>> => {
    let viewer: Viewer | null;
    let expiresAt: number | undefined;
    try {
      ({ viewer, expiresAt } = await verifier.verify(credentials.authorization));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      throw new HttpError(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (!credentials.apiKey) return { viewer, partner: undefined, expiresAt };
    let partner: Caller['partner'] | null;
    try {
      partner = await partners.lookup(credentials.apiKey);
    } catch {
      throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'API keys cannot be checked right now; try again shortly.', { 'retry-after': '5' });
    }
    if (!partner) throw new HttpError(401, 'INVALID_API_KEY', 'The API key is unknown or revoked.');
    return { viewer, partner, expiresAt };
  };

  return {
    async admit(req, credentials) {
      const address = clientAddress(req, deps.trustedProxies);
      let verified: Pick<Client, 'viewer' | 'partner' | 'expiresAt'> = { viewer: null, partner: undefined, expiresAt: undefined };
      if (credentials.authorization || credentials.apiKey) {
        // An address that keeps sending bad credentials is stopped before
        // they cost a verification or a lookup in accounts. A token this
        // process verified already costs neither (and is no guess), so it
        // skips the check and its Redis round trip.
        if (credentials.apiKey || !verifier.isVerified(credentials.authorization)) await limiter.assertCredentialBudget(address);
        try {
          verified = await verifyCredentials(credentials);
        } catch (error) {
          if (error instanceof HttpError && error.status === 401) await limiter.countFailedCredential(address);
          throw error;
        }
      }
      const { viewer, partner, expiresAt } = verified;
      const key: ClientKey = partner ? { kind: 'partner', id: partner.id } : viewer ? { kind: 'user', id: viewer.userId } : { kind: 'address', id: address };
      await limiter.check(key);
      return { address, viewer, partner, key, expiresAt };
    },
    count: (client) => limiter.check(client.key),
  };
}

/** The first value of a header that may be repeated. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
