/** Maps an amount column and its currency to the GraphQL Money shape. */
export function money(amount: number, currency: string) {
  return { amount, currency };
}
