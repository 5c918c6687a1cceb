/**
 * Preloaded into every service process by `bench/checkout.ts`
 * (`NODE_OPTIONS=--import ./bench/lib/count-sql.ts`): counts the statements
 * the process sends to PostgreSQL (BEGIN and COMMIT included: every call of
 * pg's `Client.query`) and writes the running total to
 * `$BENCH_SQL_COUNT_DIR/<pid>` when asked (SIGUSR2), so that counting costs
 * the measured process nothing between two readings (a timer writing the
 * file ten times a second took ~6% of orders' profile). Benchmark tooling
 * only; no service imports it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const dir = process.env.BENCH_SQL_COUNT_DIR;
if (dir) {
  let statements = 0;
  // BENCH_SQL_TEXTS=1: also the count per statement text (first 120 characters), in `<pid>.texts.json`.
  const texts = process.env.BENCH_SQL_TEXTS === '1' ? new Map<string, number>() : null;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    if (texts) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 120);
      texts.set(text, (texts.get(text) ?? 0) + 1);
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const file = join(dir, String(process.pid));
  process.on('SIGUSR2', () => {
    if (texts) writeFileSync(`${file}.texts.json`, JSON.stringify(Object.fromEntries([...texts].sort((a, b) => b[1] - a[1])), null, 1));
    // Written aside, then renamed: a reader never sees the file empty mid-write (it would count 0).
    writeFileSync(`${file}.tmp`, String(statements));
    renameSync(`${file}.tmp`, file);
  });
}
