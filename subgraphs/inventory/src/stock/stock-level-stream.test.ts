import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StockSnapshot } from './stock-level.ts';
import { openStockLevelStream } from './stock-level-stream.ts';
import type { StockLevelEvent } from './stock.events.ts';

/** In-memory pub/sub and table: `emit` plays an event from any replica. */
function fakes(snapshots: StockSnapshot[] = []) {
  const handlers = new Map<string, (event: StockLevelEvent) => void>();
  const unsubscribed: string[] = [];
  let beforeRead: (() => void) | undefined;
  return {
    handlers,
    unsubscribed,
    emit: (sku: string, available: number, version: number) => handlers.get(sku)?.({ sku, available, version }),
    /** Runs `fn` between the subscriptions and the read of current levels. */
    whileReading: (fn: () => void) => (beforeRead = fn),
    deps: {
      events: {
        subscribe: async (sku: string, onEvent: (event: StockLevelEvent) => void) => {
          handlers.set(sku, onEvent);
          return async () => {
            handlers.delete(sku);
            unsubscribed.push(sku);
          };
        },
      },
      readSnapshots: async (skus: readonly string[]) => {
        beforeRead?.();
        return snapshots.filter((s) => skus.includes(s.sku));
      },
    },
  };
}

const snapshot = (sku: string, available: number, version: number): StockSnapshot => ({ sku, available, reserved: 0, version });

async function take(iterator: AsyncIterator<unknown>, count: number) {
  const values = [];
  for (let i = 0; i < count; i++) values.push((await iterator.next()).value);
  return values;
}

/** True when `next()` does not settle within a few ticks (nothing is pending). */
async function waits(iterator: AsyncIterator<unknown>): Promise<boolean> {
  const next = iterator.next();
  const result = await Promise.race([next.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 20))]);
  return result === 'waiting';
}

describe('openStockLevelStream', () => {
  it('first yields the current level of each sku, in the order asked, once each, 0 for a sku never stocked', async () => {
    const { deps } = fakes([snapshot('B', 4, 7), snapshot('A', 2, 3)]);
    const stream = await openStockLevelStream(['A', 'NEW', 'B', 'A'], deps);
    assert.deepEqual(await take(stream, 3), [
      { sku: 'A', available: 2 },
      { sku: 'NEW', available: 0 },
      { sku: 'B', available: 4 },
    ]);
    assert.equal(await waits(stream), true);
  });

  it('keeps an event that raced the read only if it is newer than what was read', async () => {
    const f = fakes([snapshot('A', 5, 10)]);
    f.whileReading(() => {
      f.emit('A', 6, 9); // already in the snapshot read
      f.emit('A', 3, 11); // happened after it
    });
    const stream = await openStockLevelStream(['A'], f.deps);
    // The newer event replaced the still-pending current level.
    assert.deepEqual(await take(stream, 1), [{ sku: 'A', available: 3 }]);
    assert.equal(await waits(stream), true);
  });

  it('drops an event older than one already seen (pub/sub delivering two replicas out of order)', async () => {
    const f = fakes([snapshot('A', 5, 1)]);
    const stream = await openStockLevelStream(['A'], f.deps);
    await take(stream, 1);
    f.emit('A', 3, 3);
    assert.deepEqual(await take(stream, 1), [{ sku: 'A', available: 3 }]);
    f.emit('A', 4, 2);
    assert.equal(await waits(stream), true);
  });

  it('does not repeat a level the consumer already has (a commit changes versions, not availability)', async () => {
    const f = fakes([snapshot('A', 5, 1)]);
    const stream = await openStockLevelStream(['A'], f.deps);
    await take(stream, 1);
    f.emit('A', 5, 2);
    assert.equal(await waits(stream), true);
  });

  it('gives a slow consumer the latest level of each sku, not every step', async () => {
    const f = fakes([snapshot('A', 100, 1), snapshot('B', 50, 1)]);
    const stream = await openStockLevelStream(['A', 'B'], f.deps);
    await take(stream, 2);
    for (let version = 2; version <= 100; version++) f.emit('A', 100 - version, version);
    f.emit('B', 49, 2);
    f.emit('B', 50, 3); // back to what the consumer has: nothing to say about B
    assert.deepEqual(await take(stream, 1), [{ sku: 'A', available: 0 }]);
    assert.equal(await waits(stream), true);
  });

  it('unsubscribes from every sku when the consumer stops, and ends a waiting next()', async () => {
    const f = fakes();
    const stream = await openStockLevelStream(['A', 'B'], f.deps);
    await take(stream, 2);
    const waiting = stream.next();
    await stream.return?.();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.deepEqual(f.unsubscribed.sort(), ['A', 'B']);
    assert.equal(f.handlers.size, 0);
  });

  it('unsubscribes again when reading the current levels fails, and reports the failure', async () => {
    const f = fakes();
    const deps = { ...f.deps, readSnapshots: async () => Promise.reject(new Error('database down')) };
    await assert.rejects(openStockLevelStream(['A', 'B'], deps), /database down/);
    assert.deepEqual(f.unsubscribed.sort(), ['A', 'B']);
  });
});
