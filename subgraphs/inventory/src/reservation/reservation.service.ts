import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, notFound, type EntityManager } from '@shop/platform';
import type { StockLevel } from '../stock/stock-level.ts';
import type { StockCache } from '../stock/stock.cache.ts';
import { StockRepository } from '../stock/stock.repository.ts';
import type { ReservationStatus } from './reservation.entity.ts';
import { normalizeReservationItems, sameItems, type ReservationItem } from './reservation-items.ts';
import { ReservationRepository, type ReservationRow } from './reservation.repository.ts';

/** An order's hold on stock. */
export interface Reservation {
  id: string;
  orderId: string;
  status: ReservationStatus;
  expiresAt: Date;
  items: ReservationItem[];
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: Reservation }
  | { kind: 'insufficient'; sku: string; requested: number; available: number };

export type CommitOutcome = { kind: 'committed'; reservation: Reservation } | { kind: 'released'; reservation: Reservation };

export const MAX_ORDER_ID_LENGTH = 128;
export const MIN_TTL_MS = 1;
export const MAX_TTL_MS = 24 * 60 * 60 * 1000;

export function checkOrderId(orderId: string): string {
  if (orderId.length === 0 || orderId.length > MAX_ORDER_ID_LENGTH) {
    throw badUserInput(`"orderId" must be 1 to ${MAX_ORDER_ID_LENGTH} characters long.`, 'orderId');
  }
  return orderId;
}

export function checkTtlMs(ttlMs: number, field = 'ttlMs'): number {
  if (!Number.isInteger(ttlMs) || ttlMs < MIN_TTL_MS || ttlMs > MAX_TTL_MS) {
    throw badUserInput(`"${field}" must be from ${MIN_TTL_MS} to ${MAX_TTL_MS} ms, got ${ttlMs}.`, field);
  }
  return ttlMs;
}

/** A hold time given in whole seconds (the GraphQL argument), checked and in ms. */
export function ttlFromSeconds(seconds: number): number {
  const max = MAX_TTL_MS / 1000;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max) {
    throw badUserInput(`"ttlSeconds" must be a whole number from 1 to ${max}, got ${seconds}.`, 'ttlSeconds');
  }
  return seconds * 1000;
}

/** Builds the reservation of one order from its lines (all share id, status and expiry). */
export function toReservation(rows: readonly ReservationRow[]): Reservation {
  const [first] = rows;
  if (!first) throw new Error('a reservation has at least one line');
  return {
    id: first.id,
    orderId: first.orderId,
    status: first.status,
    expiresAt: first.expiresAt,
    items: rows.map((r) => ({ sku: r.sku, quantity: r.quantity })),
  };
}

/**
 * The outcome of a reserve call for an order that already has a
 * reservation: the same call again gets the same reservation; different
 * items, or a reservation already released, are a caller's mistake.
 */
export function replayReservation(existing: Reservation, requested: readonly ReservationItem[]): ReserveOutcome {
  if (!sameItems(existing.items, requested)) {
    throw conflict(`Order ${existing.orderId} already holds a reservation for different items.`);
  }
  if (existing.status === 'RELEASED') {
    throw conflict(`The reservation of order ${existing.orderId} was released; reserve under a new order id.`);
  }
  return { kind: 'reserved', reservation: existing };
}

/** Raised inside the reserve transaction to roll every held line back. */
class NotEnoughStock extends Error {
  readonly item: ReservationItem;
  constructor(item: ReservationItem) {
    super(`not enough stock of ${item.sku}`);
    this.item = item;
  }
}

/**
 * Reservations: the stock side of the orders saga. PostgreSQL decides every
 * sale with a conditional decrement under the stock row's lock; the cache is
 * only told the new levels after commit, and only consulted to turn away
 * requests that cannot succeed before they queue for that lock.
 */
export class ReservationService {
  readonly #em: EntityManager;
  readonly #cache: StockCache;
  constructor(em: EntityManager, cache: StockCache) {
    this.#em = em;
    this.#cache = cache;
  }

