import { badUserInput, decodeCursor, isCursorTimestamp, pageSize } from '@shop/platform';
import { isUuid } from '../db.ts';
import type { LiveSale } from './live-sale.entity.ts';
import type { LiveSaleStatus } from './live-sale.rules.ts';

/**
 * The arguments of `Query.liveSales`. Each status has its own keyset order
 * (UPCOMING and LIVE: soonest start first; ENDED: latest end first; no
 * status: latest start first), and a cursor carries the order it belongs to.
 */
export type LiveSaleOrder = LiveSaleStatus | 'ALL';

export interface ListLiveSalesArgs {
  status?: LiveSaleStatus | null;
  sellerId?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface LiveSalePageQuery {
  order: LiveSaleOrder;
  first: number;
  sellerId?: string;
  after?: { at: string; id: string };
  now: Date;
}

export const DEFAULT_LIVE_SALE_PAGE_SIZE = 20;

/** The time a sale is ordered by in `order`. */
export function orderTimeOf(order: LiveSaleOrder, sale: Pick<LiveSale, 'startsAt' | 'endsAt'>): Date {
  return order === 'ENDED' ? sale.endsAt : sale.startsAt;
}

export function liveSalePositionOf(order: LiveSaleOrder, sale: LiveSale): unknown[] {
  return [order, orderTimeOf(order, sale).toISOString(), sale.id];
}

export function parseListLiveSalesArgs(args: ListLiveSalesArgs, now: Date): LiveSalePageQuery {
  const first = pageSize(args.first ?? DEFAULT_LIVE_SALE_PAGE_SIZE);
  const order: LiveSaleOrder = args.status ?? 'ALL';
  if (args.sellerId != null && !isUuid(args.sellerId)) throw badUserInput('"sellerId" is not a user id.', 'sellerId');
  let after: LiveSalePageQuery['after'];
  if (args.after) {
    const [tag, at, id, ...rest] = decodeCursor(args.after);
    if (!isCursorTimestamp(at) || !isUuid(id) || rest.length) {
      throw badUserInput('"after" is not a cursor returned by this API.', 'after');
    }
    if (tag !== order) throw badUserInput(`"after" is a cursor of another status; it cannot continue a ${order} list.`, 'after');
    after = { at, id };
  }
  return { order, first, sellerId: args.sellerId?.toLowerCase() ?? undefined, after, now };
}
