import { createHash } from 'node:crypto';
import type { KeyValueStore, Logger, PubSub } from '@shop/platform';
import { staleWhileRevalidate } from './cache-headers.ts';

/**
 * A response cache for public reads, in Redis (shared by every gateway
 * replica; in-process without REDIS_URL).
 *
 * What is stored: a 200 answer without errors whose cache policy, computed by
 * Apollo from the subgraphs' hints (`@cacheControl`, `cache-control`
 * headers), is `public` with a max-age above zero, for a caller without a
 * user token. It lives for that max-age; an answer served from here says how
 * much of it is left (`max-age` counts down), so a CDN behind us never keeps
 * it longer than the subgraphs allowed.
 *
 * Stale while revalidating: past its max-age an answer is kept for the same
 * stale-while-revalidate window the gateway gives the CDN (cache-headers.ts:
 * at least 5 s; inventory's stock answers say `stale-while-revalidate=5`
 * themselves). A request in that window gets the stale answer (`max-age=0`)
 * at once while one execution per key and process refreshes the entry, so
 * a crowd never waits for the refresh of a stock level that expires every
 * second. An entry invalidated by an event (below) is deleted, not made
 * stale: after a change, the next caller waits for the new answer.
 *
 * Invalidation: every entry is tagged with the entity ids and skus in its
 * data (`id` and `sku` fields). An entry is deleted before its time when
 * - a stock level changes: inventory announces each change on pub/sub
 *   (`inventory:stock-level:<sku>`, see inventory's stock.events.ts), and this
 *   gateway listens to the skus it has cached;
 * - a mutation through the gateway answers with that id or sku (a product,
 *   variant, restock or live-sale update), on any replica.
 * An answer that names no id or sku is bounded by its max-age alone.
 */
export const STOCK_CHANNEL_PREFIX = 'inventory:stock-level:';

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: string;
  /** Past its max-age, within its stale-while-revalidate window: serve it, and refresh it. */
  stale?: boolean;
}

interface Entry extends CachedResponse {
  storedAt: number;
  maxAge: number;
}

const ENTRY = 'response-cache:entry:';
const TAG = 'response-cache:tag:';
/** At most this many skus' stock channels are listened to per process (the hot ones come first). */
const MAX_WATCHED_SKUS = 10_000;

/** The public max-age of Apollo's raw cache policy header (`max-age=N, public`), or 0. */
export function publicMaxAge(cacheControl: string | undefined): number {
  const policy = /^max-age=(\d+), public$/.exec(cacheControl ?? '');
  return policy ? Number(policy[1]) : 0;
}

/** The tags of an answer: `id:<v>` and `sku:<v>` for every `id` and `sku` field in its data. */
export function tagsOf(body: string): string[] {
  const tags = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if ((key === 'id' || key === 'sku') && (typeof item === 'string' || typeof item === 'number')) tags.add(`${key}:${item}`);
        else walk(item);
      }
    }
  };
  try {
    walk((JSON.parse(body) as { data?: unknown }).data);
  } catch {
    return [];
  }
  return [...tags];
}

export class ResponseCache {
  readonly #store: KeyValueStore;
  readonly #pubsub: PubSub;
  readonly #logger: Logger;
  readonly #watched = new Set<string>();
  readonly #now: () => number;

  constructor(deps: { store: KeyValueStore; pubsub: PubSub; logger: Logger; now?: () => number }) {
    this.#store = deps.store;
    this.#pubsub = deps.pubsub;
    this.#logger = deps.logger;
    this.#now = deps.now ?? Date.now;
  }

  #entryKey(key: string): string {
    return ENTRY + createHash('sha256').update(key).digest('base64url');
  }

  /** A stored answer with its remaining max-age, or undefined (also when Redis cannot be reached). */
  async get(key: string): Promise<CachedResponse | undefined> {
    let raw: string | null;
    try {
      raw = await this.#store.get(this.#entryKey(key));
    } catch (error) {
      this.#logger.warn({ err: error }, 'response cache unavailable; executing');
      return undefined;
    }
    if (!raw) return undefined;
    const entry = JSON.parse(raw) as Entry;
    const age = (this.#now() - entry.storedAt) / 1000;
    if (age >= entry.maxAge + staleWhileRevalidate(entry.maxAge)) return undefined;
    const left = Math.max(0, Math.floor(entry.maxAge - age));
    return {
      status: entry.status,
      body: entry.body,
      headers: entry.headers.map(([name, value]) => [name, name === 'cache-control' ? `max-age=${left}, public` : value]),
      ...(age >= entry.maxAge ? { stale: true } : {}),
    };
  }

  /**
   * Stores an answer if it is a cacheable public one (see above); never
   * throws. Says whether the key's answers can be kept at all: false when
   * its cache policy or a user's token rules this one out; true when it was
   * stored (or Redis failed to take it), and when only its errors or status
   * kept it out, which say nothing of the next answer.
   */
  async set(key: string, response: CachedResponse, hasUserToken: boolean): Promise<boolean> {
    const maxAge = publicMaxAge(response.headers.find(([name]) => name === 'cache-control')?.[1]);
    if (hasUserToken || maxAge <= 0) return false;
    if (response.status !== 200 || response.body.includes('"errors":')) return true;
    const entryKey = this.#entryKey(key);
    const tags = tagsOf(response.body);
    const entry: Entry = { status: response.status, headers: response.headers, body: response.body, storedAt: this.#now(), maxAge };
    // Kept through its stale window too (see above).
    const ttlMs = (maxAge + staleWhileRevalidate(maxAge)) * 1000;
    try {
      await Promise.all([
        this.#store.set(entryKey, JSON.stringify(entry), ttlMs),
        ...tags.map((tag) => this.#store.addToSet(TAG + tag, [entryKey], ttlMs)),
        ...tags.filter((tag) => tag.startsWith('sku:')).map((tag) => this.#watch(tag.slice(4))),
      ]);
    } catch (error) {
      this.#logger.warn({ err: error }, 'response cache unavailable; answer not stored');
    }
    return true;
  }

  /** Deletes every entry tagged with one of `tags`. */
  async invalidate(tags: readonly string[]): Promise<void> {
    try {
      const entries = (await Promise.all(tags.map((tag) => this.#store.takeSet(TAG + tag)))).flat();
      await Promise.all([...new Set(entries)].map((entry) => this.#store.del(entry)));
    } catch (error) {
      this.#logger.warn({ err: error, tags }, 'response cache invalidation failed; entries expire with their max-age');
    }
  }

  /** Listens to a sku's stock-level events (once per process). */
  async #watch(sku: string): Promise<void> {
    if (this.#watched.has(sku) || this.#watched.size >= MAX_WATCHED_SKUS) return;
    this.#watched.add(sku);
    await this.#pubsub.subscribe(STOCK_CHANNEL_PREFIX + sku, () => void this.invalidate([`sku:${sku}`]));
  }
}
