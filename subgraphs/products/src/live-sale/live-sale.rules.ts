import { isUuid } from '../db.ts';
import { InputProblems } from '../input-problems.ts';
import type { LiveSale } from './live-sale.entity.ts';

/**
 * Live sale rules: where a sale stands at a given moment, which price is in
 * effect, and what a schedule request must look like. Pure functions of the
 * clock, so that every request evaluates them at one `now`.
 */

export const LIVE_SALE_STATUSES = ['UPCOMING', 'LIVE', 'ENDED'] as const;
export type LiveSaleStatus = (typeof LIVE_SALE_STATUSES)[number];

type SaleWindow = Pick<LiveSale, 'startsAt' | 'endsAt' | 'cancelledAt'>;

/** A sale runs over [startsAt, endsAt); a cancelled one is over for good. */
export function liveSaleStatus(sale: SaleWindow, now: Date): LiveSaleStatus {
  if (sale.cancelledAt) return 'ENDED';
  if (now < sale.startsAt) return 'UPCOMING';
  return now < sale.endsAt ? 'LIVE' : 'ENDED';
}

/** When the status next changes (the sale starts or ends), or null when it never will. */
export function nextChangeAt(sale: SaleWindow, now: Date): Date | null {
  const status = liveSaleStatus(sale, now);
  if (status === 'UPCOMING') return sale.startsAt;
  return status === 'LIVE' ? sale.endsAt : null;
}

/** The sale price of a sku in the current or next (not cancelled) sale of its product. */
export interface SalePrice {
  sku: string;
  liveSaleId: string;
  amount: number;
  startsAt: Date;
  endsAt: Date;
}

/** The unit price in effect: the sale price while its sale is LIVE, the normal price otherwise. */
export function effectivePrice(listAmount: number, salePrice: SalePrice | null | undefined, now: Date): { amount: number; liveSaleId: string | null } {
  if (salePrice && liveSaleStatus({ ...salePrice, cancelledAt: null }, now) === 'LIVE') {
    return { amount: salePrice.amount, liveSaleId: salePrice.liveSaleId };
  }
  return { amount: listAmount, liveSaleId: null };
}

export interface ScheduleLiveSaleInput {
  title: string;
  startsAt: string;
  endsAt: string;
  productIds: readonly string[];
  prices?: readonly { sku: string; amount: number }[] | null;
  sellerId?: string | null;
}

export interface LiveSaleDraft {
  title: string;
  startsAt: Date;
  endsAt: Date;
  productIds: string[];
  prices: { sku: string; amount: number }[];
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_PRODUCTS = 50;
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;
/** A start slightly in the past is "now" sent over a slow network, not a mistake. */
export const START_GRACE_MS = 5 * 60_000;
/** ISO 8601 with a time and an explicit zone: a bare date or local time would be read in the server's zone. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function timestamp(problems: InputProblems, field: string, value: string): Date | undefined {
  const at = TIMESTAMP.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    problems.add(field, `"${field}" must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T18:00:00Z.`);
    return undefined;
  }
  return at;
}

/** Checks what can be checked without the database (products and skus are checked by the service). */
export function parseScheduleLiveSaleInput(input: ScheduleLiveSaleInput, now: Date, field = 'input'): { draft: LiveSaleDraft | undefined; problems: InputProblems } {
  const problems = new InputProblems();
  const title = problems.text(`${field}.title`, input.title, 1, MAX_TITLE_LENGTH);
  const startsAt = timestamp(problems, `${field}.startsAt`, input.startsAt);
  const endsAt = timestamp(problems, `${field}.endsAt`, input.endsAt);
  if (startsAt && startsAt.getTime() < now.getTime() - START_GRACE_MS) problems.add(`${field}.startsAt`, `"${field}.startsAt" must not be in the past.`);
  if (startsAt && endsAt) {
    if (endsAt <= startsAt) problems.add(`${field}.endsAt`, `"${field}.endsAt" must be after "${field}.startsAt".`);
    else if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) problems.add(`${field}.endsAt`, `"${field}.endsAt" must be at most 7 days after "${field}.startsAt".`);
  }
  const productIds: string[] = [];
  if (problems.count(`${field}.productIds`, input.productIds, 1, MAX_PRODUCTS)) {
    input.productIds.forEach((id, i) => {
      const key = id.toLowerCase();
      if (!isUuid(id)) problems.add(`${field}.productIds[${i}]`, `"${field}.productIds[${i}]" is not a product id.`);
      else if (productIds.includes(key)) problems.add(`${field}.productIds[${i}]`, `"${field}.productIds[${i}]" is listed twice.`);
      else productIds.push(key);
    });
  }
  const prices: { sku: string; amount: number }[] = [];
  (input.prices ?? []).forEach((price, i) => {
    if (prices.some((p) => p.sku === price.sku)) problems.add(`${field}.prices[${i}].sku`, `"${field}.prices[${i}].sku" is priced twice.`);
    else if (price.amount < 0) problems.add(`${field}.prices[${i}].amount`, `"${field}.prices[${i}].amount" must be 0 or more (minor units).`);
    else prices.push({ sku: price.sku, amount: price.amount });
  });
  const complete = title !== undefined && startsAt && endsAt && problems.list.length === 0;
  return { problems, draft: complete ? { title, startsAt, endsAt, productIds, prices } : undefined };
}
