import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError, type KeyValueStore, type Logger } from '@shop/platform';

/**
 * Per-client request rate limits at the edge, counted in Redis so every
 * gateway replica shares them (fixed one-minute windows). The client is the
 * partner's API key, else the bearer token, else the IP address. When Redis
 * cannot be reached the request is let through and the failure logged: a
 * cache outage must not take the API down.
 */
export interface RateLimiter {
  check(req: IncomingMessage): Promise<void>;
}

export function clientKey(req: IncomingMessage): string {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
  const authorization = req.headers.authorization;
  if (authorization) return `token:${createHash('sha256').update(authorization).digest('hex').slice(0, 32)}`;
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

export function createRateLimiter(options: { store: KeyValueStore; perMinute: number; logger: Logger; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  return {
    async check(req) {
      const window = Math.floor(now() / 60_000);
      let count: number;
      try {
        count = await options.store.incrWithTtl(`ratelimit:${clientKey(req)}:${window}`, 61_000);
      } catch (error) {
        options.logger.warn({ err: error }, 'rate limit store unavailable; request allowed');
        return;
      }
      if (count > options.perMinute) {
        const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - now()) / 1000));
        throw new HttpError(429, 'RATE_LIMITED', `Too many requests: at most ${options.perMinute} per minute. Retry in ${retryAfter} s.`, {
          'retry-after': String(retryAfter),
        });
      }
    },
  };
}
