import { LockMode } from '@mikro-orm/core';
import { isUuid, OUTBOX_RECORD_COLUMNS, outboxRecords, sql, writeOutboxEvents, type EntityManager, type OutboxEventInput } from '@shop/platform';
import type { CheckoutOutcome } from '../checkout/checkout-outcome.ts';
import type { SagaStep } from '../checkout/saga-step.ts';
import { Order, OrderItem, OrderStatusChange } from './order.entity.ts';
import { orderEventFor } from './order.events.ts';
import type { OrderStatus } from './order.state.ts';

/** One keyset page of one user's orders, newest first. */
export interface OrderPageRequest {
  /** Opaque key that comes back on every row of this page (the DataLoader groups by it). */
  pageKey: string;
  userId: string;
  /** Rows to fetch (page size + 1 to detect a next page). */
  limit: number;
  /** Keyset position to continue after: [placedAt ISO string, id]. */
  after?: readonly [string, string];
}

export interface OrderPageRow {
  pageKey: string;
  order: Order;
}

const ORDER_COLUMNS =
  'id, user_id, status, total_amount, currency, idempotency_key, request_hash, placed_at, updated_at, saga_step, saga_updated_at, outcome';

/** A new order as checkout creates it: PENDING, priced, with its first saga step. */
export interface NewOrder {
  id: string;
  userId: string;
  idempotencyKey: string;
  requestHash: string;
  currency: string;
  totalAmount: number;
  sagaStep: SagaStep;
  items: readonly { id: string; sku: string; quantity: number; unitPriceAmount: number }[];
  at: Date;
}

/** One order's saga move in a batch (see moveSagas). */
export interface SagaMove {
  id: string;
  from: SagaStep;
  to: SagaStep;
  /** A status change from PENDING, recorded in the history with `reason`. */
  status?: OrderStatus;
  reason?: string;
  outcome?: CheckoutOutcome;
}

