import { sql, type EntityManager } from '@shop/platform';

export type ProviderOperation = 'authorize' | 'capture' | 'void' | 'refund';

export interface ProviderCallRow {
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
       returning c.status, c.request_hash, c.outcome`,
      [key, operation, requestHash],
    );
    return row!;
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

  async find(key: string): Promise<(ProviderCallRow & { attempts: number; operation: ProviderOperation }) | null> {
    const [row] = await sql<ProviderCallRow & { attempts: number; operation: ProviderOperation }>(
      this.#em,
      `select status, request_hash, outcome, attempts, operation from "${this.#schema}".provider_calls where idempotency_key = ?`,
      [key],
    );
    return row ?? null;
  }
}
