import type { ProductsClient, VariantPrice } from '../remote/products.client.ts';

/** Where prices come from: products' client, or anything that answers like it. */
export type PriceSource = Pick<ProductsClient, 'variantPrices'>;

export interface PriceCacheSettings {
  /** How long a sku's price (or its absence) is kept (ms); 0 asks products every time. */
  maxAgeMs: number;
  /** The most skus kept; the oldest are dropped first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  /** Null: products does not know the sku (or will not price it). */
  price: VariantPrice | null;
  expiresAt: number;
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
  readonly #settings: Required<PriceCacheSettings>;
  readonly #entries = new Map<string, Entry>();

  constructor(products: PriceSource, settings: PriceCacheSettings) {
    this.#products = products;
    this.#settings = { now: Date.now, ...settings };
  }

  /** Prices of the known skus among `skus`, as `ProductsClient.variantPrices` answers them. */
  async variantPrices(skus: readonly string[]): Promise<VariantPrice[]> {
    const { maxAgeMs, now } = this.#settings;
    if (maxAgeMs <= 0) return this.#products.variantPrices(skus);
    const at = now();
    const kept: VariantPrice[] = [];
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const entry = this.#entries.get(sku);
      if (entry && entry.expiresAt > at) {
        if (entry.price) kept.push(entry.price);
      } else missing.push(sku);
    }
    if (!missing.length) return kept;
    const fetched = await this.#products.variantPrices(missing);
    const bySku = new Map(fetched.map((p) => [p.sku, p]));
    const until = at + maxAgeMs;
    for (const sku of missing) {
      const price = bySku.get(sku) ?? null;
      const changesAt = price?.priceChangesAt ? Date.parse(price.priceChangesAt) : Infinity;
      this.#keep(sku, { price, expiresAt: Math.min(until, changesAt) });
    }
    return [...kept, ...fetched];
  }

  #keep(sku: string, entry: Entry): void {
    this.#entries.delete(sku);
    this.#entries.set(sku, entry);
    if (this.#entries.size > this.#settings.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
