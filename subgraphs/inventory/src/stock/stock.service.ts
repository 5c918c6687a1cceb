import { badUserInput } from '@shop/platform';
import type { StockCache } from './stock.cache.ts';
import { emptyStockLevel, type StockLevel } from './stock-level.ts';
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
 * Stock reads and restocks. Reads go through the cache and fall back to
 * PostgreSQL for whatever the cache does not answer; every change writes the
 * new level to the cache after its transaction commits.
 */
export class StockService {
  readonly #repository: StockRepository;
  readonly #cache: StockCache;
  constructor(repository: StockRepository, cache: StockCache) {
    this.#repository = repository;
    this.#cache = cache;
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
    const level = await this.#repository.addUnits(sku, quantity);
    if (!level) throw badUserInput(`Restocking ${quantity} units would exceed the most a sku can hold.`, 'quantity');
    await this.#cache.write([level]);
    return level;
  }

}
