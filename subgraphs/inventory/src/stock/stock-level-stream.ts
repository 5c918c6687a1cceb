import { emptyStockSnapshot, type StockLevel, type StockSnapshot } from './stock-level.ts';
import type { StockEvents, StockLevelEvent } from './stock.events.ts';

export interface StockLevelStreamDeps {
  events: Pick<StockEvents, 'subscribe'>;
  /** The current snapshots of skus that have a stock row (PostgreSQL, with versions). */
  readSnapshots(skus: readonly string[]): Promise<StockSnapshot[]>;
}

/**
 * The live levels of `skus`, for `Subscription.stockChanged`:
 *
 * 1. subscribes to every sku's events first, so nothing that happens from
 *    now on is missed;
 * 2. reads the current snapshot of every sku and yields it (a client that
 *    reconnects gets the current value, not only later changes);
 * 3. then yields a sku's level whenever an event with a newer version brings
 *    a different `available`. Events older than what was already seen (a
 *    change that raced the read, or pub/sub delivering two replicas' changes
 *    out of order) are dropped, and so are changes that leave `available`
 *    as it was (a commit moves units from reserved to sold).
 *
 * A consumer that falls behind gets only the latest level of each sku, not
 * every intermediate one: at most one pending level per sku is kept, so a
 * slow client costs bounded memory however hot the sku.
 */
export async function openStockLevelStream(skus: readonly string[], deps: StockLevelStreamDeps): Promise<AsyncIterableIterator<StockLevel>> {
  const watched = [...new Set(skus)];
  const seenVersion = new Map<string, number>();
  const delivered = new Map<string, number>();
  const pending = new Map<string, number>();
  const early: StockLevelEvent[] = [];
  let started = false;
  let ended = false;
  let wake: (() => void) | undefined;

  const accept = (event: StockLevelEvent) => {
    if (ended) return;
    if (!started) {
      early.push(event);
      return;
    }
    if (event.version <= (seenVersion.get(event.sku) ?? -1)) return;
    seenVersion.set(event.sku, event.version);
    // Back to what the consumer already has: nothing to tell (any pending level is now stale).
    if (delivered.get(event.sku) === event.available) pending.delete(event.sku);
    else pending.set(event.sku, event.available);
    if (pending.size > 0) wake?.();
  };

  const unsubscribers: (() => Promise<void>)[] = [];
  const unsubscribeAll = async () => {
    await Promise.allSettled(unsubscribers.splice(0).map((unsubscribe) => unsubscribe()));
  };
  try {
    for (const sku of watched) unsubscribers.push(await deps.events.subscribe(sku, accept));
    const current = new Map((await deps.readSnapshots(watched)).map((s) => [s.sku, s]));
    for (const sku of watched) {
      const snapshot = current.get(sku) ?? emptyStockSnapshot(sku);
      seenVersion.set(sku, snapshot.version);
      pending.set(sku, snapshot.available);
    }
  } catch (error) {
    await unsubscribeAll();
    throw error;
  }
  started = true;
  for (const event of early.splice(0)) accept(event);

  const finish = async (): Promise<IteratorResult<StockLevel>> => {
    if (!ended) {
      ended = true;
      pending.clear();
      wake?.();
      await unsubscribeAll();
    }
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<StockLevel> = {
    async next(): Promise<IteratorResult<StockLevel>> {
      while (pending.size === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const first = pending.entries().next();
      if (ended || first.done) return { value: undefined, done: true };
      const [sku, available] = first.value;
      pending.delete(sku);
      delivered.set(sku, available);
      return { value: { sku, available }, done: false };
    },
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
