/** What a reader sees of one sku: how many units can be bought right now. */
export interface StockLevel {
  sku: string;
  available: number;
}

/**
 * A stock row as of one change: what the cache, live subscribers and the
 * `StockChanged` event are told. `version` counts the row's changes (0 for
 * a sku never stocked), so a later snapshot of a sku always has a higher one.
 */
export interface StockSnapshot extends StockLevel {
  reserved: number;
  version: number;
}

/** Why a stock row changed; recorded as the `cause` of its `StockChanged` event. */
export type StockChangeCause = 'RESTOCK' | 'RESERVE' | 'COMMIT' | 'RELEASE' | 'EXPIRE';

/** A sku without a stock row has never been stocked: nothing can be bought. */
export function emptyStockLevel(sku: string): StockLevel {
  return { sku, available: 0 };
}

/** The snapshot of a sku that has no stock row. */
export function emptyStockSnapshot(sku: string): StockSnapshot {
  return { sku, available: 0, reserved: 0, version: 0 };
}