  /**
   * Holds `items` for `orderId` until `ttlMs` from now: every line or none.
   * Idempotent per order: calling again returns the reservation made first.
   */
  async reserve(orderId: string, items: readonly ReservationItem[], ttlMs: number): Promise<ReserveOutcome> {
    checkOrderId(orderId);
    const lines = normalizeReservationItems(items);
    checkTtlMs(ttlMs);

    const hopeless = await this.#hopelessLine(lines);
    if (hopeless) {
      const existing = await new ReservationRepository(this.#em).findByOrder(orderId);
      if (existing.length > 0) return replayReservation(toReservation(existing), lines);
      return { kind: 'insufficient', sku: hopeless.sku, requested: hopeless.quantity, available: hopeless.available };
    }

    let held: { reservation: Reservation; levels: StockLevel[]; replayed: boolean };
    try {
      held = await this.#em.transactional(async (tx) => {
        const reservations = new ReservationRepository(tx);
        const stock = new StockRepository(tx);
        await reservations.lockOrder(orderId);
        const existing = await reservations.findByOrder(orderId);
        if (existing.length > 0) return { reservation: toReservation(existing), levels: [], replayed: true };
        const levels: StockLevel[] = [];
        // Lines come in lock order (normalizeReservationItems sorts them).
        for (const line of lines) {
          const level = await stock.holdUnits(line.sku, line.quantity);
          if (!level) throw new NotEnoughStock(line);
          levels.push(level);
        }
        const inserted = await reservations.insertHeld(randomUUID(), orderId, lines, ttlMs);
        return { reservation: toReservation(inserted), levels, replayed: false };
      });
    } catch (error) {
      if (!(error instanceof NotEnoughStock)) throw error;
      return this.#insufficient(error.item);
    }
    if (held.replayed) return replayReservation(held.reservation, lines);
    await this.#cache.write(held.levels);
    return { kind: 'reserved', reservation: held.reservation };
  }

  /**
   * Turns an order's held units into a sale. Committing twice is harmless;
   * a reservation already released (expired, or released by the saga) cannot
   * be committed, which the caller learns from the `released` outcome.
   */
  async commit(orderId: string): Promise<CommitOutcome> {
    checkOrderId(orderId);
    const { reservation } = await this.#close(orderId, 'COMMITTED');
    if (!reservation) throw notFound(`Order ${orderId} has no reservation.`);
    return reservation.status === 'RELEASED' ? { kind: 'released', reservation } : { kind: 'committed', reservation };
  }

  /**
   * Returns an order's held units to stock. Safe to call whatever happened
   * before (the saga compensates blindly): null when the order holds nothing,
   * the released reservation otherwise. A committed reservation is a sale and
   * cannot be released.
   */
  async release(orderId: string): Promise<Reservation | null> {
    checkOrderId(orderId);
    const { reservation } = await this.#close(orderId, 'RELEASED');
    if (reservation?.status === 'COMMITTED') throw conflict(`The reservation of order ${orderId} is committed; it can no longer be released.`);
    return reservation;
  }

  /** Releases up to `limit` orders whose HELD reservation has expired. Returns how many were released. */
  async releaseExpired(limit = 100): Promise<number> {
    const orderIds = await new ReservationRepository(this.#em).findExpiredOrderIds(limit);
    let released = 0;
    for (const orderId of orderIds) {
      const { changed } = await this.#close(orderId, 'RELEASED', { onlyExpired: true });
      if (changed) released += 1;
    }
    return released;
  }

  /**
   * Moves an order's HELD lines to `status` in one transaction, settling the
   * stock rows in lock order, then tells the cache. Returns the reservation as
   * it stands afterwards (null when the order has none) and whether it changed.
   */
  async #close(orderId: string, status: 'COMMITTED' | 'RELEASED', options: { onlyExpired?: boolean } = {}) {
    const result = await this.#em.transactional(async (tx) => {
      const reservations = new ReservationRepository(tx);
      const stock = new StockRepository(tx);
      await reservations.lockOrder(orderId);
      const closed = await reservations.closeHeld(orderId, status, options);
      const levels: StockLevel[] = [];
      for (const line of closed) {
        levels.push(status === 'COMMITTED' ? await stock.sellHeldUnits(line.sku, line.quantity) : await stock.returnHeldUnits(line.sku, line.quantity));
      }
      const rows = closed.length > 0 ? closed : await reservations.findByOrder(orderId);
      return { reservation: rows.length > 0 ? toReservation(rows) : null, levels };
    });
    await this.#cache.write(result.levels);
    return { reservation: result.reservation, changed: result.levels.length > 0 };
  }

  /**
   * The first line the cache already says cannot be served. The cache may
   * lag, so it only ever refuses early, never sells: a stale refusal is
   * corrected by the next stock change or the cache TTL.
   */
  async #hopelessLine(lines: readonly ReservationItem[]) {
    const cached = await this.#cache.read(lines.map((l) => l.sku));
    for (const line of lines) {
      const level = cached.get(line.sku);
      if (level && level.available < line.quantity) return { ...line, available: level.available };
    }
    return null;
  }

  async #insufficient(item: ReservationItem): Promise<ReserveOutcome> {
    const [level] = await new StockRepository(this.#em).findLevels([item.sku]);
    const available = level?.available ?? 0;
    // Later calls for this sku can now be turned away before the row lock.
    await this.#cache.write([{ sku: item.sku, available }]);
    return { kind: 'insufficient', sku: item.sku, requested: item.quantity, available };
  }
}
