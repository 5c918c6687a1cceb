/** Maps an entity's price columns to the GraphQL Money shape. */
export function money(row: { priceAmount: number; currency: string }) {
  return { amount: row.priceAmount, currency: row.currency };
}

export function moneyOf(amount: number, currency: string) {
  return { amount, currency };
}
