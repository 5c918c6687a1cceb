import { createBatchedSlidingWindow, createSlidingWindow, HttpError, type KeyValueStore, type Logger } from '@shop/platform';

/**
 * Per-client request rate limits at the edge, in sliding one-minute windows
 * counted in Redis so every gateway replica shares them.
 *
 * The client is, in this order: the partner behind a verified API key, the
 * user behind a verified access token, else the client's address (resolved
 * through TRUSTED_PROXIES). A credential is only a client once it is verified:
 * random API keys or bearer values must not each get a fresh budget. Failed
 * credentials are counted per address instead, in a small budget of their
 * own that is checked before any verification or key lookup.
 *
 * Requests are counted locally first and written to Redis in batches (see
 * platform's batched-sliding-window.ts): a client far from its limit costs no
 * round trip of its own; one within 10% of it waits for Redis on every
 * request, so the limit holds across replicas. Refused credentials, rare and
 * with a small budget, are counted in Redis one by one.
 *
 * When Redis cannot be reached the request is let through and the failure
 * logged: a cache outage must not take the API down.
 */
export interface RateLimits {
  /** Requests per minute of one signed-in user or one partner key. */
  perClientPerMinute: number;
  /**
   * Requests per minute of anonymous traffic from one address. A carrier NAT
   * or a corporate proxy puts thousands of people behind one address, so this
   * is a ceiling for a crowd, not for a person.
   */
  anonymousPerMinute: number;
  /** Refused credentials (bad tokens, unknown API keys) per minute from one address. */
  failedCredentialsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perClientPerMinute: 1_200, anonymousPerMinute: 6_000, failedCredentialsPerMinute: 60 };

/** Whom a request's limits count against. */
export type ClientKey = { kind: 'partner' | 'user' | 'address'; id: string };

export interface RateLimiter {
  /** Counts a request of `client`; throws 429 RATE_LIMITED past its limit. */
  check(client: ClientKey): Promise<void>;
  /** Throws 429 when `address` has used up its budget of refused credentials (counts nothing). */
  assertCredentialBudget(address: string): Promise<void>;
  /** Counts a refused credential from `address`. */
  countFailedCredential(address: string): Promise<void>;
  /** Writes the requests counted so far to the store and stops counting in batches. */
  close(): Promise<void>;
}

function rateLimited(message: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, 'RATE_LIMITED', `${message} Retry in ${retryAfterSeconds} s.`, { 'retry-after': String(retryAfterSeconds) });
}

export function createRateLimiter(options: { store: KeyValueStore; limits: RateLimits; logger: Logger; now?: () => number }): RateLimiter {
  const { limits, logger } = options;
  const window = createSlidingWindow(options.store, { prefix: 'ratelimit', windowMs: 60_000, now: options.now });
  const requests = createBatchedSlidingWindow(options.store, {
    prefix: 'ratelimit',
    windowMs: 60_000,
    now: options.now,
    onError: (error) => logger.warn({ err: error }, 'rate limit store unavailable; requests counted meanwhile are dropped'),
  });
  const guarded = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      logger.warn({ err: error }, 'rate limit store unavailable; request allowed');
      return undefined;
    }
  };
  return {
    async check(client) {
      const limit = client.kind === 'address' ? limits.anonymousPerMinute : limits.perClientPerMinute;
      const result = await guarded(() => requests.hit(`${client.kind}:${client.id}`, limit));
      if (result && !result.allowed) throw rateLimited(`Too many requests: at most ${limit} per minute.`, result.retryAfterSeconds);
    },
    async assertCredentialBudget(address) {
      const result = await guarded(() => window.peek(`failed-credential:${address}`, limits.failedCredentialsPerMinute));
      if (result && !result.allowed) throw rateLimited('Too many refused credentials from this address.', result.retryAfterSeconds);
    },
    async countFailedCredential(address) {
      await guarded(() => window.hit(`failed-credential:${address}`, limits.failedCredentialsPerMinute));
    },
    close: () => requests.close(),
  };
}
