/** What a reader sees of one sku: how many units can be bought right now. */
export interface StockLevel {
  sku: string;
  available: number;
}

/** A sku without a stock row has never been stocked: nothing can be bought. */
export function emptyStockLevel(sku: string): StockLevel {
  return { sku, available: 0 };
}
