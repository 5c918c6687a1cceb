import type { ServiceClient } from './service-client.ts';

/** The unit price of a sku in effect now, as the products subgraph reports it. */
export interface VariantPrice {
  sku: string;
  unitPrice: { amount: number; currency: string };
  productId: string;
  sellerId: string;
  /** Only a PUBLISHED product may be sold. */
  published: boolean;
  /** When the live-sale schedule next changes the unit price (ISO 8601), or null. */
  priceChangesAt: string | null;
}

const VARIANT_PRICES = `
  query OrdersVariantPrices($skus: [ID!]!) {
    variantPrices(skus: $skus) { sku unitPrice { amount currency } productId sellerId published priceChangesAt }
  }`;

/** Prices carts with the products subgraph (`Query.variantPrices`, live-sale prices included). */
export class ProductsClient {
  readonly #client: ServiceClient;
  constructor(client: ServiceClient) {
    this.#client = client;
  }

  /** Prices of the known skus among `skus`; an unknown sku is simply missing from the answer. */
  async variantPrices(skus: readonly string[]): Promise<VariantPrice[]> {
    const data = await this.#client.request<{ variantPrices: VariantPrice[] }>(VARIANT_PRICES, { skus });
    return data.variantPrices;
  }
}
