import type { Logger, PubSub } from '@shop/platform';
import type { StockSnapshot } from './stock-level.ts';

/** What a stock change announces on pub/sub: the sku's new level and the row version it belongs to. */
export interface StockLevelEvent {
  sku: string;
  available: number;
  version: number;
}

export interface StockEventsOptions {
  /** A publish slower than this is abandoned (logged), so a slow Redis cannot hold up a sale's answer. */
  timeoutMs?: number;
  /** At most one warning per this many ms while publishing fails. */
  warnEveryMs?: number;
}

export const STOCK_CHANNEL_PREFIX = 'inventory:stock-level:';

/** One channel per sku: a replica subscribes only to the skus its clients watch. */
export function stockChannel(sku: string): string {
  return `${STOCK_CHANNEL_PREFIX}${sku}`;
}

/**
 * Live stock-level events on pub/sub (Redis, so a change on any replica
 * reaches subscribers on every replica; in-process without REDIS_URL).
 * Best effort by design: the durable record of a change is its outbox event,
 * and a subscriber that misses one (Redis blip) is corrected by the next
 * change or by resubscribing, which starts from the current level.
 */
export class StockEvents {
  readonly #pubsub: PubSub;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #warnEveryMs: number;
  #lastWarnAt = 0;

  constructor(pubsub: PubSub, logger: Logger, options: StockEventsOptions = {}) {
    this.#pubsub = pubsub;
    this.#logger = logger;
    this.#timeoutMs = options.timeoutMs ?? 100;
    this.#warnEveryMs = options.warnEveryMs ?? 10_000;
  }

  /** Announces committed changes; never throws (a failure is logged). */
  async publish(snapshots: readonly StockSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stock event publish did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    const published = Promise.all(
      snapshots.map((s) => this.#pubsub.publish(stockChannel(s.sku), JSON.stringify({ sku: s.sku, available: s.available, version: s.version }))),
    );
    try {
      await Promise.race([published, timeout]);
    } catch (error) {
      published.catch(() => {});
      this.#warn(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Calls `onEvent` with every event of `sku` until the returned function is called. */
  subscribe(sku: string, onEvent: (event: StockLevelEvent) => void): Promise<() => Promise<void>> {
    return this.#pubsub.subscribe(stockChannel(sku), (message) => {
      const event = parseEvent(message, sku);
      if (event) onEvent(event);
      else this.#logger.warn({ sku, message: message.slice(0, 200) }, 'ignoring a malformed stock event');
    });
  }

  #warn(error: unknown): void {
    const now = Date.now();
    if (now - this.#lastWarnAt < this.#warnEveryMs) return;
    this.#lastWarnAt = now;
    this.#logger.warn({ err: error }, 'stock events could not be published; live subscribers will catch up on the next change');
  }
}

function parseEvent(message: string, sku: string): StockLevelEvent | undefined {
  try {
    const value = JSON.parse(message) as Partial<StockLevelEvent>;
    if (value.sku !== sku || !Number.isInteger(value.available) || !Number.isInteger(value.version)) return undefined;
    return { sku, available: value.available as number, version: value.version as number };
  } catch {
    return undefined;
  }
}
