import { ServiceCallError, type ServiceClient } from './service-client.ts';

export interface StockItem {
  sku: string;
  quantity: number;
}

export type ReserveResult =
  | { kind: 'reserved'; reservationId: string; expiresAt: string }
  | { kind: 'insufficient'; sku: string; available: number; message: string };

type RawReserveResult = { __typename: string; reservationId?: string; expiresAt?: string; sku?: string; available?: number; message?: string };

function toReserveResult(r: RawReserveResult): ReserveResult {
  if (r.__typename === 'StockReserved') return { kind: 'reserved', reservationId: r.reservationId!, expiresAt: r.expiresAt! };
  return { kind: 'insufficient', sku: r.sku!, available: r.available!, message: r.message! };
}

const RESERVE = `
  mutation OrdersReserveStock($orderId: ID!, $items: [ReservationItemInput!]!, $ttlSeconds: Int!) {
    reserveStock(orderId: $orderId, items: $items, ttlSeconds: $ttlSeconds) {
      __typename
      ... on StockReserved { reservationId expiresAt }
      ... on InsufficientStock { sku available message }
    }
  }`;

const RESERVE_BATCH = `
  mutation OrdersReserveStockBatch($requests: [StockReservationRequestInput!]!) {
    reserveStockBatch(requests: $requests) {
      __typename
      ... on StockReserved { reservationId expiresAt }
      ... on InsufficientStock { sku available message }
    }
  }`;

const COMMIT = `
  mutation OrdersCommitReservation($orderId: ID!) {
    commitReservation(orderId: $orderId) { __typename }
  }`;

const COMMIT_BATCH = `
  mutation OrdersCommitReservations($orderIds: [ID!]!) {
    commitReservations(orderIds: $orderIds) { __typename }
  }`;

const RELEASE_BATCH = `
  mutation OrdersReleaseReservations($orderIds: [ID!]!) {
    releaseReservations(orderIds: $orderIds) { status }
  }`;

const RELEASE = `
  mutation OrdersReleaseReservation($orderId: ID!) {
    releaseReservation(orderId: $orderId) { status }
  }`;

const RESTOCK = `
  mutation OrdersRestock($sku: ID!, $quantity: Int!) {
    restock(sku: $sku, quantity: $quantity) { sku available }
  }`;

/**
 * The inventory subgraph's internal reservation API, called with the orders
 * SERVICE identity. reserve, commit and release are idempotent per order.
 */
export class InventoryClient {
  readonly #client: ServiceClient;
  constructor(client: ServiceClient) {
    this.#client = client;
  }

  /** Holds every item for the order, or nothing (InsufficientStock names the first short sku). */
  async reserve(orderId: string, items: readonly StockItem[], ttlSeconds: number): Promise<ReserveResult> {
    const { reserveStock } = await this.#client.request<{ reserveStock: RawReserveResult }>(RESERVE, {
      orderId,
      items: items.map(({ sku, quantity }) => ({ sku, quantity })),
      ttlSeconds,
    });
    return toReserveResult(reserveStock);
  }

  /**
   * `reserve` for many orders in one call; answers in request order. A
   * request that failed on its own is a ServiceCallError at its index; a
   * call that failed as a whole throws.
   */
  async reserveMany(requests: readonly { orderId: string; items: readonly StockItem[]; ttlSeconds: number }[]): Promise<(ReserveResult | ServiceCallError)[]> {
    const { data, failed } = await this.#client.requestItems<{ reserveStockBatch: (RawReserveResult | null)[] }>(RESERVE_BATCH, {
      requests: requests.map((r) => ({ orderId: r.orderId, items: r.items.map(({ sku, quantity }) => ({ sku, quantity })), ttlSeconds: r.ttlSeconds })),
    });
    return requests.map((_, i) => {
      const raw = data.reserveStockBatch[i];
      return raw ? toReserveResult(raw) : (failed.get(i) ?? new ServiceCallError('inventory', 'unavailable', `no answer for request ${i}`));
    });
  }

  /** Sells the held units; `released` when the hold had already ended (expired or released) and nothing was sold. */
  async commit(orderId: string): Promise<'committed' | 'released'> {
    const { commitReservation } = await this.#client.request<{ commitReservation: { __typename: string } }>(COMMIT, { orderId });
    return commitReservation.__typename === 'ReservationCommitted' ? 'committed' : 'released';
  }

  /**
   * `commit` for many orders in one call (one transaction in inventory);
   * answers in request order. An order that failed on its own (NOT_FOUND:
   * it never reserved) is a ServiceCallError at its index; a call that
   * failed as a whole throws.
   */
  async commitMany(orderIds: readonly string[]): Promise<('committed' | 'released' | ServiceCallError)[]> {
    const { data, failed } = await this.#client.requestItems<{ commitReservations: ({ __typename: string } | null)[] }>(COMMIT_BATCH, { orderIds });
    return orderIds.map((_, i) => {
      const raw = data.commitReservations[i];
      if (raw) return raw.__typename === 'ReservationCommitted' ? 'committed' : 'released';
      return failed.get(i) ?? new ServiceCallError('inventory', 'unavailable', `no answer for order ${i}`);
    });
  }

  /**
   * `release` for many orders in one call (one transaction in inventory);
   * answers in request order: undefined when released (or nothing was
   * held), a ServiceCallError for an order that failed on its own
   * (CONFLICT: committed). A call that failed as a whole throws.
   */
  async releaseMany(orderIds: readonly string[]): Promise<(undefined | ServiceCallError)[]> {
    const { failed } = await this.#client.requestItems<{ releaseReservations: ({ status: string } | null)[] }>(RELEASE_BATCH, { orderIds });
    return orderIds.map((_, i) => failed.get(i));
  }

  /** Returns held units to stock; harmless when the order holds nothing. */
  async release(orderId: string): Promise<void> {
    await this.#client.request(RELEASE, { orderId });
  }

  /**
   * Puts sold units back on sale (a cancelled order's committed stock).
   * Inventory's `restock` is not idempotent: the caller must make sure it
   * is sent at most once per line (see RETURNING_STOCK in the saga).
   */
  async restock(sku: string, quantity: number): Promise<void> {
    await this.#client.request(RESTOCK, { sku, quantity });
  }
}
