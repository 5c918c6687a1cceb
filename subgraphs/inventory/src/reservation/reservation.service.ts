import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, notFound, type EntityManager } from '@shop/platform';
import type { StockSnapshot } from '../stock/stock-level.ts';
import type { StockCache } from '../stock/stock.cache.ts';
import type { StockNotifier } from '../stock/stock.notifier.ts';
import { StockRepository } from '../stock/stock.repository.ts';
import type { ReservationBatcher } from './reservation.batcher.ts';
import type { ReservationStatus } from './reservation.entity.ts';
import { bySku, normalizeReservationItems, sameItems, type ReservationItem } from './reservation-items.ts';
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

/** The lines' units summed per sku, in sku order. */
function unitsBySku(lines: readonly ReservationRow[]): { sku: string; quantity: number }[] {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  return [...units].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku);
}

export function groupByOrder(rows: readonly ReservationRow[]): Map<string, ReservationRow[]> {
  const groups = new Map<string, ReservationRow[]>();
  for (const row of rows) {
    const group = groups.get(row.orderId);
    if (group) group.push(row);
    else groups.set(row.orderId, [row]);
  }
  return groups;
}

/** The one answer of a batch of one: its error is thrown. */
function only<T>(answers: readonly (T | Error)[]): T {
  const [answer] = answers;
  if (answer instanceof Error) throw answer;
  return answer as T;
}

/** Raised inside the reserve transaction to roll every held line back. */
class NotEnoughStock extends Error {
  readonly item: ReservationItem;
  constructor(item: ReservationItem) {
    super(`not enough stock of ${item.sku}`);
    this.item = item;
  }
}

export interface ReservationDeps {
  /** Where changes are announced after commit (cache and live subscribers). */
  notifier: StockNotifier;
  /** Merges concurrent single-sku reservations of one sku; without it every reservation is its own transaction. */
  batcher?: ReservationBatcher;
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
  readonly #notifier: StockNotifier;
  readonly #batcher: ReservationBatcher | undefined;
  constructor(em: EntityManager, deps: ReservationDeps) {
    this.#em = em;
    this.#cache = deps.notifier.cache;
    this.#notifier = deps.notifier;
    this.#batcher = deps.batcher;
  }

