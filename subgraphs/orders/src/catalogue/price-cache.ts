import { LRUCache } from 'lru-cache';
import type { ProductsClient, VariantPrice } from '../remote/products.client.ts';

/** Where prices come from: products' client, or anything that answers like it. */
export type PriceSource = Pick<ProductsClient, 'variantPrices'>;

export interface PriceCacheSettings {
  /** How long a sku's price (or its absence) is kept (ms); 0 asks products every time. */
  maxAgeMs: number;
  /** The most skus kept; the least recently used are dropped first. */
  maxEntries: number;
}

/** A sku's price, or null: products does not know the sku (or will not price it). */
interface Entry {
  price: VariantPrice | null;
}

/**
 * Checkout prices kept for a moment, so that a crowd buying the same skus
 * does not cost products a call per batch. A price is kept at most
 * `maxAgeMs`, and never past the moment products says the live-sale
 * schedule changes it (`priceChangesAt`): a sale's price is charged from its
 * first millisecond to its last. A seller's edit of a price, or a product
 * published or withdrawn, reaches checkouts within `maxAgeMs`. The skus not
 * kept are asked for in one call, as without the cache.
 */
export class PriceCache {
  readonly #products: PriceSource;
  readonly #maxAgeMs: number;
  readonly #entries: LRUCache<string, Entry>;

  constructor(products: PriceSource, settings: PriceCacheSettings) {
    this.#products = products;
    this.#maxAgeMs = settings.maxAgeMs;
    this.#entries = new LRUCache({ max: settings.maxEntries });
  }

  /** Prices of the known skus among `skus`, as `ProductsClient.variantPrices` answers them. */
  async variantPrices(skus: readonly string[]): Promise<VariantPrice[]> {
    if (this.#maxAgeMs <= 0) return this.#products.variantPrices(skus);
    const kept: VariantPrice[] = [];
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const entry = this.#entries.get(sku);
      if (!entry) missing.push(sku);
      else if (entry.price) kept.push(entry.price);
    }
    if (!missing.length) return kept;
    const at = Date.now();
    const fetched = await this.#products.variantPrices(missing);
    const bySku = new Map(fetched.map((p) => [p.sku, p]));
    for (const sku of missing) {
      const price = bySku.get(sku) ?? null;
      const untilChange = price?.priceChangesAt ? Date.parse(price.priceChangesAt) - at : Infinity;
      const ttl = Math.floor(Math.min(this.#maxAgeMs, untilChange));
      if (ttl > 0) this.#entries.set(sku, { price }, { ttl });
    }
    return [...kept, ...fetched];
  }
}
