import type { StockCache } from './stock.cache.ts';
import type { StockEvents } from './stock.events.ts';
import type { StockSnapshot } from './stock-level.ts';

/**
 * What follows every committed stock change: the cache gets the new levels
 * (reads and the early gate see them at once) and live subscribers on every
 * replica get them through pub/sub. Runs after commit, never inside the
 * transaction, so nobody hears of a change that could still roll back; and
 * never throws, since the change itself has already happened. (The durable
 * event was written by the transaction itself, in the outbox.)
 */
export class StockNotifier {
  readonly cache: StockCache;
  readonly events: StockEvents;
  constructor(cache: StockCache, events: StockEvents) {
    this.cache = cache;
    this.events = events;
  }

  async changed(snapshots: readonly StockSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    await Promise.all([this.cache.write(snapshots), this.events.publish(snapshots)]);
  }
}