  /**
   * Holds `items` for `orderId` until `ttlMs` from now: every line or none.
   * Idempotent per order: calling again returns the reservation made first.
   *
   * A reservation of one sku (what a live sale sends by the hundred) joins
   * that sku's next batch (see ReservationBatcher); a reservation of several
   * skus runs alone, all lines in one transaction.
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
    const [only] = lines;
    if (this.#batcher && only && lines.length === 1) return this.#batcher.reserve({ orderId, sku: only.sku, quantity: only.quantity, ttlMs });
    return this.#reserveAlone(orderId, lines, ttlMs);
  }

  /** One transaction for one order: lock the order, replay or hold every line in lock order, record the lines. */
  async #reserveAlone(orderId: string, lines: readonly ReservationItem[], ttlMs: number): Promise<ReserveOutcome> {
    let held: { reservation: Reservation; snapshots: StockSnapshot[]; replayed: boolean };
    try {
      held = await this.#em.transactional(async (tx) => {
        const reservations = new ReservationRepository(tx);
        const stock = new StockRepository(tx);
        await reservations.lockOrder(orderId);
        const existing = await reservations.findByOrder(orderId);
        if (existing.length > 0) return { reservation: toReservation(existing), snapshots: [], replayed: true };
        const snapshots: StockSnapshot[] = [];
        // Lines come in lock order (normalizeReservationItems sorts them).
        for (const line of lines) {
          const snapshot = await stock.holdUnits(line.sku, line.quantity);
          if (!snapshot) throw new NotEnoughStock(line);
          snapshots.push(snapshot);
        }
        const inserted = await reservations.insertHeld(randomUUID(), orderId, lines, ttlMs);
        return { reservation: toReservation(inserted), snapshots, replayed: false };
      });
    } catch (error) {
      if (!(error instanceof NotEnoughStock)) throw error;
      return this.#insufficient(error.item);
    }
    if (held.replayed) return replayReservation(held.reservation, lines);
    await this.#notifier.changed(held.snapshots);
    return { kind: 'reserved', reservation: held.reservation };
  }

  /**
   * Turns an order's held units into a sale (a one-sku reservation in its
   * sku's next commit batch). Committing twice is harmless;
   * a reservation already released (expired, or released by the saga) cannot
   * be committed, which the caller learns from the `released` outcome.
   */
  async commit(orderId: string): Promise<CommitOutcome> {
    checkOrderId(orderId);
    if (this.#batcher) {
      // Unlocked read, only to route: a one-sku reservation still HELD is
      // committed in its sku's next batch, which locks and checks again.
      const lines = await new ReservationRepository(this.#em).findByOrder(orderId);
      const [only] = lines;
      if (only && lines.length === 1 && only.status === 'HELD') return this.#batcher.commit({ orderId, sku: only.sku });
    }
    return only(await this.commitMany([orderId]));
  }

  /**
   * `commit` for many orders (the orders service settling a batch of
   * checkouts) in one transaction, whatever their skus (see #closeMany).
   * Answers in request order: committed (now or before), released (nothing
   * sold), or the order's own error (NOT_FOUND when it never reserved,
   * BAD_USER_INPUT for an id that cannot be one).
   */
  async commitMany(orderIds: readonly string[]): Promise<(CommitOutcome | Error)[]> {
    const closed = await this.#closeMany(orderIds, 'COMMITTED');
    return orderIds.map((orderId) => {
      const answer = closed.get(orderId);
      if (!answer || answer instanceof Error) return answer ?? new Error(`order ${orderId} was left undecided`);
      const { reservation } = answer;
      if (!reservation) return notFound(`Order ${orderId} has no reservation.`);
      return reservation.status === 'RELEASED' ? { kind: 'released', reservation } : { kind: 'committed', reservation };
    });
  }

  /**
   * Returns an order's held units to stock. Safe to call whatever happened
   * before (the saga compensates blindly): null when the order holds nothing,
   * the released reservation otherwise. A committed reservation is a sale and
   * cannot be released.
   */
  async release(orderId: string): Promise<Reservation | null> {
    return only(await this.releaseMany([orderId]));
  }

  /** `release` for many orders in one transaction; answers in request order, an order's own failure (CONFLICT when committed) as its error. */
  async releaseMany(orderIds: readonly string[]): Promise<(Reservation | null | Error)[]> {
    const closed = await this.#closeMany(orderIds, 'RELEASED');
    return orderIds.map((orderId) => {
      const answer = closed.get(orderId);
      if (!answer || answer instanceof Error) return answer ?? new Error(`order ${orderId} was left undecided`);
      const { reservation } = answer;
      if (reservation?.status === 'COMMITTED') return conflict(`The reservation of order ${orderId} is committed; it can no longer be released.`);
      return reservation;
    });
  }

  /** Releases, in one transaction, up to `limit` orders whose HELD reservation has expired. Returns how many were released. */
  async releaseExpired(limit = 100): Promise<number> {
    const orderIds = await new ReservationRepository(this.#em).findExpiredOrderIds(limit);
    const closed = await this.#closeMany(orderIds, 'EXPIRED');
    return [...closed.values()].filter((answer) => !(answer instanceof Error) && answer.changed).length;
  }

  /**
   * Moves the HELD lines of many orders to COMMITTED or RELEASED
   * (`EXPIRED`: released, and only lines past their expiry) in ONE
   * transaction, settles their units on the stock rows, then announces the
   * new levels. Statements, for one order as for 500: BEGIN, the orders'
   * locks (lockOrders, the lock every change of an order's reservation
   * takes first), one update of their lines that also reads the lines of
   * the orders it did not move, the stock rows locked in sku order (only
   * when there are several), one update of every stock row touched with its
   * StockChanged events, COMMIT. Every unit leaves `reserved` for `sold`
   * (COMMITTED lines) or `available`, so available + reserved + sold stays
   * what was stocked.
   *
   * Returns, per distinct order, the reservation as it stands afterwards
   * (null when the order has none) and whether this call changed it; an id
   * that cannot be an order's is its BAD_USER_INPUT error.
   */
  async #closeMany(orderIds: readonly string[], how: 'COMMITTED' | 'RELEASED' | 'EXPIRED') {
    const answers = new Map<string, { reservation: Reservation | null; changed: boolean } | Error>();
    const valid: string[] = [];
    for (const orderId of new Set(orderIds)) {
      try {
        valid.push(checkOrderId(orderId));
      } catch (error) {
        answers.set(orderId, error as Error);
      }
    }
    if (valid.length === 0) return answers;
    const result = await this.#em.transactional(async (tx) => {
      const reservations = new ReservationRepository(tx);
      const stock = new StockRepository(tx);
      await reservations.lockOrders(valid);
      const { closed, others } = await reservations.closeHeldOf(valid, how === 'COMMITTED' ? 'COMMITTED' : 'RELEASED', { onlyExpired: how === 'EXPIRED' });
      const units = unitsBySku(closed);
      if (units.length > 1) await stock.lockInOrder(units.map((u) => u.sku));
      const snapshots = await stock.settleHeldUnits(units, how === 'COMMITTED' ? 'COMMIT' : how === 'RELEASED' ? 'RELEASE' : 'EXPIRE');
      return { closed: groupByOrder(closed), others: groupByOrder(others), snapshots };
    });
    await this.#notifier.changed(result.snapshots);
    for (const orderId of valid) {
      const closed = result.closed.get(orderId);
      const rows = closed ?? result.others.get(orderId);
      answers.set(orderId, { reservation: rows ? toReservation(rows) : null, changed: closed !== undefined });
    }
    return answers;
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
