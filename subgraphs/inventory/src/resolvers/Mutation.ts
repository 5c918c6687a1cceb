import { badUserInput, listItems, requireRole, settleListItems } from '@shop/platform';
import type { MutationResolvers, ResolversParentTypes } from '../__generated__/resolvers-types.ts';
import { requireRestockAccess } from '../stock/restock-access.ts';
import { ttlFromSeconds, type CommitOutcome, type ReserveOutcome } from '../reservation/reservation.service.ts';

export const Mutation: MutationResolvers = {
  // The product's seller (asked of products), an admin, or SERVICE (the
  // orders saga returning the units of a cancelled order): see restock-access.ts.
  restock: async (_, args, ctx) => {
    await requireRestockAccess(ctx.viewer, args.sku, ctx.sellers);
    return ctx.stock.restock(args.sku, args.quantity);
  },
  reserveStock: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    return reserveStockResult(await ctx.reservations.reserve(args.orderId, args.items, ttlFromSeconds(args.ttlSeconds)));
  },
  // One call for a batch of orders: each decided as alone (single-sku ones
  // merge in their sku's batch); a failure is null at its index, with its error.
  reserveStockBatch: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    if (args.requests.length < 1 || args.requests.length > MAX_BATCH) throw badUserInput(`"requests" must hold 1 to ${MAX_BATCH} reservations.`, 'requests');
    return settleListItems(
      args.requests.map(async (r) => reserveStockResult(await ctx.reservations.reserve(r.orderId, r.items, ttlFromSeconds(r.ttlSeconds)))),
    );
  },
  commitReservation: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    return commitReservationResult(await ctx.reservations.commit(args.orderId));
  },
  // Many orders in one transaction; a failure is null at its index, with its error.
  commitReservations: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    checkBatchSize(args.orderIds.length);
    const outcomes = await ctx.reservations.commitMany(args.orderIds);
    return listItems(outcomes.map((outcome) => (outcome instanceof Error ? outcome : commitReservationResult(outcome))));
  },
  releaseReservation: (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    return ctx.reservations.release(args.orderId);
  },
  releaseReservations: async (_, args, ctx) => {
    requireRole(ctx.viewer, 'SERVICE', 'ADMIN');
    checkBatchSize(args.orderIds.length);
    return listItems(await ctx.reservations.releaseMany(args.orderIds));
  },
};

const MAX_BATCH = 500;

function checkBatchSize(size: number): void {
  if (size < 1 || size > MAX_BATCH) throw badUserInput(`"orderIds" must hold 1 to ${MAX_BATCH} orders.`, 'orderIds');
}

function reserveStockResult(outcome: ReserveOutcome): ResolversParentTypes['ReserveStockResult'] {
  if (outcome.kind === 'reserved') {
    const { reservation } = outcome;
    return { __typename: 'StockReserved', reservationId: reservation.id, expiresAt: reservation.expiresAt.toISOString() };
  }
  return {
    __typename: 'InsufficientStock',
    sku: outcome.sku,
    available: outcome.available,
    message: `Only ${outcome.available} of ${outcome.sku} left; ${outcome.requested} requested.`,
  };
}

function commitReservationResult(outcome: CommitOutcome): ResolversParentTypes['CommitReservationResult'] {
  if (outcome.kind === 'committed') return { __typename: 'ReservationCommitted', reservation: outcome.reservation };
  return {
    __typename: 'ReservationReleased',
    reservation: outcome.reservation,
    message: `The reservation of order ${outcome.reservation.orderId} was released before it was committed; nothing was sold.`,
  };
}
