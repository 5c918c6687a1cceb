import type { KeyValueStore } from './redis.ts';

/**
 * A sliding-window rate counter in the shared key-value store (Redis in
 * production, so every replica counts together).
 *
 * The count over the last `windowMs` is estimated from two fixed windows: the
 * current one in full, plus the previous one weighted by how much of it still
 * lies inside the sliding window. A fixed window lets a client send its whole
 * budget just before a boundary and again just after it (twice the limit in a
 * moment); the weighted estimate does not. Cost: one INCR and one GET per hit,
 * two short-lived keys per client.
 *
 * Why not rate-limiter-flexible: its Redis limiter counts in fixed windows that
 * start at a key's first hit, which has the same boundary burst. The estimate
 * above is the sliding-window counter Cloudflare and Redis's own docs describe,
 * and it stays on the store the services already share (including the
 * in-process stand-in used without REDIS_URL).
 */
export interface SlidingWindowResult {
  allowed: boolean;
  /** The estimated number of hits in the last window, this one included. */
  count: number;
  /** Seconds until a hit would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface SlidingWindow {
  /** Counts one hit for `key` and says whether it stays within `limit` hits per window. */
  hit(key: string, limit: number): Promise<SlidingWindowResult>;
  /** Whether one more hit would be allowed, without counting it. */
  peek(key: string, limit: number): Promise<SlidingWindowResult>;
  /** Forgets `key`'s hits (e.g. failures cleared by a success). */
  reset(key: string): Promise<void>;
}

/**
 * The sliding-window verdict: `previous` hits in the previous fixed window
 * (weighted by how much of it still lies inside the sliding one), `stored`
 * hits in the current one (a hit already counted), `pending` = 1 when asking
 * about a hit not counted yet.
 */
export function judgeWindow(windowMs: number, limit: number, previous: number, stored: number, pending: number, at: number): SlidingWindowResult {
  const index = Math.floor(at / windowMs);
  const elapsed = (at - index * windowMs) / windowMs;
  const count = previous * (1 - elapsed) + stored + pending;
  if (count <= limit) return { allowed: true, count, retryAfterSeconds: 0 };
  // When one more hit would fit: later in this window as the previous one
  // fades, or, when this window alone is full, part-way into the next.
  const waitFraction =
    stored + 1 <= limit && previous > 0 ? 1 - (limit - stored - 1) / previous - elapsed : 1 - elapsed + Math.max(0, 1 - (limit - 1) / stored);
  return { allowed: false, count, retryAfterSeconds: Math.max(1, Math.ceil((waitFraction * windowMs) / 1000 - 1e-6)) };
}

/** The store keys of `key`'s previous and current fixed windows at time `at`. */
export function windowKeys(prefix: string, key: string, windowMs: number, at: number): readonly [previous: string, current: string] {
  const index = Math.floor(at / windowMs);
  return [`${prefix}:${key}:${index - 1}`, `${prefix}:${key}:${index}`];
}

export function createSlidingWindow(store: KeyValueStore, options: { prefix: string; windowMs: number; now?: () => number }): SlidingWindow {
  const { prefix, windowMs } = options;
  const now = options.now ?? Date.now;
  const judge = (limit: number, previous: number, stored: number, pending: number, at: number) => judgeWindow(windowMs, limit, previous, stored, pending, at);
  const keys = (key: string, at: number) => windowKeys(prefix, key, windowMs, at);
  return {
    async hit(key, limit) {
      const at = now();
      const [previousKey, currentKey] = keys(key, at);
      // The current window's key must outlive it by a whole window, as the next one's "previous".
      const [previous, current] = await Promise.all([store.get(previousKey), store.incrWithTtl(currentKey, 2 * windowMs)]);
      return judge(limit, Number(previous ?? 0), current, 0, at);
    },
    async peek(key, limit) {
      const at = now();
      const [previous, current] = await store.mget(keys(key, at));
      return judge(limit, Number(previous ?? 0), Number(current ?? 0), 1, at);
    },
    async reset(key) {
      await Promise.all(keys(key, now()).map((k) => store.del(k)));
    },
  };
}
