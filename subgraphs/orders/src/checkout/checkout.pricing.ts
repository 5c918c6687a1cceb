import { randomUUID } from 'node:crypto';
import { badUserInput } from '@shop/platform';
import type { VariantPrice } from '../remote/products.client.ts';
import type { CheckoutRequest } from './checkout.input.ts';

const MAX_TOTAL = 2_147_483_647;

/** A cart priced for an order: its lines with unit prices, one currency, the total. */
export interface PricedCheckout {
  items: { id: string; sku: string; quantity: number; unitPriceAmount: number; currency: string }[];
  total: number;
  currency: string;
}

/**
 * Prices a checkout from products' answer (current prices, live sales
 * included), checked: every sku on sale (else BAD_USER_INPUT naming
 * `input.items[i].sku`), one currency, a payable total.
 */
export function priceCheckout(request: CheckoutRequest, prices: readonly VariantPrice[]): PricedCheckout {
  const bySku = new Map(prices.map((p) => [p.sku, p]));
  const items = request.items.map((item) => {
    const price = bySku.get(item.sku);
    const field = `input.items[${item.index}].sku`;
    if (!price || !price.published) throw badUserInput(`"${field}": no product on sale has the sku ${item.sku}.`, field);
    return { id: randomUUID(), sku: item.sku, quantity: item.quantity, unitPriceAmount: price.unitPrice.amount, currency: price.unitPrice.currency };
  });
  const currencies = [...new Set(items.map((i) => i.currency))];
  if (currencies.length > 1) {
    throw badUserInput(`"input.items": items priced in different currencies (${currencies.join(', ')}) cannot be ordered together.`, 'input.items');
  }
  const total = items.reduce((sum, i) => sum + i.unitPriceAmount * i.quantity, 0);
  if (total < 1) throw badUserInput('"input.items": the order has nothing to pay; free orders are not supported.', 'input.items');
  if (total > MAX_TOTAL) throw badUserInput(`"input.items": the order total exceeds the most one payment can take (${MAX_TOTAL} minor units).`, 'input.items');
  return { items, total, currency: currencies[0]! };
}
