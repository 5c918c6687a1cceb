import type { KeyValueStore, Logger } from '@shop/platform';
import type { StockLevel } from './stock-level.ts';

export interface StockCacheOptions {
  /**
   * Bounds how long a level can stay wrong. Every stock change writes the
   * new level, but a write lost while Redis blips, or a read-through racing
   * a change, could otherwise leave a stale value behind forever.
   */
  ttlMs?: number;
  /** A Redis call slower than this counts as a miss, so reads keep their latency budget. */
  timeoutMs?: number;
  /** At most one warning per this many ms while Redis fails (reads run at thousands per second). */
  warnEveryMs?: number;
}

export const STOCK_KEY_PREFIX = 'stock:';

export function stockKey(sku: string): string {
  return `${STOCK_KEY_PREFIX}${sku}`;
}

/**
 * Stock levels cached for reads in the key-value store (Redis), under
 * `stock:<sku>`. PostgreSQL stays the authority: the cache never throws, a
 * failing or slow store is a miss, and nothing that sells reads it.
 */
export class StockCache {
  readonly #store: KeyValueStore;
  readonly #logger: Logger;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #warnEveryMs: number;
  #lastWarnAt = 0;

  constructor(store: KeyValueStore, logger: Logger, options: StockCacheOptions = {}) {
    this.#store = store;
    this.#logger = logger;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 50;
    this.#warnEveryMs = options.warnEveryMs ?? 10_000;
  }

  /** The cached levels among `skus`; skus that are not cached (or a failing store) are simply absent. */
  async read(skus: readonly string[]): Promise<Map<string, StockLevel>> {
    const found = new Map<string, StockLevel>();
    if (skus.length === 0) return found;
    let values: (string | null)[];
    try {
      values = await this.#withTimeout(this.#store.mget(skus.map(stockKey)));
    } catch (error) {
      this.#warn(error, 'read');
      return found;
    }
    skus.forEach((sku, index) => {
      const available = parseLevel(values[index]);
      if (available !== undefined) found.set(sku, { sku, available });
    });
    return found;
  }

  /** Stores levels; a failing store is logged and ignored (the TTL heals what a lost write leaves). */
  async write(levels: readonly StockLevel[]): Promise<void> {
    if (levels.length === 0) return;
    try {
      await this.#withTimeout(Promise.all(levels.map((l) => this.#store.set(stockKey(l.sku), String(l.available), this.#ttlMs))));
    } catch (error) {
      this.#warn(error, 'write');
    }
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stock cache did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  #warn(error: unknown, operation: 'read' | 'write'): void {
    const now = Date.now();
    if (now - this.#lastWarnAt < this.#warnEveryMs) return;
    this.#lastWarnAt = now;
    this.#logger.warn({ err: error, operation }, 'stock cache unavailable, using PostgreSQL');
  }
}

function parseLevel(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
