import { GraphQLError } from 'graphql';
import { CheckoutErrorCode } from '../checkout/checkout-outcome.ts';
import type { ProductsClient, VariantPrice } from '../remote/products.client.ts';
import { ServiceCallError } from '../remote/service-client.ts';

/**
 * Prices, publication and sellers of `skus` from products, in one call; when
 * products cannot be asked, a SERVICE_UNAVAILABLE error with `message` (the
 * caller says what could not be done). Unknown skus are missing from the answer.
 */
export async function fetchVariantPrices(products: ProductsClient, skus: readonly string[], message: string): Promise<VariantPrice[]> {
  try {
    return await products.variantPrices([...new Set(skus)]);
  } catch (error) {
    if (!(error instanceof ServiceCallError)) throw error;
    throw new GraphQLError(message, { extensions: { code: CheckoutErrorCode.SERVICE_UNAVAILABLE } });
  }
}
