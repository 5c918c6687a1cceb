import { sql, type EntityManager } from '@shop/platform';

export type SandboxScenario = 'approve' | 'card_declined' | 'insufficient_funds' | 'timeout';

export interface SandboxTokenRow {
  customer_id: string;
  brand: string;
  last4: string;
  scenario: SandboxScenario;
  /** Whether the token had expired at the time the caller asked about. */
  expired: boolean;
  used: boolean;
}

export interface SandboxChargeRow {
  ref: string;
  status: 'authorized' | 'declined' | 'captured' | 'voided';
  decline_code: string | null;
  brand: string;
  last4: string;
}

export interface SandboxRefundRow {
  ref: string;
  charge_ref: string;
  amount: number;
}

/** The sandbox provider's own tables; queries only, one statement per method. */
export class SandboxRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  transactional<T>(work: (repository: SandboxRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new SandboxRepository(em)));
  }

  async insertToken(token: { hash: string; customerId: string; brand: string; last4: string; scenario: SandboxScenario; createdAt: Date; expiresAt: Date }) {
    await sql(
      this.#em,
      `insert into "${this.#schema}".sandbox_tokens (token_hash, customer_id, brand, last4, scenario, created_at, expires_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [token.hash, token.customerId, token.brand, token.last4, token.scenario, token.createdAt, token.expiresAt],
    );
  }

  /** The token as of `now`; with `lock`, held until the transaction ends. */
  async findToken(hash: string, now: Date, options: { lock?: boolean } = {}): Promise<SandboxTokenRow | null> {
    const [row] = await sql<SandboxTokenRow>(
      this.#em,
      `select customer_id, brand, last4, scenario, expires_at <= ? as expired, used_at is not null as used
         from "${this.#schema}".sandbox_tokens where token_hash = ? ${options.lock ? 'for update' : ''}`,
      [now, hash],
    );
    return row ?? null;
  }

  async markTokenUsed(hash: string, usedAt: Date, idempotencyKey: string): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".sandbox_tokens set used_at = ?, used_by_key = ? where token_hash = ?`, [usedAt, idempotencyKey, hash]);
  }

  async findChargeByAuthorizeKey(key: string): Promise<SandboxChargeRow | null> {
    const [row] = await sql<SandboxChargeRow>(
      this.#em,
      `select ref, status, decline_code, brand, last4 from "${this.#schema}".sandbox_charges where authorize_key = ?`,
      [key],
    );
    return row ?? null;
  }

  async insertCharge(charge: {
    ref: string;
    authorizeKey: string;
    customerId: string;
    status: 'authorized' | 'declined';
    declineCode: string | null;
    amount: number;
    currency: string;
    brand: string;
    last4: string;
  }): Promise<void> {
    await sql(
      this.#em,
      `insert into "${this.#schema}".sandbox_charges (ref, authorize_key, customer_id, status, decline_code, amount, currency, brand, last4)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [charge.ref, charge.authorizeKey, charge.customerId, charge.status, charge.declineCode, charge.amount, charge.currency, charge.brand, charge.last4],
    );
  }

  /** Moves a charge from one of `from` to `to`; false when the charge is in no such status. */
  async moveCharge(ref: string, from: readonly SandboxChargeRow['status'][], to: SandboxChargeRow['status']): Promise<boolean> {
    const rows = await sql(
      this.#em,
      `update "${this.#schema}".sandbox_charges set status = ?
        where ref = ? and status in (${from.map(() => '?').join(', ')}) returning ref`,
      [to, ref, ...from],
    );
    return rows.length === 1;
  }

  /** Locks the charge row until the transaction ends, so refunds of one charge run one at a time. */
  async lockCharge(ref: string): Promise<boolean> {
    const rows = await sql(this.#em, `select ref from "${this.#schema}".sandbox_charges where ref = ? for update`, [ref]);
    return rows.length === 1;
  }

  async findRefundByKey(key: string): Promise<SandboxRefundRow | null> {
    const [row] = await sql<SandboxRefundRow>(
      this.#em,
      `select ref, charge_ref, amount from "${this.#schema}".sandbox_refunds where idempotency_key = ?`,
      [key],
    );
    return row ?? null;
  }

  /** Records a refund only when the charge is captured and has `amount` left to refund. */
  async insertRefundIfCovered(refund: { ref: string; key: string; chargeRef: string; amount: number }): Promise<boolean> {
    const rows = await sql(
      this.#em,
      `with charged as (
         update "${this.#schema}".sandbox_charges
            set refunded_amount = refunded_amount + ?
          where ref = ? and status = 'captured' and refunded_amount + ? <= amount
          returning ref
       )
       insert into "${this.#schema}".sandbox_refunds (ref, idempotency_key, charge_ref, amount)
       select ?, ?, ref, ? from charged
       returning ref`,
      [refund.amount, refund.chargeRef, refund.amount, refund.ref, refund.key, refund.amount],
    );
    return rows.length === 1;
  }
}