/** Queries only; every method is one SQL statement unless it says otherwise. */
export class OrderRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  transactional<T>(work: (repository: OrderRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new OrderRepository(em)));
  }

  async findByIds(ids: readonly string[]): Promise<Order[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.#em.find(Order, { id: { $in: valid } }) : [];
  }

  async findItemsByOrderIds(orderIds: readonly string[]): Promise<OrderItem[]> {
    const valid = orderIds.filter(isUuid);
    if (!valid.length) return [];
    return this.#em.find(OrderItem, { order: { $in: valid } }, { orderBy: { order: 'asc', position: 'asc' } });
  }

  /**
   * Any number of users' pages in one statement: the requests travel as one
   * JSON parameter and each becomes a LATERAL keyset scan of
   * orders_user_placed_at_idx. A missing `after` is the position just past the
   * newest possible row, so the comparison stays index-friendly.
   */
  async findPages(requests: readonly OrderPageRequest[]): Promise<OrderPageRow[]> {
    const valid = requests.filter((r) => isUuid(r.userId) && (!r.after || isUuid(r.after[1])));
    if (!valid.length) return [];
    const payload = valid.map((r) => ({
      page_key: r.pageKey,
      user_id: r.userId,
      lim: r.limit,
      after_at: r.after?.[0] ?? null,
      after_id: r.after?.[1] ?? null,
    }));
    const rows = await sql<Record<string, unknown> & { page_key: string }>(
      this.#em,
      `select k.page_key, o.*
         from jsonb_to_recordset(?::jsonb) as k(page_key text, user_id uuid, lim integer, after_at timestamptz, after_id uuid)
         cross join lateral (
           select ${ORDER_COLUMNS}
             from "${this.#schema}".orders
            where user_id = k.user_id
              and (placed_at, id) < (coalesce(k.after_at, 'infinity'::timestamptz), coalesce(k.after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
            order by placed_at desc, id desc
            limit k.lim
         ) o
        order by k.page_key, o.placed_at desc, o.id desc`,
      [JSON.stringify(payload)],
    );
    return rows.map(({ page_key, ...row }) => ({ pageKey: page_key, order: this.#em.map(Order, row) }));
  }

  /** The order, locked for update until the surrounding transaction ends; null when missing. */
  async lockById(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(Order, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /**
   * Sets the status, appends the audit row and records the event of the
   * change (OrderPlaced, OrderCancelled, OrderRefunded) in the outbox. Call
   * it inside a transaction: the event is written at once, the status and
   * audit row when the transaction flushes, and all commit together.
   */
  async recordStatus(order: Order, to: OrderStatus, reason: string | null, at: Date, details: Record<string, unknown> = {}): Promise<void> {
    const from = order.status;
    this.#em.create(OrderStatusChange, { order, fromStatus: from, toStatus: to, at, reason });
    order.status = to;
    order.updatedAt = at;
    const items = to === 'CONFIRMED' ? await this.#em.find(OrderItem, { order }, { orderBy: { position: 'asc' } }) : [];
    const event = orderEventFor(order, from, reason, items, details);
    if (event) await writeOutboxEvents(this.#em, [event]);
  }

  /** Records an event that comes with no status change (a partial refund) in the outbox, on the surrounding transaction. */
  async recordEvent(event: OutboxEventInput): Promise<void> {
    await writeOutboxEvents(this.#em, [event]);
  }

  async flush(): Promise<void> {
    await this.#em.flush();
  }

  /** The order as stored now (never a copy cached earlier in this EntityManager); null when missing. */
  async findFresh(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(Order, { id }, { refresh: true });
  }

  /** The user's order placed with `idempotencyKey`, as stored now; null when there is none. */
  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Order | null> {
    if (!isUuid(userId)) return null;
    return this.#em.findOne(Order, { userId, idempotencyKey }, { refresh: true });
  }

  /**
   * Inserts a PENDING order with its items and first history row, unless the
   * user already has an order with this idempotency key (then nothing is
   * written and the result is false). Call it inside a transaction.
   */
  async insertIfKeyIsNew(order: NewOrder): Promise<boolean> {
    const inserted = await sql<{ id: string }>(
      this.#em,
      `insert into "${this.#schema}".orders
         (id, user_id, status, total_amount, currency, idempotency_key, request_hash, placed_at, updated_at, saga_step, saga_updated_at)
       values (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (user_id, idempotency_key) do nothing
       returning id`,
      [order.id, order.userId, order.totalAmount, order.currency, order.idempotencyKey, order.requestHash, order.at, order.at, order.sagaStep, order.at],
    );
    if (inserted.length === 0) return false;
    await sql(
      this.#em,
      `insert into "${this.#schema}".order_items (id, order_id, sku, quantity, unit_price_amount, currency, position)
         select id, ?::uuid, sku, quantity, unit_price_amount, ?, position
           from unnest(array[?]::uuid[], array[?]::text[], array[?]::integer[], array[?]::integer[], array[?]::integer[])
             as i(id, sku, quantity, unit_price_amount, position)`,
      [
        order.id,
        order.currency,
        order.items.map((i) => i.id),
        order.items.map((i) => i.sku),
        order.items.map((i) => i.quantity),
        order.items.map((i) => i.unitPriceAmount),
        order.items.map((_, position) => position),
      ],
    );
    await sql(
      this.#em,
      `insert into "${this.#schema}".order_status_history (order_id, from_status, to_status, at, reason) values (?, null, 'PENDING', ?, 'checkout started')`,
      [order.id, order.at],
    );
    return true;
  }

  /** The orders placed under any of `keys` (user id and idempotency key), as stored now; one statement. */
  async findByIdempotencyKeys(keys: readonly { userId: string; idempotencyKey: string }[]): Promise<Order[]> {
    const valid = keys.filter((k) => isUuid(k.userId));
    if (!valid.length) return [];
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `select ${ORDER_COLUMNS} from "${this.#schema}".orders
        where (user_id, idempotency_key) in (select * from unnest(array[?]::uuid[], array[?]::text[]))`,
      [valid.map((k) => k.userId), valid.map((k) => k.idempotencyKey)],
    );
    return rows.map((row) => this.#em.map(Order, row));
  }

  /**
   * insertIfKeyIsNew for a batch of orders, in one statement whatever the
   * batch's size (the orders, their items and their first history rows, as
   * data-modifying CTEs: atomic without a transaction of its own). Returns
   * the ids inserted; an order whose (user, key) was taken (a retry, or a
   * concurrent twin) is not, and neither are its items.
   */
  async insertManyIfKeysAreNew(orders: readonly NewOrder[]): Promise<Set<string>> {
    if (!orders.length) return new Set();
    const lines = orders.flatMap((o) => o.items.map((item, position) => ({ ...item, orderId: o.id, currency: o.currency, position })));
    const inserted = await sql<{ id: string }>(
      this.#em,
      `with o as (
         insert into "${this.#schema}".orders
           (id, user_id, status, total_amount, currency, idempotency_key, request_hash, placed_at, updated_at, saga_step, saga_updated_at)
         select o.id, o.user_id, 'PENDING', o.total, o.currency, o.key, o.hash, o.at, o.at, o.step, o.at
           from unnest(array[?]::uuid[], array[?]::uuid[], array[?]::integer[], array[?]::text[], array[?]::text[], array[?]::text[], array[?]::timestamptz[], array[?]::text[])
             as o(id, user_id, total, currency, key, hash, at, step)
         on conflict (user_id, idempotency_key) do nothing
         returning id, placed_at
       ), items as (
         insert into "${this.#schema}".order_items (id, order_id, sku, quantity, unit_price_amount, currency, position)
         select l.* from unnest(array[?]::uuid[], array[?]::uuid[], array[?]::text[], array[?]::integer[], array[?]::integer[], array[?]::text[], array[?]::integer[])
             as l(id, order_id, sku, quantity, unit_price_amount, currency, position)
          where l.order_id in (select id from o)
       ), history as (
         insert into "${this.#schema}".order_status_history (order_id, from_status, to_status, at, reason)
         select id, null, 'PENDING', placed_at, 'checkout started' from o
       )
       select id from o`,
      [
        orders.map((o) => o.id),
        orders.map((o) => o.userId),
        orders.map((o) => o.totalAmount),
        orders.map((o) => o.currency),
        orders.map((o) => o.idempotencyKey),
        orders.map((o) => o.requestHash),
        orders.map((o) => o.at),
        orders.map((o) => o.sagaStep),
        lines.map((l) => l.id),
        lines.map((l) => l.orderId),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPriceAmount),
        lines.map((l) => l.currency),
        lines.map((l) => l.position),
      ],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * The saga moves of a batch in one statement, with the history rows of
   * their status changes and their outbox events (data-modifying CTEs:
   * atomic without a transaction of its own): each order moves from `from`
   * to `to` only if it still is at `from` (compare-and-set, as one #move
   * does under its row lock), with its status change (from PENDING only),
   * reason and answer (the first answer stored stands). An event (keyed by
   * its order id) is written only if its order moved. Returns the orders
   * that moved, as stored afterwards.
   */
  async moveSagas(moves: readonly SagaMove[], at: Date, events: readonly (OutboxEventInput & { key: string })[] = []): Promise<Order[]> {
    if (!moves.length) return [];
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `with m as (
         select * from jsonb_to_recordset(?::jsonb) as m(id uuid, from_step text, to_step text, to_status text, reason text, outcome jsonb)
       ), moved as (
         update "${this.#schema}".orders o
            set saga_step = m.to_step, saga_updated_at = ?,
                status = coalesce(m.to_status, o.status),
                updated_at = case when m.to_status is null then o.updated_at else ? end,
                outcome = coalesce(o.outcome, m.outcome)
           from m
          where o.id = m.id and o.saga_step = m.from_step and (m.to_status is null or o.status = 'PENDING')
          returning ${ORDER_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}
       ), history as (
         insert into "${this.#schema}".order_status_history (order_id, from_status, to_status, at, reason)
         select m.id, 'PENDING', m.to_status, ?, m.reason from m join moved on moved.id = m.id where m.to_status is not null
       ), events as (
         insert into "${this.#schema}".outbox (id, type, payload, trace_context)
         select e.id, e.type, e.payload, e.trace_context from jsonb_to_recordset(?::jsonb) as e(${OUTBOX_RECORD_COLUMNS})
          where e.key::uuid in (select id from moved)
       )
       select * from moved`,
      [
        JSON.stringify(moves.map((m) => ({ id: m.id, from_step: m.from, to_step: m.to, to_status: m.status ?? null, reason: m.reason ?? null, outcome: m.outcome ?? null }))),
        at,
        at,
        at,
        JSON.stringify(outboxRecords(events)),
      ],
    );
    return rows.map((row) => this.#em.map(Order, row));
  }

  /** Records events in the outbox on this repository's transaction. */
  async writeEvents(events: readonly OutboxEventInput[]): Promise<void> {
    await writeOutboxEvents(this.#em, events);
  }

  /**
   * Claims up to `limit` sagas that have not moved since `staleBefore`: their
   * clock is set to `now`, so other sweepers leave them alone while this one
   * works. Rows another sweeper is claiming at the same moment are skipped,
   * not waited for. Returns the claimed order ids, oldest first.
   */
  async claimStaleSagas(staleBefore: Date, now: Date, limit: number): Promise<string[]> {
    const rows = await sql<{ id: string; saga_updated_at: Date | string }>(
      this.#em,
      `with stale as (
         select id, saga_updated_at from "${this.#schema}".orders
          where saga_step <> 'DONE' and saga_updated_at < ?
          order by saga_updated_at
          limit ?
          for update skip locked
       )
       update "${this.#schema}".orders o set saga_updated_at = ?
         from stale where o.id = stale.id
       returning o.id, stale.saga_updated_at`,
      [staleBefore, limit, now],
    );
    return rows.sort((a, b) => new Date(a.saga_updated_at).getTime() - new Date(b.saga_updated_at).getTime()).map((r) => r.id);
  }

  /** The lines of one order in position order, as stored now. */
  async findItemsOfOrder(orderId: string): Promise<OrderItem[]> {
    if (!isUuid(orderId)) return [];
    return this.#em.find(OrderItem, { order: orderId }, { orderBy: { position: 'asc' }, refresh: true });
  }

  /** Marks a line's stock return as started unless it already was; true when this call marked it. */
  async startStockReturn(itemId: string, at: Date): Promise<boolean> {
    const rows = await sql<{ id: string }>(
      this.#em,
      `update "${this.#schema}".order_items set stock_return_started_at = ? where id = ? and stock_return_started_at is null returning id`,
      [at, itemId],
    );
    return rows.length === 1;
  }

  async finishStockReturn(itemId: string, at: Date): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".order_items set stock_returned_at = ? where id = ?`, [at, itemId]);
  }

  /** Undoes startStockReturn after inventory refused the return (nothing was returned, so it may be tried again). */
  async abandonStockReturn(itemId: string): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".order_items set stock_return_started_at = null where id = ? and stock_returned_at is null`, [itemId]);
  }

  /** True when an admin has refunded (or is refunding) part of the order (see src/refund). */
  async hasRefunds(orderId: string): Promise<boolean> {
    if (!isUuid(orderId)) return false;
    const rows = await sql<{ one: number }>(this.#em, `select 1 as one from "${this.#schema}".refunds where order_id = ? limit 1`, [orderId]);
    return rows.length > 0;
  }

  async findStatusHistory(orderId: string): Promise<OrderStatusChange[]> {
    if (!isUuid(orderId)) return [];
    return this.#em.find(OrderStatusChange, { order: orderId }, { orderBy: { id: 'asc' } });
  }
}
