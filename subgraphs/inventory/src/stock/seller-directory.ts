import { IDENTITY_HEADER, type Logger } from '@shop/platform';
import { GraphQLError } from 'graphql';

/**
 * Who sells a sku. The products subgraph owns that fact; inventory asks it
 * when a seller restocks (only the product's seller may).
 */
export interface SellerDirectory {
  /**
   * The seller id of the product `sku` belongs to, or null when products
   * knows no such sku. Throws SERVICE_UNAVAILABLE (see sellerLookupUnavailable)
   * when no trustworthy answer can be had.
   */
  sellerOf(sku: string): Promise<string | null>;
}

export const DEFAULT_SELLER_LOOKUP_TIMEOUT_MS = 2_000;
export const DEFAULT_SELLER_CACHE_TTL_MS = 60_000;
export const DEFAULT_SELLER_CACHE_MAX_ENTRIES = 10_000;

export interface ProductsSellerDirectoryOptions {
  /** The products subgraph's GraphQL endpoint (PRODUCTS_URL), called directly, not through the gateway. */
  url: string;
  logger?: Logger;
  /** A lookup without an answer after this long fails (SERVICE_UNAVAILABLE). */
  timeoutMs?: number;
  /** How long a known sku's seller is reused without asking again. */
  cacheTtlMs?: number;
  /** The most skus remembered; the oldest entry goes first. */
  cacheMaxEntries?: number;
  /** The clock the cache is judged by (tests move it). */
  now?: () => number;
  /**
   * Inventory's own identity token for the `x-viewer-token` header. Products
   * shows the seller of a DRAFT or ARCHIVED product only to a signed service
   * (a seller restocks before publishing), and in production refuses
   * unsigned callers altogether.
   */
  identityToken?: () => Promise<string>;
}

const SELLER_OF = `query InventorySellerOf($skus: [ID!]!) { variantPrices(skus: $skus) { sku sellerId } }`;

/** The error a caller gets when the seller of a sku cannot be checked now. Retryable. */
export function sellerLookupUnavailable(): GraphQLError {
  return new GraphQLError('The seller of this sku cannot be checked right now (the product catalogue did not answer); try again shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
  });
}

/**
 * Asks the products subgraph (`Query.variantPrices`, signed as inventory, unknown
 * skus left out) for the seller of a sku over HTTP: POST JSON, with a timeout.
 *
 * Known sellers are remembered in-process for `cacheTtlMs` (the seller of a
 * sku does not change in practice; the TTL bounds the odd exception).
 * Unknown skus are not remembered: a seller who creates the product right
 * after a refused restock can restock at once. Concurrent lookups of one sku
 * share one request. Failures are not remembered either.
 */
export class ProductsSellerDirectory implements SellerDirectory {
  readonly #url: string;
  readonly #logger: Logger | undefined;
  readonly #timeoutMs: number;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #identityToken: (() => Promise<string>) | undefined;
  readonly #known = new Map<string, { sellerId: string; until: number }>();
  readonly #inFlight = new Map<string, Promise<string | null>>();

  constructor(options: ProductsSellerDirectoryOptions) {
    this.#url = options.url;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SELLER_LOOKUP_TIMEOUT_MS;
    this.#ttlMs = options.cacheTtlMs ?? DEFAULT_SELLER_CACHE_TTL_MS;
    this.#maxEntries = options.cacheMaxEntries ?? DEFAULT_SELLER_CACHE_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
    this.#identityToken = options.identityToken;
  }

  sellerOf(sku: string): Promise<string | null> {
    const known = this.#known.get(sku);
    if (known && known.until > this.#now()) return Promise.resolve(known.sellerId);
    if (known) this.#known.delete(sku);
    const pending = this.#inFlight.get(sku);
    if (pending) return pending;
    const lookup = this.#lookup(sku).finally(() => this.#inFlight.delete(sku));
    this.#inFlight.set(sku, lookup);
    return lookup;
  }

  async #lookup(sku: string): Promise<string | null> {
    let prices: SellerEntry[];
    try {
      prices = await this.#request(sku);
    } catch (error) {
      this.#logger?.warn({ err: error, sku, url: this.#url }, 'seller lookup in products failed');
      throw sellerLookupUnavailable();
    }
    const match = prices.find((price) => price.sku === sku);
    if (!match) return null;
    this.#remember(sku, match.sellerId);
    return match.sellerId;
  }

  /** The `variantPrices` list products answered; throws on anything else. */
  async #request(sku: string): Promise<SellerEntry[]> {
    let response: Response;
    let text: string;
    try {
      const identity = this.#identityToken ? { [IDENTITY_HEADER]: await this.#identityToken() } : {};
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...identity },
        body: JSON.stringify({ query: SELLER_OF, variables: { skus: [sku] } }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') throw new Error(`products did not answer within ${this.#timeoutMs} ms`);
      throw error;
    }
    let body: { data?: { variantPrices?: unknown } | null; errors?: { message?: string }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`products answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (body.errors?.length) {
      throw new Error(`products answered HTTP ${response.status} with errors: ${body.errors.map((e) => e.message).join('; ')}`);
    }
    const prices = body.data?.variantPrices;
    if (!Array.isArray(prices) || !prices.every(isSellerEntry)) {
      throw new Error(`products answered HTTP ${response.status} without a variantPrices list`);
    }
    return prices;
  }

  #remember(sku: string, sellerId: string): void {
    this.#known.delete(sku);
    if (this.#known.size >= this.#maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.#known.keys().next();
      if (!oldest.done) this.#known.delete(oldest.value);
    }
    this.#known.set(sku, { sellerId, until: this.#now() + this.#ttlMs });
  }
}

interface SellerEntry {
  sku: string;
  sellerId: string;
}

function isSellerEntry(value: unknown): value is SellerEntry {
  const entry = value as { sku?: unknown; sellerId?: unknown } | null;
  return typeof entry === 'object' && entry !== null && typeof entry.sku === 'string' && typeof entry.sellerId === 'string';
}

/**
 * The directory of a server built without one (e.g. a test that only needs
 * admins and the saga): every lookup fails, so sellers cannot restock.
 */
export const unavailableSellerDirectory: SellerDirectory = {
  sellerOf: () => Promise.reject(sellerLookupUnavailable()),
};
