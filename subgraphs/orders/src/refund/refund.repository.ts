import { randomUUID } from 'node:crypto';
import { isUuid, sql, type EntityManager } from '@shop/platform';
import { OrderRepository } from '../order/order.repository.ts';

export type RefundStatus = 'PENDING' | 'SUCCEEDED';

/** A refund request as stored. */
export interface RefundRow {
  id: string;
  orderId: string;
  requestKey: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  createdAt: Date;
}

interface Row {
  id: string;
  order_id: string;
  request_key: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  created_at: Date | string;
}

const toRefund = (r: Row): RefundRow => ({
  id: r.id,
  orderId: r.order_id,
  requestKey: r.request_key,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  createdAt: new Date(r.created_at),
});

/** Queries only; every method is one SQL statement. */
export class RefundRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Runs `work` in one transaction, with this repository and the orders' bound to it. */
  transactional<T>(work: (tx: RefundRepository, orders: OrderRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new RefundRepository(em), new OrderRepository(em)));
  }

  async findByKey(orderId: string, requestKey: string): Promise<RefundRow | null> {
    const [row] = await sql<Row>(this.#em, `select * from "${this.#schema}".refunds where order_id = ? and request_key = ?`, [orderId, requestKey]);
    return row ? toRefund(row) : null;
  }

  /** Sum of the order's refunds: every one (PENDING ones are promised), or only those payments confirmed. */
  async sumOfOrder(orderId: string, which: 'all' | 'succeeded'): Promise<number> {
    const [row] = await sql<{ total: string | number }>(
      this.#em,
      `select coalesce(sum(amount), 0) as total from "${this.#schema}".refunds where order_id = ? and (? or status = 'SUCCEEDED')`,
      [orderId, which === 'all'],
    );
    return Number(row!.total);
  }

  async insert(refund: { orderId: string; requestKey: string; amount: number; currency: string; requestedBy: string }): Promise<RefundRow> {
    const [row] = await sql<Row>(
      this.#em,
      `insert into "${this.#schema}".refunds (id, order_id, request_key, amount, currency, status, requested_by) values (?, ?, ?, ?, ?, 'PENDING', ?) returning *`,
      [randomUUID(), refund.orderId, refund.requestKey, refund.amount, refund.currency, refund.requestedBy],
    );
    return toRefund(row!);
  }

  async markSucceeded(id: string, at: Date): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".refunds set status = 'SUCCEEDED', succeeded_at = ? where id = ?`, [at, id]);
  }

  /** Forgets a request payments refused: nothing was paid back, so its key may be used again. */
  async delete(id: string): Promise<void> {
    await sql(this.#em, `delete from "${this.#schema}".refunds where id = ? and status = 'PENDING'`, [id]);
  }

  /** The refunds of these orders, oldest first. */
  async findOfOrders(orderIds: readonly string[]): Promise<RefundRow[]> {
    const valid = orderIds.filter(isUuid);
    if (!valid.length) return [];
    const rows = await sql<Row>(this.#em, `select * from "${this.#schema}".refunds where order_id in (?) order by created_at, id`, [valid]);
    return rows.map(toRefund);
  }
}
