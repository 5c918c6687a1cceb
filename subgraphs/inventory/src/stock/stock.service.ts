import { badUserInput } from '@shop/platform';
import type { StockCache } from './stock.cache.ts';
import { emptyStockLevel, type StockLevel } from './stock-level.ts';
import { openStockLevelStream } from './stock-level-stream.ts';
import type { StockNotifier } from './stock.notifier.ts';
import type { StockRepository } from './stock.repository.ts';

export const MAX_SKUS_PER_QUERY = 100;
export const MAX_SKU_LENGTH = 128;
export const MAX_RESTOCK_QUANTITY = 1_000_000;

/** Checks one sku argument: non-empty and of a sane length (it becomes a cache key). */
export function checkSku(sku: string, field = 'sku'): string {
  if (sku.length === 0 || sku.length > MAX_SKU_LENGTH) {
    throw badUserInput(`"${field}" must be 1 to ${MAX_SKU_LENGTH} characters long.`, field);
  }
  return sku;
}

/** Checks a `skus` list: 1 to 100 skus, each a valid sku. */
export function checkSkuList(skus: readonly string[], field = 'skus'): readonly string[] {
  if (skus.length === 0) throw badUserInput(`"${field}" must name at least one sku.`, field);
  if (skus.length > MAX_SKUS_PER_QUERY) {
    throw badUserInput(`"${field}" may name at most ${MAX_SKUS_PER_QUERY} skus, got ${skus.length}.`, field);
  }
  skus.forEach((sku, index) => checkSku(sku, `${field}[${index}]`));
  return skus;
}

/** Checks a unit count: a whole number from 1 to `max`. */
export function checkQuantity(quantity: number, field = 'quantity', max = MAX_RESTOCK_QUANTITY): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    throw badUserInput(`"${field}" must be a whole number from 1 to ${max}, got ${quantity}.`, field);
  }
  return quantity;
}

/** A product is in stock when any of its variants can be bought. */
export function isInStock(levels: readonly StockLevel[]): boolean {
  return levels.some((level) => level.available > 0);
}

/**
 * Stock reads, live levels and restocks. Reads go through the cache and fall
 * back to PostgreSQL for whatever the cache does not answer; every change is
 * announced (cache and pub/sub) after its transaction commits.
 */
export class StockService {
  readonly #repository: StockRepository;
  readonly #cache: StockCache;
  readonly #notifier: StockNotifier;
  constructor(repository: StockRepository, notifier: StockNotifier) {
    this.#repository = repository;
    this.#cache = notifier.cache;
    this.#notifier = notifier;
  }

  /** One level per sku (zero for skus never stocked): cache first, then one statement for the misses. */
  async findLevels(skus: readonly string[]): Promise<StockLevel[]> {
    const cached = await this.#cache.read(skus);
    const missing = skus.filter((sku) => !cached.has(sku));
    if (missing.length === 0) return [...cached.values()];
    const stored = new Map((await this.#repository.findLevels(missing)).map((l) => [l.sku, l]));
    const loaded = missing.map((sku) => stored.get(sku) ?? emptyStockLevel(sku));
    // Zeros are cached too: unknown skus must not reach PostgreSQL on every read.
    await this.#cache.write(loaded);
    return [...cached.values(), ...loaded];
  }

  /** Adds units to a sku; the caller has checked the viewer may do so. */
  async restock(sku: string, quantity: number): Promise<StockLevel> {
    checkSku(sku);
    checkQuantity(quantity);
    const snapshot = await this.#repository.addUnits(sku, quantity);
    if (!snapshot) throw badUserInput(`Restocking ${quantity} units would exceed the most a sku can hold.`, 'quantity');
    await this.#notifier.changed([snapshot]);
    return { sku: snapshot.sku, available: snapshot.available };
  }

  /**
   * The live levels of 1 to 100 skus: each one's current level first, then
   * every change of `available` (see openStockLevelStream). The current
   * levels come from PostgreSQL, which has the versions that order them
   * against the events; a subscription starts once, so this is not a hot read.
   */
  streamLevels(skus: readonly string[]): Promise<AsyncIterableIterator<StockLevel>> {
    checkSkuList(skus);
    return openStockLevelStream(skus, { events: this.#notifier.events, readSnapshots: (s) => this.#repository.findSnapshots(s) });
  }
}
