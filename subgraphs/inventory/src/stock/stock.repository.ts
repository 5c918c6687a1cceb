import { sql, type EntityManager } from '@shop/platform';
import type { StockLevel } from './stock-level.ts';

/** The largest value of a PostgreSQL `integer` column. */
export const MAX_UNITS = 2_147_483_647;

interface StockRow {
  sku: string;
  available: number;
}

/** Queries only; every method is one SQL statement, run on `em`'s transaction when it has one. */
export class StockRepository {
  readonly #em: EntityManager;
  readonly #table: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#table = `"${String(em.config.get('schema'))}".stock`;
  }

  /** Levels of the skus that have a row, in no particular order. */
  async findLevels(skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const rows = await sql<StockRow>(this.#em, `select sku, available from ${this.#table} where sku in (?)`, [[...skus]]);
    return rows.map(toLevel);
  }

  /**
   * Adds units to a sku, creating its row on the first restock. Returns null
   * instead of overflowing the column.
   */
  async addUnits(sku: string, quantity: number): Promise<StockLevel | null> {
    const rows = await sql<StockRow>(
      this.#em,
      `insert into ${this.#table} as s (sku, available) values (?, ?)
         on conflict (sku) do update
           set available = s.available + excluded.available, updated_at = now()
           where s.available <= ? - excluded.available
         returning sku, available`,
      [sku, quantity, MAX_UNITS],
    );
    return rows[0] ? toLevel(rows[0]) : null;
  }

  /**
   * The conditional decrement that sells nothing twice: takes `quantity`
   * units from `available` into `reserved` only if that many are available,
   * in one statement under the row lock. Null when there are not enough.
   */
  async holdUnits(sku: string, quantity: number): Promise<StockLevel | null> {
    const rows = await sql<StockRow>(
      this.#em,
      `update ${this.#table}
          set available = available - ?, reserved = reserved + ?, updated_at = now()
        where sku = ? and available >= ?
        returning sku, available`,
      [quantity, quantity, sku, quantity],
    );
    return rows[0] ? toLevel(rows[0]) : null;
  }

  /** Held units leave stock for good (a committed sale). */
  async sellHeldUnits(sku: string, quantity: number): Promise<StockLevel> {
    const rows = await sql<StockRow>(
      this.#em,
      `update ${this.#table} set reserved = reserved - ?, updated_at = now() where sku = ? returning sku, available`,
      [quantity, sku],
    );
    return expectRow(rows, sku);
  }

  /** Held units go back on sale (a released or expired reservation). */
  async returnHeldUnits(sku: string, quantity: number): Promise<StockLevel> {
    const rows = await sql<StockRow>(
      this.#em,
      `update ${this.#table}
          set available = available + ?, reserved = reserved - ?, updated_at = now()
        where sku = ?
        returning sku, available`,
      [quantity, quantity, sku],
    );
    return expectRow(rows, sku);
  }

  async isEmpty(): Promise<boolean> {
    const rows = await sql<{ found: number }>(this.#em, `select 1 as found from ${this.#table} limit 1`);
    return rows.length === 0;
  }

  /** Inserts initial levels (seeding); existing skus are left alone. */
  async insertLevels(levels: readonly StockLevel[]): Promise<number> {
    if (levels.length === 0) return 0;
    const rows = await sql<{ sku: string }>(
      this.#em,
      `insert into ${this.#table} (sku, available)
         select * from unnest(array[?]::text[], array[?]::integer[])
         on conflict (sku) do nothing
         returning sku`,
      [levels.map((l) => l.sku), levels.map((l) => l.available)],
    );
    return rows.length;
  }
}

function toLevel(row: StockRow): StockLevel {
  return { sku: row.sku, available: Number(row.available) };
}

// A held unit always has its stock row (holding needs the row), so a missing
// row here means the data was changed behind the service's back.
function expectRow(rows: StockRow[], sku: string): StockLevel {
  if (!rows[0]) throw new Error(`stock row for held sku ${sku} is missing`);
  return toLevel(rows[0]);
}
