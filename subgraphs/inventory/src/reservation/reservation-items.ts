import { badUserInput } from '@shop/platform';
import { checkQuantity, checkSku } from '../stock/stock.service.ts';

/** Units of one sku in a reservation. */
export interface ReservationItem {
  sku: string;
  quantity: number;
}

export const MAX_RESERVATION_ITEMS = 100;
export const MAX_RESERVATION_QUANTITY = 1_000_000;

/**
 * The one order in which a reservation touches stock rows: by sku, compared
 * by UTF-16 code unit (not by locale, which could differ between callers).
 * Two orders that share skus lock the shared rows in the same order, so
 * they wait for each other instead of deadlocking.
 */
export function bySku(a: { sku: string }, b: { sku: string }): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/**
 * Checks the items of a reserve call and returns them in lock order, with
 * repeated skus merged into one line.
 */
export function normalizeReservationItems(items: readonly ReservationItem[], field = 'items'): ReservationItem[] {
  if (items.length === 0) throw badUserInput(`"${field}" must hold at least one item.`, field);
  if (items.length > MAX_RESERVATION_ITEMS) throw badUserInput(`"${field}" may hold at most ${MAX_RESERVATION_ITEMS} items.`, field);
  const merged = new Map<string, number>();
  items.forEach((item, index) => {
    checkSku(item.sku, `${field}[${index}].sku`);
    checkQuantity(item.quantity, `${field}[${index}].quantity`, MAX_RESERVATION_QUANTITY);
    merged.set(item.sku, (merged.get(item.sku) ?? 0) + item.quantity);
  });
  const lines = [...merged].map(([sku, quantity]) => ({ sku, quantity }));
  for (const line of lines) checkQuantity(line.quantity, `${field}.quantity`, MAX_RESERVATION_QUANTITY);
  return lines.sort(bySku);
}

/** True when two normalized item lists hold the same units of the same skus. */
export function sameItems(a: readonly ReservationItem[], b: readonly ReservationItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item.sku === b[i]?.sku && item.quantity === b[i]?.quantity);
}
