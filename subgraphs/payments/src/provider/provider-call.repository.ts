import { sql, type EntityManager } from '@shop/platform';

export type ProviderOperation = 'authorize' | 'capture' | 'void' | 'refund';

export interface ProviderCallRow {
  idempotency_key: string;
  status: 'pending' | 'completed';
  request_hash: string;
  outcome: unknown;
}

/** The provider_calls ledger; queries only, one statement per method. */
export class ProviderCallRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /**
   * Opens the call for `key`, or returns the existing row: completed (its
   * outcome is the answer) or still pending (a crash or timeout left it;
   * calling again under the same key is safe). `attempts` counts the calls
   * that reached the provider.
   */
  async begin(key: string, operation: ProviderOperation, requestHash: string): Promise<ProviderCallRow> {
    const [row] = await sql<ProviderCallRow>(
      this.#em,
      `insert into "${this.#schema}".provider_calls as c (idempotency_key, operation, request_hash, status)
       values (?, ?, ?, 'pending')
       on conflict (idempotency_key) do update
         set attempts = c.attempts + (c.status = 'pending' and c.request_hash = excluded.request_hash)::int
       returning c.idempotency_key, c.status, c.request_hash, c.outcome`,
      [key, operation, requestHash],
    );
    return row!;
  }

  /** `begin` for many distinct keys of one operation, in one statement; rows by key. */
  async beginMany(operation: ProviderOperation, calls: readonly { key: string; requestHash: string }[]): Promise<Map<string, ProviderCallRow>> {
    if (calls.length === 0) return new Map();
    const rows = await sql<ProviderCallRow>(
      this.#em,
      `insert into "${this.#schema}".provider_calls as c (idempotency_key, operation, request_hash, status)
       select call.key, ?, call.request_hash, 'pending'
         from unnest(array[?]::text[], array[?]::text[]) as call (key, request_hash)
       on conflict (idempotency_key) do update
         set attempts = c.attempts + (c.status = 'pending' and c.request_hash = excluded.request_hash)::int
       returning c.idempotency_key, c.status, c.request_hash, c.outcome`,
      [operation, calls.map((c) => c.key), calls.map((c) => c.requestHash)],
    );
    return new Map(rows.map((row) => [row.idempotency_key, row]));
  }

  /** Stores the outcome unless another call completed first; returns the outcome that stands. */
  async complete(key: string, outcome: unknown): Promise<unknown> {
    const [stored] = await sql<{ outcome: unknown }>(
      this.#em,
      `update "${this.#schema}".provider_calls
          set status = 'completed', outcome = ?::jsonb, completed_at = now()
        where idempotency_key = ? and status = 'pending'
        returning outcome`,
      [JSON.stringify(outcome), key],
    );
    if (stored) return stored.outcome;
    // A concurrent call completed it first. This is a separate statement on
    // purpose: it takes a fresh snapshot that sees that commit.
    return (await this.find(key))!.outcome;
  }

  /**
   * `complete` for many keys: one statement, plus one more only when a
   * concurrent call completed some of them first. Outcomes that stand, by key.
   */
  async completeMany(outcomes: readonly { key: string; outcome: unknown }[]): Promise<Map<string, unknown>> {
    if (outcomes.length === 0) return new Map();
    const stored = await sql<{ idempotency_key: string; outcome: unknown }>(
      this.#em,
      `update "${this.#schema}".provider_calls as c
          set status = 'completed', outcome = call.outcome, completed_at = now()
         from unnest(array[?]::text[], array[?]::jsonb[]) as call (key, outcome)
        where c.idempotency_key = call.key and c.status = 'pending'
        returning c.idempotency_key, c.outcome`,
      [outcomes.map((o) => o.key), outcomes.map((o) => JSON.stringify(o.outcome))],
    );
    const byKey = new Map(stored.map((row) => [row.idempotency_key, row.outcome]));
    const raced = outcomes.filter((o) => !byKey.has(o.key)).map((o) => o.key);
    if (raced.length > 0) {
      // As in `complete`: a statement of its own sees the concurrent commits.
      const rows = await sql<{ idempotency_key: string; outcome: unknown }>(
        this.#em,
        `select idempotency_key, outcome from "${this.#schema}".provider_calls where idempotency_key in (?)`,
        [raced],
      );
      for (const row of rows) byKey.set(row.idempotency_key, row.outcome);
    }
    return byKey;
  }

  async find(key: string): Promise<(ProviderCallRow & { attempts: number; operation: ProviderOperation }) | null> {
    const [row] = await sql<ProviderCallRow & { attempts: number; operation: ProviderOperation }>(
      this.#em,
      `select status, request_hash, outcome, attempts, operation from "${this.#schema}".provider_calls where idempotency_key = ?`,
      [key],
    );
    return row ?? null;
  }
}
