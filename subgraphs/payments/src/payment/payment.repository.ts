import { LockMode } from '@mikro-orm/core';
import { isUuid, sql, writeOutboxEvents, type EntityManager } from '@shop/platform';
import { Payment, PaymentRefund } from './payment.entity.ts';
import type { PaymentStatus } from './payment.status.ts';

export interface NewPayment {
  id: string;
  orderId: string;
  userId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  cardBrand: string;
  cardLast4: string;
  providerRef: string;
  failureReason: string | null;
  failureMessage: string | null;
}

const EVENT_COLUMNS = 'id, order_id, user_id, status, amount, currency, refunded_amount';

/**
 * The event a payment's status publishes on `events:payments` (through the
 * outbox, in the same statement or transaction as the change).
 */
export const PAYMENT_EVENT_TYPE: Readonly<Record<PaymentStatus, string>> = {
  AUTHORIZED: 'PaymentAuthorized',
  FAILED: 'PaymentDeclined',
  CAPTURED: 'PaymentCaptured',
  VOIDED: 'PaymentVoided',
  PARTIALLY_REFUNDED: 'PaymentRefunded',
  REFUNDED: 'PaymentRefunded',
};

function paymentEventPayload(payment: Payment) {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    userId: payment.userId,
    status: payment.status,
    amount: { amount: payment.amount, currency: payment.currency },
    refunded: payment.refundedAmount,
  };
}

/** Queries only; every method is one SQL statement unless it says otherwise. */
export class PaymentRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  transactional<T>(work: (repository: PaymentRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new PaymentRepository(em)));
  }

  async findByIds(ids: readonly string[]): Promise<Payment[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.#em.find(Payment, { id: { $in: valid } }) : [];
  }

  async findByOrderIds(orderIds: readonly string[]): Promise<Payment[]> {
    const valid = orderIds.filter(isUuid);
    return valid.length ? this.#em.find(Payment, { orderId: { $in: valid } }) : [];
  }

  /** The current row (never a copy cached earlier in the request); null when the order has no payment. */
  async findByOrderId(orderId: string): Promise<Payment | null> {
    if (!isUuid(orderId)) return null;
    return this.#em.findOne(Payment, { orderId }, { refresh: true });
  }

  /** The current rows of many orders' payments (never copies cached earlier in the request), in one statement. */
  async findCurrentByOrderIds(orderIds: readonly string[]): Promise<Payment[]> {
    const valid = orderIds.filter(isUuid);
    return valid.length ? this.#em.find(Payment, { orderId: { $in: valid } }, { refresh: true }) : [];
  }

  /** Like findByOrderId, and locks the row until the surrounding transaction ends. */
  async lockByOrderId(orderId: string): Promise<Payment | null> {
    if (!isUuid(orderId)) return null;
    return this.#em.findOne(Payment, { orderId }, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /**
   * Inserts the payments of orders (distinct) that have none yet, in one
   * statement with their events (PaymentAuthorized or PaymentDeclined) in
   * the outbox; returns the payments that stand, with one more statement
   * only for orders whose payment a concurrent call inserted first.
   */
  async insertManyIfAbsent(payments: readonly NewPayment[]): Promise<Payment[]> {
    if (payments.length === 0) return [];
    // As JSON: the ORM cannot inline a null inside an array parameter.
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `with inserted as (
         insert into "${this.#schema}".payments
           (id, order_id, user_id, status, amount, currency, card_brand, card_last4, provider_ref, failure_reason, failure_message)
         select id, "orderId", "userId", status, amount, currency, "cardBrand", "cardLast4", "providerRef", "failureReason", "failureMessage"
           from jsonb_to_recordset(?::jsonb) as p (id uuid, "orderId" uuid, "userId" uuid, status text, amount integer, currency text,
                                                   "cardBrand" text, "cardLast4" text, "providerRef" text, "failureReason" text, "failureMessage" text)
         on conflict (order_id) do nothing
         returning *
       ),
       event as (${this.#eventsFrom('inserted')})
       select * from inserted`,
      [JSON.stringify(payments)],
    );
    const inserted = rows.map((row) => this.#em.map(Payment, row));
    const stood = new Set(inserted.map((p) => p.orderId));
    const raced = payments.filter((p) => !stood.has(p.orderId)).map((p) => p.orderId);
    return raced.length > 0 ? [...inserted, ...(await this.findCurrentByOrderIds(raced))] : inserted;
  }

  /**
   * moveStatus for many payments in one statement, with one event per moved
   * payment; returns the payments that moved, as they are now.
   */
  async moveStatusMany(paymentIds: readonly string[], from: readonly PaymentStatus[], to: PaymentStatus): Promise<Payment[]> {
    if (paymentIds.length === 0) return [];
    const rows = await sql<Record<string, unknown>>(
      this.#em,
      `with moved as (
         update "${this.#schema}".payments set status = ?, updated_at = now()
          where id in (?) and status in (?)
          returning *
       ),
       event as (${this.#eventsFrom('moved')})
       select * from moved`,
      [to, [...paymentIds], [...from]],
    );
    return rows.map((row) => this.#em.map(Payment, row));
  }

  /** Moves the payment to `to` if it is in one of `from`, with its event in the outbox in the same statement; false otherwise. */
  async moveStatus(paymentId: string, from: readonly PaymentStatus[], to: PaymentStatus): Promise<boolean> {
    const rows = await sql(
      this.#em,
      `with moved as (
         update "${this.#schema}".payments set status = ?, updated_at = now()
          where id = ? and status in (${from.map(() => '?').join(', ')})
          returning ${EVENT_COLUMNS}
       )
       ${this.#eventsFrom('moved')}
       returning id`,
      [to, paymentId, ...from],
    );
    return rows.length === 1;
  }

  /** Records the event of a payment's current state (e.g. after a refund) in the outbox, on this repository's transaction. */
  async recordEvent(payment: Payment): Promise<void> {
    await writeOutboxEvents(this.#em, [{ type: PAYMENT_EVENT_TYPE[payment.status], payload: paymentEventPayload(payment) }]);
  }

  /** The outbox insert of one event per row of `source` (a CTE returning EVENT_COLUMNS). */
  #eventsFrom(source: string): string {
    const types = Object.entries(PAYMENT_EVENT_TYPE).map(([status, type]) => `when '${status}' then '${type}'`).join(' ');
    return `insert into "${this.#schema}".outbox (type, payload)
       select case status ${types} end,
              jsonb_build_object('paymentId', id, 'orderId', order_id, 'userId', user_id, 'status', status,
                                 'amount', jsonb_build_object('amount', amount, 'currency', currency), 'refunded', refunded_amount)
         from ${source}`;
  }

  async findRefundByKey(idempotencyKey: string): Promise<PaymentRefund | null> {
    return this.#em.findOne(PaymentRefund, { idempotencyKey });
  }

  /** Records the refund and the payment's new totals; written when the transaction flushes. */
  addRefund(payment: Payment, refund: { idempotencyKey: string; amount: number; providerRef: string }, status: PaymentStatus): void {
    this.#em.create(PaymentRefund, { id: crypto.randomUUID(), payment, ...refund });
    payment.refundedAmount += refund.amount;
    payment.status = status;
  }

  async flush(): Promise<void> {
    await this.#em.flush();
  }
}
