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

/** One call of an authorization round (see `authorizeRound`); `ref` names the charge if one is made. */
export interface RoundCall {
  key: string;
  tokenHash: string;
  customerId: string;
  amount: number;
  currency: string;
  ref: string;
}

/** A round's answer for one call: its charge (`ref` set), or the token as seen (null fields when there is no such token). */
export interface RoundRow {
  ref: string | null;
  status: SandboxChargeRow['status'] | null;
  decline_code: string | null;
  brand: string | null;
  last4: string | null;
  token_owned: boolean | null;
  token_scenario: SandboxScenario | null;
  token_used: boolean | null;
  token_expired: boolean | null;
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

  /**
   * One round of a batch of authorizations (distinct keys, distinct tokens),
   * decided in ONE statement: a call whose key already has a charge is a
   * replay; any other consumes its token with a conditional update (the
   * token's customer's, unused, unexpired, not the slow test card), and each
   * consumed token gets its charge (authorized, or declined by the card's
   * scenario) in the same statement, so a token is never used without its
   * charge, nor charged twice. Returns, per call in order, the replayed or
   * new charge, or (when neither) the token as this statement's snapshot saw
   * it, for the caller to name the decline.
   */
  async authorizeRound(calls: readonly RoundCall[], now: Date): Promise<RoundRow[]> {
    const schema = `"${this.#schema}"`;
    return sql<RoundRow>(
      this.#em,
      `with call as (
         select * from unnest(array[?]::text[], array[?]::text[], array[?]::uuid[], array[?]::integer[], array[?]::text[], array[?]::text[])
           with ordinality as call (key, token_hash, customer_id, amount, currency, ref, n)
       ),
       earlier as (
         select call.n, charge.ref, charge.status, charge.decline_code, charge.brand, charge.last4
           from call join ${schema}.sandbox_charges charge on charge.authorize_key = call.key
       ),
       consumed as (
         update ${schema}.sandbox_tokens token set used_at = ?, used_by_key = call.key
           from call
          where token.token_hash = call.token_hash and token.customer_id = call.customer_id
            and token.used_at is null and token.expires_at > ? and token.scenario <> 'timeout'
            and not exists (select 1 from earlier where earlier.n = call.n)
          returning call.n, token.brand, token.last4, token.scenario
       ),
       charged as (
         insert into ${schema}.sandbox_charges (ref, authorize_key, customer_id, status, decline_code, amount, currency, brand, last4)
         select call.ref, call.key, call.customer_id,
                case when consumed.scenario = 'approve' then 'authorized' else 'declined' end,
                nullif(consumed.scenario, 'approve'), call.amount, call.currency, consumed.brand, consumed.last4
           from consumed join call on call.n = consumed.n
         returning ref
       )
       select call.n,
              coalesce(earlier.ref, case when consumed.n is not null then call.ref end) as ref,
              coalesce(earlier.status, case when consumed.n is null then null when consumed.scenario = 'approve' then 'authorized' else 'declined' end) as status,
              case when earlier.n is not null then earlier.decline_code else nullif(consumed.scenario, 'approve') end as decline_code,
              coalesce(earlier.brand, consumed.brand) as brand,
              coalesce(earlier.last4, consumed.last4) as last4,
              token.customer_id = call.customer_id as token_owned,
              token.scenario as token_scenario,
              token.used_at is not null as token_used,
              token.expires_at <= ? as token_expired
         from call
         left join earlier on earlier.n = call.n
         left join consumed on consumed.n = call.n
         left join ${schema}.sandbox_tokens token on token.token_hash = call.token_hash
        order by call.n`,
      [
        calls.map((c) => c.key),
        calls.map((c) => c.tokenHash),
        calls.map((c) => c.customerId),
        calls.map((c) => c.amount),
        calls.map((c) => c.currency),
        calls.map((c) => c.ref),
        now,
        now,
        now,
      ],
    );
  }

  /** Captures every charge of `refs` that is authorized (or captured already); returns the refs that are captured now. */
  async captureCharges(refs: readonly string[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const rows = await sql<{ ref: string }>(
      this.#em,
      `update "${this.#schema}".sandbox_charges set status = 'captured'
        where ref in (?) and status in ('authorized', 'captured') returning ref`,
      [[...refs]],
    );
    return new Set(rows.map((r) => r.ref));
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
