/**
 * Skus inventory has just reported short, remembered for a moment by this
 * process: a checkout asking for more than was left is answered
 * InsufficientStock at once, without an order, a reservation or a payment.
 * Only a refusal is ever taken from a hint, never a sale: PostgreSQL
 * (inventory's conditional decrement) decides every sale, and a hint lasts
 * `ttlMs` (a restock is seen within that time). Nothing is stored for a
 * refused checkout, so retrying it with the same key is safe.
 */
export class SoldOutHints {
  readonly #ttlMs: number;
  readonly #short = new Map<string, { available: number; until: number }>();

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** Remembers what inventory said is left of `sku` after refusing a reservation. */
  learn(sku: string, available: number): void {
    if (this.#ttlMs <= 0) return;
    this.#short.set(sku, { available, until: Date.now() + this.#ttlMs });
  }

  /** The first line that asks for more than a fresh hint says is left; null when none. */
  shortLine(items: readonly { sku: string; quantity: number }[]): { sku: string; available: number } | null {
    const now = Date.now();
    for (const item of items) {
      const hint = this.#short.get(item.sku);
      if (!hint) continue;
      if (hint.until <= now) {
        this.#short.delete(item.sku);
        continue;
      }
      if (item.quantity > hint.available) return { sku: item.sku, available: hint.available };
    }
    return null;
  }
}
