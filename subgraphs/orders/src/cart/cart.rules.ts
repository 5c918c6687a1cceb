import { GraphQLError } from 'graphql';
import { ErrorCode } from '@shop/platform';
import { MAX_ITEMS, MAX_QUANTITY, MAX_SKU_LENGTH } from '../checkout/checkout.input.ts';
import type { VariantPrice } from '../remote/products.client.ts';

/**
 * The cart's rules, pure so that they are tested without a database. The
 * limits are checkout's (a cart that fits them can always be checked out):
 * at most MAX_ITEMS lines and 1 to MAX_QUANTITY units per line.
 */
export const CART_MAX_LINES = MAX_ITEMS;
export const CART_MAX_QUANTITY = MAX_QUANTITY;
/** The currency of an empty cart's total. */
export const DEFAULT_CURRENCY = 'USD';

/** `extensions.reason` of the BAD_USER_INPUT errors of the cart mutations. */
export const CartErrorReason = {
  UNKNOWN_SKU: 'UNKNOWN_SKU',
  NOT_ON_SALE: 'NOT_ON_SALE',
  QUANTITY_OUT_OF_RANGE: 'QUANTITY_OUT_OF_RANGE',
  CART_LINE_LIMIT: 'CART_LINE_LIMIT',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  CART_EMPTY: 'CART_EMPTY',
} as const;
export type CartErrorReason = (typeof CartErrorReason)[keyof typeof CartErrorReason];

export function cartError(reason: CartErrorReason, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason, ...(field ? { field } : {}) } });
}

export interface Money {
  amount: number;
  currency: string;
}

/** A line as stored. */
export interface StoredLine {
  id: string;
  sku: string;
  quantity: number;
}

/** A line priced now. */
export interface PricedLine extends StoredLine {
  unitPrice: Money | null;
  total: Money;
  purchasable: boolean;
}

export interface PricedCart {
  id: string;
  userId: string;
  updatedAt: Date | null;
  lines: PricedLine[];
  total: Money;
}

/** Checks the `sku` and `quantity` arguments of addToCart. */
export function checkAddition(sku: string, quantity: number): void {
  if (sku.length < 1 || sku.length > MAX_SKU_LENGTH) throw cartError(CartErrorReason.UNKNOWN_SKU, `"sku" must be 1 to ${MAX_SKU_LENGTH} characters long.`, 'sku');
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > CART_MAX_QUANTITY) {
    throw cartError(CartErrorReason.QUANTITY_OUT_OF_RANGE, `"quantity" must be a whole number from 1 to ${CART_MAX_QUANTITY}, got ${quantity}.`, 'quantity');
  }
}

/** Checks the `quantity` argument of setCartLineQuantity (0 removes the line). */
export function checkNewQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > CART_MAX_QUANTITY) {
    throw cartError(CartErrorReason.QUANTITY_OUT_OF_RANGE, `"quantity" must be a whole number from 0 to ${CART_MAX_QUANTITY}, got ${quantity}.`, 'quantity');
  }
}

/** The sku can be bought now: known to products and published. */
export function checkOnSale(sku: string, price: VariantPrice | undefined): VariantPrice {
  if (!price) throw cartError(CartErrorReason.UNKNOWN_SKU, `No product has the sku ${sku}.`, 'sku');
  if (!price.published) throw cartError(CartErrorReason.NOT_ON_SALE, `The product of ${sku} is not on sale.`, 'sku');
  return price;
}

/**
 * The quantity of the sku's line after adding `quantity` to `lines`, or an
 * error when the line would hold too many units or the cart too many lines.
 */
export function quantityAfterAdding(lines: readonly StoredLine[], sku: string, quantity: number): number {
  const existing = lines.find((line) => line.sku === sku);
  if (existing) {
    const total = existing.quantity + quantity;
    if (total > CART_MAX_QUANTITY) {
      throw cartError(
        CartErrorReason.QUANTITY_OUT_OF_RANGE,
        `The cart already holds ${existing.quantity} of ${sku}; adding ${quantity} would exceed ${CART_MAX_QUANTITY} per line.`,
        'quantity',
      );
    }
    return total;
  }
  if (lines.length >= CART_MAX_LINES) throw cartError(CartErrorReason.CART_LINE_LIMIT, `A cart holds at most ${CART_MAX_LINES} lines.`, 'sku');
  return quantity;
}

/** A cart prices in one currency: the one of its purchasable lines (the first one's wins). */
export function cartCurrency(lines: readonly StoredLine[], prices: ReadonlyMap<string, VariantPrice>): string | null {
  for (const line of lines) {
    const price = prices.get(line.sku);
    if (price?.published) return price.unitPrice.currency;
  }
  return null;
}

/**
 * Prices the lines at `prices` (the prices in effect now). A line whose
 * product is gone, unpublished or in another currency than the cart is
 * not purchasable and adds nothing to the total.
 */
export function priceCart(cart: { id: string; userId: string; updatedAt: Date | null }, lines: readonly StoredLine[], prices: ReadonlyMap<string, VariantPrice>): PricedCart {
  const currency = cartCurrency(lines, prices) ?? DEFAULT_CURRENCY;
  let total = 0;
  const priced = lines.map((line): PricedLine => {
    const price = prices.get(line.sku);
    const purchasable = Boolean(price?.published && price.unitPrice.currency === currency);
    const amount = purchasable ? price!.unitPrice.amount * line.quantity : 0;
    total += amount;
    return {
      id: line.id,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: price?.published ? price.unitPrice : null,
      total: { amount, currency },
      purchasable,
    };
  });
  return { ...cart, lines: priced, total: { amount: total, currency } };
}

/** The lines left after checking `bought` out of them: quantities subtracted, emptied lines removed. */
export function linesAfterCheckout(lines: readonly StoredLine[], bought: readonly { sku: string; quantity: number }[]): { update: StoredLine[]; remove: string[] } {
  const boughtBySku = new Map(bought.map((item) => [item.sku, item.quantity]));
  const update: StoredLine[] = [];
  const remove: string[] = [];
  for (const line of lines) {
    const taken = boughtBySku.get(line.sku);
    if (taken === undefined) continue;
    if (line.quantity > taken) update.push({ ...line, quantity: line.quantity - taken });
    else remove.push(line.id);
  }
  return { update, remove };
}
