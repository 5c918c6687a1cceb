import type { KeyValueStore } from './redis.ts';
import { judgeWindow, windowKeys, type SlidingWindowResult } from './sliding-window.ts';

/**
 * The sliding-window counter of sliding-window.ts, counted locally first:
 * a hit far from its client's limit is decided in memory and its count
 * reaches the shared store (Redis) in a batch a few milliseconds later, one
 * round trip for every client counted meanwhile. Only a client near its limit
 * costs a round trip per hit, which then decides exactly as
 * `createSlidingWindow` does. Same keys, same arithmetic, so the two count
 * together.
 *
 * How far it can be off, across replicas: within one process the count is
 * exact. A process decides at most `chunk` hits of one client (1% of its
 * limit, none under a limit of 100: there every hit asks Redis) on what it last read of the other replicas' counts before it reads
 * the shared count again, and once its estimate passes 90% of the limit it
 * reads the shared count on every hit of that client, deciding exactly as
 * the exact window would. What the other replicas decided locally in the
 * last few milliseconds (at most `chunk` hits each, not yet written) is not
 * seen: with R replicas a client can pass its limit by at most
 * (R - 1) x 1% of it, and only by hits sent within one batch interval.
 *
 * Hits whose batch cannot be written (the store is down) are dropped, as the
 * exact window lets a request through when the store cannot be reached.
 */
export interface BatchedSlidingWindow {
  /** Counts one hit for `key` and says whether it stays within `limit` hits per window. */
  hit(key: string, limit: number): Promise<SlidingWindowResult>;
  /** Writes the hits counted so far to the store. */
  flush(): Promise<void>;
  /** Writes what is left and stops the batch timer. */
  close(): Promise<void>;
}

export interface BatchedSlidingWindowOptions {
  prefix: string;
  windowMs: number;
  now?: () => number;
  /** How long a hit decided locally may wait before its batch is written (default 50 ms). */
  flushMs?: number;
  /** Keys remembered between batches (the newest first; default 100,000): a forgotten key starts again from the store's count. */
  maxKeys?: number;
  /** Called when a batch could not be written (its hits are dropped). */
  onError?: (error: unknown) => void;
}

/** What this process knows of one client in one fixed window. */
interface Tally {
  /** The fixed window these counts belong to. */
  index: number;
  /** Hits in the previous window (from the store once `previousKnown`, else this process's own). */
  previous: number;
  previousKnown: boolean;
  /** The current window's count in the store, as last read (every replica's flushed hits). */
  stored: number;
  /** Hits of this process on their way to the store. */
  flushing: number;
  /** Hits of this process not yet sent. */
  pending: number;
  /** Pending hits decided locally since the store was last read. */
  unchecked: number;
}

/** The share of a limit one process may decide without the store, and the margin below the limit where it stops doing so. */
const CHUNK_SHARE = 0.01;
const MARGIN_SHARE = 0.1;

export function createBatchedSlidingWindow(store: KeyValueStore, options: BatchedSlidingWindowOptions): BatchedSlidingWindow {
  const { prefix, windowMs } = options;
  const now = options.now ?? Date.now;
  const flushMs = options.flushMs ?? 50;
  const maxKeys = options.maxKeys ?? 100_000;
  const tallies = new Map<string, Tally>();
  /** The keys with hits not yet sent, or whose previous window was never read. */
  const dirty = new Set<string>();
  /** Hits of windows that ended before their batch was written: [store key, count]. */
  let carried: [string, number][] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const total = (t: Tally) => t.stored + t.flushing + t.pending;

  /** The tally of `key` for the window of `at`; a new window starts from what the last one counted. */
  const tallyOf = (key: string, at: number): Tally => {
    const index = Math.floor(at / windowMs);
    let tally = tallies.get(key);
    if (tally && tally.index === index) return tally;
    if (tally && tally.pending > 0) carried.push([windowKeys(prefix, key, windowMs, tally.index * windowMs)[1], tally.pending]);
    const previous = tally && tally.index === index - 1 ? total(tally) : 0;
    tally = { index, previous, previousKnown: false, stored: 0, flushing: 0, pending: 0, unchecked: 0 };
    tallies.delete(key);
    if (tallies.size >= maxKeys) forgetIdle();
    tallies.set(key, tally);
    dirty.add(key);
    return tally;
  };

  /** Drops the oldest keys with nothing on its way to the store, down to 90% of maxKeys. */
  const forgetIdle = () => {
    for (const [key, tally] of tallies) {
      if (tallies.size < maxKeys * 0.9) return;
      if (tally.pending === 0 && tally.flushing === 0 && !dirty.has(key)) tallies.delete(key);
    }
  };

  /** Sends the pending hits of `only` (of every key when absent) and reads back the shared counts. */
  const send = async (only?: string): Promise<void> => {
    const batch: { key: string; tally: Tally; count: number }[] = [];
    const collect = (key: string) => {
      dirty.delete(key);
      const tally = tallies.get(key);
      if (!tally) return;
      batch.push({ key, tally, count: tally.pending });
      tally.flushing += tally.pending;
      tally.pending = 0;
      tally.unchecked = 0;
    };
    if (only === undefined) for (const key of dirty) collect(key);
    else collect(only);
    const leftovers = carried;
    carried = [];
    if (batch.length === 0 && leftovers.length === 0) return;
    const increments = [...batch.map(({ key, tally, count }) => [windowKeys(prefix, key, windowMs, tally.index * windowMs)[1], count] as const), ...leftovers];
    const needPrevious = batch.filter(({ tally }) => !tally.previousKnown);
    try {
      // The current window's key outlives it by a whole window, as the next one's "previous".
      const [counts, previous] = await Promise.all([
        store.incrManyWithTtl(increments, 2 * windowMs),
        needPrevious.length ? store.mget(needPrevious.map(({ key, tally }) => windowKeys(prefix, key, windowMs, tally.index * windowMs)[0])) : Promise.resolve([]),
      ]);
      // One connection answers in order: a count read here already includes every batch sent before this one.
      batch.forEach(({ tally, count }, i) => {
        tally.flushing -= count;
        tally.stored = Math.max(tally.stored, counts[i]!);
      });
      needPrevious.forEach(({ tally }, i) => {
        tally.previous = Number(previous[i] ?? 0);
        tally.previousKnown = true;
      });
    } catch (error) {
      for (const { tally, count } of batch) tally.flushing -= count;
      options.onError?.(error);
      if (only !== undefined) throw error;
    }
  };

  const flush = async () => {
    timer = undefined;
    await send();
    if (dirty.size > 0 || carried.length > 0) schedule();
  };
  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  };

  return {
    async hit(key, limit) {
      const at = now();
      const tally = tallyOf(key, at);
      const chunk = Math.floor(limit * CHUNK_SHARE);
      const estimate = judgeWindow(windowMs, limit, tally.previous, total(tally), 1, at);
      tally.pending++;
      dirty.add(key);
      if (estimate.count <= limit - limit * MARGIN_SHARE && tally.unchecked < chunk) {
        tally.unchecked++;
        schedule();
        return estimate;
      }
      // Near the limit, or enough decided on old news: this hit waits for the shared count.
      await send(key);
      return judgeWindow(windowMs, limit, tally.previous, total(tally), 0, at);
    },
    flush: () => send(),
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await send();
    },
  };
}
