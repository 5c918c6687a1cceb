import { sql, type EntityManager } from '@shop/platform';
import type { StockChangeCause, StockLevel, StockSnapshot } from './stock-level.ts';

/** The largest value of a PostgreSQL `integer` column. */
export const MAX_UNITS = 2_147_483_647;

/** The event every stock change records in the outbox (see `#changeWithEvent`). */
export const STOCK_CHANGED_EVENT = 'StockChanged';

interface LevelRow {
  sku: string;
  available: number;
}

interface SnapshotRow extends LevelRow {
  reserved: number;
  version: number | string;
}

const SNAPSHOT_COLUMNS = 'sku, available, reserved, version';

/**
 * Queries only; every method is one SQL statement, run on `em`'s transaction
 * when it has one.
 *
 * Every method that changes a stock row also bumps its `version` and records
 * a `StockChanged` event in the outbox, in the same statement: no code path
 * can change stock without its event, and the event costs no extra round
 * trip while the row is locked.
 */
export class StockRepository {
  readonly #em: EntityManager;
  readonly #table: string;
  readonly #outbox: string;
  constructor(em: EntityManager) {
    this.#em = em;
    const schema = String(em.config.get('schema'));
    this.#table = `"${schema}".stock`;
    this.#outbox = `"${schema}".outbox`;
  }

  /** Levels of the skus that have a row, in no particular order. */
  async findLevels(skus: readonly string[]): Promise<StockLevel[]> {
    if (skus.length === 0) return [];
    const rows = await sql<LevelRow>(this.#em, `select sku, available from ${this.#table} where sku in (?)`, [[...skus]]);
    return rows.map(toLevel);
  }

  /** Snapshots (with versions) of the skus that have a row, in no particular order. */
  async findSnapshots(skus: readonly string[]): Promise<StockSnapshot[]> {
    if (skus.length === 0) return [];
    const rows = await sql<SnapshotRow>(this.#em, `select ${SNAPSHOT_COLUMNS} from ${this.#table} where sku in (?)`, [[...skus]]);
    return rows.map(toSnapshot);
  }

  /**
   * Locks a sku's row until the transaction ends and returns it; null when
   * the sku has no row.
   */
  async lockSnapshot(sku: string): Promise<StockSnapshot | null> {
    const rows = await sql<SnapshotRow>(this.#em, `select ${SNAPSHOT_COLUMNS} from ${this.#table} where sku = ? for update`, [sku]);
    return rows[0] ? toSnapshot(rows[0]) : null;
  }

  /**
   * Adds units to a sku, creating its row on the first restock. Returns null
   * instead of overflowing the column.
   */
  async addUnits(sku: string, quantity: number): Promise<StockSnapshot | null> {
    const rows = await this.#changeWithEvent(
      `insert into ${this.#table} as s (sku, available, version) values (?, ?, 1)
         on conflict (sku) do update
           set available = s.available + excluded.available, version = s.version + 1, updated_at = now()
           where s.available <= ? - excluded.available`,
      [sku, quantity, MAX_UNITS],
      'RESTOCK',
    );
    return rows[0] ?? null;
  }

  /**
   * The conditional decrement that sells nothing twice: takes `quantity`
   * units from `available` into `reserved` only if that many are available,
   * in one statement under the row lock. Null when there are not enough.
   */
  async holdUnits(sku: string, quantity: number): Promise<StockSnapshot | null> {
    const rows = await this.#changeWithEvent(
      `update ${this.#table}
          set available = available - ?, reserved = reserved + ?, version = version + 1, updated_at = now()
        where sku = ? and available >= ?`,
      [quantity, quantity, sku, quantity],
      'RESERVE',
    );
    return rows[0] ?? null;
  }

  /**
   * Locks the rows of `skus` one after another in sku order (by code unit, as
   * `bySku`), until the transaction ends: the order every transaction that locks several stock
   * rows takes them in (reservation lines are held in sku order too), so two
   * of them never wait for each other in a cycle.
   */
  async lockInOrder(skus: readonly string[]): Promise<void> {
    if (skus.length === 0) return;
    await sql(this.#em, `select sku from ${this.#table} where sku in (?) order by sku collate "C" for update`, [[...skus]]);
  }

  /**
   * Held units leave `reserved`: sold for good (`COMMIT`), or back on sale
   * (`RELEASE`, `EXPIRE`), for several skus (distinct) in one statement,
   * with one event per row. Lock
   * the rows first (lockInOrder) when there are several: the order in which
   * one UPDATE locks its rows is the plan's, not a fixed one.
   */
  async settleHeldUnits(lines: readonly { sku: string; quantity: number }[], cause: 'COMMIT' | 'RELEASE' | 'EXPIRE'): Promise<StockSnapshot[]> {
    if (lines.length === 0) return [];
    const back = cause === 'COMMIT' ? '' : 'available = available + line.units, ';
    const rows = await this.#changeWithEvent(
      `update ${this.#table}
          set ${back}reserved = reserved - line.units, version = version + 1, updated_at = now()
         from unnest(array[?]::text[], array[?]::integer[]) as line (line_sku, units)
        where sku = line.line_sku`,
      [lines.map((l) => l.sku), lines.map((l) => l.quantity)],
      cause,
    );
    const missing = lines.find((l) => !rows.some((row) => row.sku === l.sku));
    if (missing) expectRow([], missing.sku);
    return rows;
  }

  async isEmpty(): Promise<boolean> {
    const rows = await sql<{ found: number }>(this.#em, `select 1 as found from ${this.#table} limit 1`);
    return rows.length === 0;
  }

  /** Inserts initial levels (seeding); existing skus are left alone. Seeding records no events. */
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

  /**
   * Runs a statement that changes stock rows (`insert`/`update` without
   * `returning`) and, in the same statement, records a `StockChanged` event
   * per changed row in the outbox. Returns the changed rows.
   */
  async #changeWithEvent(change: string, params: readonly unknown[], cause: StockChangeCause): Promise<StockSnapshot[]> {
    const rows = await sql<SnapshotRow>(
      this.#em,
      `with changed as (${change} returning ${SNAPSHOT_COLUMNS}),
            event as (
              insert into ${this.#outbox} (type, payload)
              select '${STOCK_CHANGED_EVENT}',
                     jsonb_build_object('sku', sku, 'available', available, 'reserved', reserved, 'version', version, 'cause', ?::text)
                from changed
            )
       select ${SNAPSHOT_COLUMNS} from changed`,
      [...params, cause],
    );
    return rows.map(toSnapshot);
  }
}

function toLevel(row: LevelRow): StockLevel {
  return { sku: row.sku, available: Number(row.available) };
}

function toSnapshot(row: SnapshotRow): StockSnapshot {
  return { sku: row.sku, available: Number(row.available), reserved: Number(row.reserved), version: Number(row.version) };
}

// A held unit always has its stock row (holding needs the row), so a missing
// row here means the data was changed behind the service's back.
function expectRow(rows: StockSnapshot[], sku: string): StockSnapshot {
  if (!rows[0]) throw new Error(`stock row for held sku ${sku} is missing`);
  return rows[0];
}
