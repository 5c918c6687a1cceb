import { sql, type EntityManager } from '@shop/platform';
import type { ReservationStatus } from './reservation.entity.ts';
import { bySku, type ReservationItem } from './reservation-items.ts';

/** A reservation line as stored. */
export interface ReservationRow {
  id: string;
  orderId: string;
  sku: string;
  quantity: number;
  status: ReservationStatus;
  expiresAt: Date;
}

/** A one-line reservation to record. */
export interface NewReservation {
  id: string;
  orderId: string;
  sku: string;
  quantity: number;
  ttlMs: number;
}

interface RawRow {
  id: string;
  order_id: string;
  sku: string;
  quantity: number;
  status: ReservationStatus;
  expires_at: Date | string;
}

const COLUMNS = 'id, order_id, sku, quantity, status, expires_at';

/** Queries only; every method is one SQL statement, run on `em`'s transaction when it has one. */
export class ReservationRepository {
  readonly #em: EntityManager;
  readonly #table: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#table = `"${String(em.config.get('schema'))}".reservations`;
  }

  /**
   * Serializes work on one order until the transaction ends, so that two
   * concurrent reserve calls for the same order cannot both hold stock.
   */
  async lockOrder(orderId: string): Promise<void> {
    await sql(this.#em, 'select pg_advisory_xact_lock(hashtext(?))', [`reservation:${orderId}`]);
  }

  /**
   * `lockOrder` for several orders at once (a batch of reservations). The
   * locks are taken in one fixed order (by lock key), so two batches that
   * share orders wait for each other instead of deadlocking.
   */
  async lockOrders(orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await sql(
      this.#em,
      `select pg_advisory_xact_lock(lock_key)
         from (select distinct hashtext(key) as lock_key from unnest(array[?]::text[]) as key order by lock_key) as keys`,
      [orderIds.map((orderId) => `reservation:${orderId}`)],
    );
  }

  /** The lines of the reservations of several orders, sorted by order then sku. */
  async findByOrders(orderIds: readonly string[]): Promise<ReservationRow[]> {
    if (orderIds.length === 0) return [];
    const rows = await sql<RawRow>(this.#em, `select ${COLUMNS} from ${this.#table} where order_id in (?)`, [[...orderIds]]);
    return rows.map(toRow).sort(byOrderThenSku);
  }

  /** The lines of an order's reservation, sorted by sku; empty when the order holds none. */
  async findByOrder(orderId: string): Promise<ReservationRow[]> {
    const rows = await sql<RawRow>(this.#em, `select ${COLUMNS} from ${this.#table} where order_id = ?`, [orderId]);
    return rows.map(toRow).sort(bySku);
  }

  /** Records held lines; they expire `ttlMs` after the database's clock, the one the sweeper compares with. */
  async insertHeld(id: string, orderId: string, lines: readonly ReservationItem[], ttlMs: number): Promise<ReservationRow[]> {
    const rows = await sql<RawRow>(
      this.#em,
      `insert into ${this.#table} (id, order_id, sku, quantity, status, expires_at)
         select ?, ?, line.sku, line.quantity, 'HELD', now() + ? * interval '1 millisecond'
           from unnest(array[?]::text[], array[?]::integer[]) as line (sku, quantity)
         returning ${COLUMNS}`,
      [id, orderId, ttlMs, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
    );
    return rows.map(toRow).sort(bySku);
  }

  /** Records the one-line reservations of several orders (a batch) in one statement. */
  async insertHeldMany(reservations: readonly NewReservation[]): Promise<ReservationRow[]> {
    if (reservations.length === 0) return [];
    const rows = await sql<RawRow>(
      this.#em,
      `insert into ${this.#table} (id, order_id, sku, quantity, status, expires_at)
         select line.id, line.order_id, line.sku, line.quantity, 'HELD', now() + line.ttl_ms * interval '1 millisecond'
           from unnest(array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::integer[], array[?]::integer[])
             as line (id, order_id, sku, quantity, ttl_ms)
         returning ${COLUMNS}`,
      [
        reservations.map((r) => r.id),
        reservations.map((r) => r.orderId),
        reservations.map((r) => r.sku),
        reservations.map((r) => r.quantity),
        reservations.map((r) => r.ttlMs),
      ],
    );
    return rows.map(toRow);
  }

  /**
   * Moves an order's HELD lines to `status` and returns them; none when the
   * order holds nothing. With `onlyExpired`, only lines past their expiry move.
   */
  async closeHeld(orderId: string, status: 'COMMITTED' | 'RELEASED', options: { onlyExpired?: boolean } = {}): Promise<ReservationRow[]> {
    const rows = await sql<RawRow>(
      this.#em,
      `update ${this.#table} set status = ?, updated_at = now()
        where order_id = ? and status = 'HELD' ${options.onlyExpired ? 'and expires_at <= now()' : ''}
        returning ${COLUMNS}`,
      [status, orderId],
    );
    return rows.map(toRow).sort(bySku);
  }

  /** `closeHeld` for several orders at once (a batch of commits); returns the lines that moved. */
  async closeHeldMany(orderIds: readonly string[], status: 'COMMITTED' | 'RELEASED'): Promise<ReservationRow[]> {
    if (orderIds.length === 0) return [];
    const rows = await sql<RawRow>(
      this.#em,
      `update ${this.#table} set status = ?, updated_at = now()
        where order_id in (?) and status = 'HELD'
        returning ${COLUMNS}`,
      [status, [...orderIds]],
    );
    return rows.map(toRow);
  }

  /**
   * closeHeld for several orders in ONE statement that also reads the lines
   * of the orders it did not move (already committed or released, or none),
   * so a batch learns every order's state with it. Call it under the orders'
   * locks (lockOrders): the read is then as current as the update.
   */
  async closeHeldOf(
    orderIds: readonly string[],
    status: 'COMMITTED' | 'RELEASED',
    options: { onlyExpired?: boolean } = {},
  ): Promise<{ closed: ReservationRow[]; others: ReservationRow[] }> {
    if (orderIds.length === 0) return { closed: [], others: [] };
    const rows = await sql<RawRow & { closed: boolean }>(
      this.#em,
      `with closed as (
         update ${this.#table} set status = ?, updated_at = now()
          where order_id in (?) and status = 'HELD' ${options.onlyExpired ? 'and expires_at <= now()' : ''}
          returning ${COLUMNS}
       )
       select true as closed, ${COLUMNS} from closed
       union all
       select false, ${COLUMNS} from ${this.#table}
        where order_id in (?) and order_id not in (select order_id from closed)`,
      [status, [...orderIds], [...orderIds]],
    );
    const sorted = rows.map((raw) => ({ closed: raw.closed, row: toRow(raw) })).sort((a, b) => byOrderThenSku(a.row, b.row));
    return { closed: sorted.filter((r) => r.closed).map((r) => r.row), others: sorted.filter((r) => !r.closed).map((r) => r.row) };
  }

  /** Orders whose HELD reservation has expired, oldest expiry first. */
  async findExpiredOrderIds(limit: number): Promise<string[]> {
    const rows = await sql<{ order_id: string }>(
      this.#em,
      `select order_id from ${this.#table}
        where status = 'HELD' and expires_at <= now()
        group by order_id
        order by min(expires_at)
        limit ?`,
      [limit],
    );
    return rows.map((r) => r.order_id);
  }
}

function byOrderThenSku(a: ReservationRow, b: ReservationRow): number {
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : bySku(a, b);
}

function toRow(raw: RawRow): ReservationRow {
  return {
    id: raw.id,
    orderId: raw.order_id,
    sku: raw.sku,
    quantity: Number(raw.quantity),
    status: raw.status,
    expiresAt: raw.expires_at instanceof Date ? raw.expires_at : new Date(raw.expires_at),
  };
}
