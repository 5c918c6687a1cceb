import { badUserInput, conflict, forbidden, hasRole, notFound, pageSize, requireRole, toConnection, type Connection, type Viewer } from '@shop/platform';
import { fetchVariantPrices } from '../catalogue/variant-prices.ts';
import type { Order } from '../order/order.entity.ts';
import type { OrderRepository } from '../order/order.repository.ts';
import { parseOrderCursor } from '../order/order.service.ts';
import type { ProductsClient } from '../remote/products.client.ts';
import type { FulfilmentRepository } from './fulfilment.repository.ts';

export const DEFAULT_TO_FULFIL_PAGE_SIZE = 20;
export const MAX_TRACKING_NUMBER_LENGTH = 100;
/** Skus asked of products per call when learning sellers (variantPrices takes up to 100). */
const SELLER_LOOKUP_BATCH = 100;

export interface FulfilmentServiceDeps {
  repository: FulfilmentRepository;
  orders: OrderRepository;
  /** Tells the seller of each sku. */
  products: ProductsClient;
}

/**
 * Shipping orders. A line's seller is copied from products onto the line the
 * first time fulfilment needs it (sellers do not change hands), so listing
 * a seller's orders is one indexed statement rather than a call per order.
 */
export class FulfilmentService {
  readonly #repository: FulfilmentRepository;
  readonly #orders: OrderRepository;
  readonly #products: ProductsClient;
  constructor(deps: FulfilmentServiceDeps) {
    this.#repository = deps.repository;
    this.#orders = deps.orders;
    this.#products = deps.products;
  }

  /** CONFIRMED orders waiting to ship, oldest first: a SELLER's (holding their products) or, for an ADMIN, all. */
  async listToFulfil(viewer: Viewer | null, args: { first?: number | null; after?: string | null }): Promise<Connection<Order>> {
    const caller = requireRole(viewer, 'SELLER', 'ADMIN');
    const first = pageSize(args.first ?? DEFAULT_TO_FULFIL_PAGE_SIZE);
    const after = args.after ? parseOrderCursor(args.after) : undefined;
    const sellerId = hasRole(caller, 'ADMIN') ? null : caller.userId;
    if (sellerId) await this.#learnSellers({});
    const rows = await this.#repository.findToFulfil({ sellerId, limit: first + 1, after });
    return toConnection(rows, first, (order) => [order.placedAt.toISOString(), order.id]);
  }

  /**
   *   1. check the caller (SELLER or ADMIN) and the tracking number;
   *   2. the order must exist; a seller must sell every line of it;
   *   3. under the order's lock: FULFILLED already is answered as it
   *      stands; CONFIRMED with nothing in flight becomes FULFILLED, with its
   *      shipment and the OrderFulfilled event in the same transaction;
   *      anything else is a CONFLICT.
   */
  async fulfil(viewer: Viewer | null, orderId: string, trackingNumber: string): Promise<Order> {
    const caller = requireRole(viewer, 'SELLER', 'ADMIN');
    const tracking = trackingNumber.trim();
    if (tracking.length < 1 || tracking.length > MAX_TRACKING_NUMBER_LENGTH) {
      throw badUserInput(`"trackingNumber" must be 1 to ${MAX_TRACKING_NUMBER_LENGTH} characters long.`, 'trackingNumber');
    }
    const order = await this.#orders.findFresh(orderId);
    if (!order) throw notFound(`No order ${orderId}.`);
    if (!hasRole(caller, 'ADMIN')) await this.#requireSellerOfEveryLine(caller.userId, orderId);

    return this.#repository.transactional(async (tx, orders) => {
      const locked = (await orders.lockById(orderId))!;
      if (locked.status === 'FULFILLED') return locked;
      if (locked.status !== 'CONFIRMED' || locked.sagaStep !== 'DONE') throw conflict(notFulfillable(locked));
      const at = new Date();
      await tx.insertFulfilment({ orderId, trackingNumber: tracking, fulfilledBy: caller.userId, fulfilledAt: at });
      await orders.recordStatus(locked, 'FULFILLED', `fulfilled by ${caller.userId}`, at, { trackingNumber: tracking, fulfilledAt: at.toISOString() });
      await orders.flush();
      return locked;
    });
  }

  /** A seller may fulfil only an order every line of which is theirs; one that holds none of theirs does not exist for them. */
  async #requireSellerOfEveryLine(sellerId: string, orderId: string): Promise<void> {
    await this.#learnSellers({ orderId });
    const lines = await this.#repository.findLineSellers(orderId);
    const mine = lines.filter((line) => line.sellerId === sellerId).length;
    if (mine === 0) throw notFound(`No order ${orderId}.`);
    if (mine < lines.length) throw forbidden('This order holds products of other sellers: only an admin can fulfil it.');
  }

  /** Copies the sellers of lines that do not have one yet from products (of one order, or of every order waiting to ship). */
  async #learnSellers(scope: { orderId?: string }): Promise<void> {
    for (;;) {
      const skus = await this.#repository.findSkusWithUnknownSeller({ ...scope, limit: SELLER_LOOKUP_BATCH });
      if (!skus.length) return;
      const prices = await fetchVariantPrices(this.#products, skus, 'The catalogue cannot tell the sellers of these orders right now. Try again.');
      await this.#repository.recordSellers(prices.map((p) => ({ sku: p.sku, sellerId: p.sellerId })));
      // Skus products no longer knows stay unknown (only an admin can ship those): a batch of nothing but those ends it.
      if (prices.length === 0) return;
    }
  }
}

function notFulfillable(order: Order): string {
  switch (order.status) {
    case 'PENDING':
      return 'The checkout of this order is still in progress; it cannot be fulfilled yet.';
    case 'CANCELLED':
      return 'This order was cancelled and cannot be fulfilled.';
    case 'REFUNDED':
      return 'This order was refunded and cannot be fulfilled.';
    default:
      // CONFIRMED with its saga still moving: the capture and stock commit that follow the answer, or a cancellation.
      return order.sagaStep === 'CANCEL_REQUESTED' || order.sagaStep === 'RETURNING_STOCK'
        ? 'This order is being cancelled and cannot be fulfilled.'
        : 'The payment of this order is still being captured; try again in a few seconds.';
  }
}
