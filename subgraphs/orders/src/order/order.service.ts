import {
  badUserInput,
  canActFor,
  decodeCursor,
  isCursorTimestamp,
  isUuid,
  forbidden,
  notFound,
  pageSize,
  requireViewer,
  toConnection,
  type Connection,
  type Viewer,
} from '@shop/platform';
import type { Order, OrderStatusChange } from './order.entity.ts';
import type { OrderLoaders } from './order.loaders.ts';
import type { OrderRepository } from './order.repository.ts';
import { assertTransition, type OrderStatus } from './order.state.ts';

export interface ListOrdersArgs {
  first?: number | null;
  after?: string | null;
}

export const DEFAULT_PAGE_SIZE = 10;

/** Orders are private: only their customer and ADMINs see them. */
export function canViewOrder(viewer: Viewer | null, order: Pick<Order, 'userId'>): boolean {
  return canActFor(viewer, order.userId);
}

/** Turns an `after` cursor back into the keyset position [placedAt, id] it encodes. */
export function parseOrderCursor(after: string): [string, string] {
  const [placedAt, id] = decodeCursor(after);
  if (!isCursorTimestamp(placedAt) || !isUuid(id)) {
    throw badUserInput('"after" is not a cursor returned by this API.', 'after');
  }
  return [placedAt, id];
}

export class OrderService {
  readonly #repository: OrderRepository;
  readonly #loaders: OrderLoaders;
  constructor(repository: OrderRepository, loaders: OrderLoaders) {
    this.#repository = repository;
    this.#loaders = loaders;
  }

  /** A user's orders, newest first; the viewer must be that user or an ADMIN. */
  async listOrdersOfUser(viewer: Viewer | null, userId: string, args: ListOrdersArgs): Promise<Connection<Order>> {
    if (!canActFor(requireViewer(viewer), userId)) throw forbidden("You can only see your own orders.");
    const first = pageSize(args.first ?? DEFAULT_PAGE_SIZE);
    const after = args.after ? parseOrderCursor(args.after) : undefined;
    const rows = await this.#loaders.loadOrdersPage({ userId, limit: first + 1, after });
    return toConnection(rows, first, (order) => [order.placedAt.toISOString(), order.id]);
  }

  /**
   * The order when the viewer may see it. Another user's order is null, the
   * same as a missing one, so that nobody can probe which ids exist.
   */
  async findOrder(viewer: Viewer | null, id: string): Promise<Order | null> {
    const order = await this.#loaders.orderById.load(id);
    return order && canViewOrder(viewer, order) ? order : null;
  }

  /**
   * Moves an order to `to` under a row lock, so concurrent changes (the
   * checkout saga and its sweeper) serialize, and records the change in the
   * status history in the same transaction.
   */
  async transition(orderId: string, to: OrderStatus, reason: string | null = null): Promise<Order> {
    return this.#repository.transactional(async (repository) => {
      const order = await repository.lockById(orderId);
      if (!order) throw notFound(`No order ${orderId}.`);
      await repository.recordStatus(order, assertTransition(order.status, to), reason, new Date());
      await repository.flush();
      return order;
    });
  }

  async statusHistory(orderId: string): Promise<OrderStatusChange[]> {
    return this.#repository.findStatusHistory(orderId);
  }
}
