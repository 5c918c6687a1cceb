import pg from 'pg';

export interface StatementCounter {
  /** Statements sent since the counter started (or was last reset). */
  readonly count: number;
  reset(): void;
  /** Puts pg's Client.query back. */
  stop(): void;
}

/**
 * Counts every statement this process sends to PostgreSQL through pg
 * (BEGIN and COMMIT included: each call of `Client.query` is a round trip),
 * as bench/lib/count-sql.ts does in the benchmark's processes. For tests
 * that assert how many statements an operation costs; only one counter may
 * run at a time.
 */
export function countStatements(): StatementCounter {
  const original = pg.Client.prototype.query;
  let count = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop() {
      pg.Client.prototype.query = original;
    },
  };
}
