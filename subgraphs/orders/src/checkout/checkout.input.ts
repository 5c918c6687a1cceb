import { createHash } from 'node:crypto';
import { badUserInput } from '@shop/platform';

/** One line as the client sends it. */
export interface OrderItemInput {
  sku: string;
  quantity: number;
}

/** The `input` argument of placeOrder. */
export interface PlaceOrderInput {
  items: readonly OrderItemInput[];
  paymentToken: string;
  idempotencyKey: string;
}

/** A line of a checked cart; `index` is where its sku first appears in the input (for error fields). */
export interface CheckoutLine extends OrderItemInput {
  index: number;
}

/** A checked cart: one line per sku, in the order the skus first appear. */
export interface CheckoutRequest {
  items: CheckoutLine[];
  paymentToken: string;
  idempotencyKey: string;
  /** Fingerprint of the items and the token; tells a true retry from a key reused for another cart. */
  requestHash: string;
}

export const MAX_ITEMS = 50;
export const MAX_QUANTITY = 100;
export const MAX_SKU_LENGTH = 128;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
export const MAX_PAYMENT_TOKEN_LENGTH = 200;

/**
 * Checks placeOrder's input and normalizes it; throws BAD_USER_INPUT naming
 * the offending field (e.g. `input.items[2].quantity`). Lines with the same
 * sku are merged into the first one; the merged quantity obeys the same
 * 1..100 limit as a single line.
 */
export function parsePlaceOrderInput(input: PlaceOrderInput): CheckoutRequest {
  const { items, paymentToken, idempotencyKey } = input;
  if (items.length < 1 || items.length > MAX_ITEMS) {
    throw badUserInput(`"input.items" must hold 1 to ${MAX_ITEMS} items, got ${items.length}.`, 'input.items');
  }
  const merged = new Map<string, CheckoutLine>();
  items.forEach((item, index) => {
    const field = `input.items[${index}]`;
    if (item.sku.length < 1 || item.sku.length > MAX_SKU_LENGTH) {
      throw badUserInput(`"${field}.sku" must be 1 to ${MAX_SKU_LENGTH} characters long.`, `${field}.sku`);
    }
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw badUserInput(`"${field}.quantity" must be a whole number from 1 to ${MAX_QUANTITY}, got ${item.quantity}.`, `${field}.quantity`);
    }
    const line = merged.get(item.sku);
    if (!line) {
      merged.set(item.sku, { sku: item.sku, quantity: item.quantity, index });
      return;
    }
    line.quantity += item.quantity;
    if (line.quantity > MAX_QUANTITY) {
      throw badUserInput(
        `"${field}.quantity": ${item.sku} appears more than once and adds up to ${line.quantity} units; at most ${MAX_QUANTITY} per sku.`,
        `${field}.quantity`,
      );
    }
  });
  if (paymentToken.length < 1 || paymentToken.length > MAX_PAYMENT_TOKEN_LENGTH) {
    throw badUserInput(`"input.paymentToken" must be a token from createPaymentToken (1 to ${MAX_PAYMENT_TOKEN_LENGTH} characters).`, 'input.paymentToken');
  }
  if (idempotencyKey.length < 1 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badUserInput(`"input.idempotencyKey" must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long.`, 'input.idempotencyKey');
  }
  const lines = [...merged.values()];
  return { items: lines, paymentToken, idempotencyKey, requestHash: requestHash(lines, paymentToken) };
}

/**
 * SHA-256 over the cart in a canonical form (lines sorted by sku, duplicates
 * already merged) and the payment token, so that the same cart sent in
 * another line order is the same request. The token itself is never stored.
 */
export function requestHash(items: readonly OrderItemInput[], paymentToken: string): string {
  const canonical = [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((i) => [i.sku, i.quantity]);
  return createHash('sha256').update(JSON.stringify({ items: canonical, paymentToken })).digest('hex');
}
