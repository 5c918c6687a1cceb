import { randomUUID } from 'node:crypto';
import { isUuid, sql, type EntityManager } from '@shop/platform';
import type { StoredLine } from './cart.rules.ts';

/** A cart row. */
export interface CartRow {
  id: string;
  userId: string;
  updatedAt: Date | null;
}

/** A checkout of the whole cart that placed an order: what it bought, under its idempotency key. */
export interface CartCheckoutRow {
  orderId: string;
  items: { sku: string; quantity: number }[];
}

/** Queries only; every method is one SQL statement. */
export class CartRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  transactional<T>(work: (repository: CartRepository) => Promise<T>): Promise<T> {
    return this.#em.transactional((em) => work(new CartRepository(em)));
  }

  /** The user's cart; null when they never had one. */
  async findByUser(userId: string): Promise<CartRow | null> {
    if (!isUuid(userId)) return null;
    const [row] = await sql<{ id: string; updated_at: Date | null }>(this.#em, `select id, updated_at from "${this.#schema}".carts where user_id = ?`, [userId]);
    return row ? { id: row.id, userId, updatedAt: row.updated_at ? new Date(row.updated_at) : null } : null;
  }

  /**
   * The user's cart, created when missing, locked until the transaction
   * ends: changes to one cart serialize, so the line limit holds under
   * concurrent adds from several devices.
   */
  async lockOrCreate(userId: string): Promise<CartRow> {
    await sql(this.#em, `insert into "${this.#schema}".carts (id, user_id) values (?, ?) on conflict (user_id) do nothing`, [randomUUID(), userId]);
    const [row] = await sql<{ id: string; updated_at: Date | null }>(this.#em, `select id, updated_at from "${this.#schema}".carts where user_id = ? for update`, [userId]);
    return { id: row!.id, userId, updatedAt: row!.updated_at ? new Date(row!.updated_at) : null };
  }

  /** The cart's lines in the order their skus were first added. */
  async findLines(cartId: string): Promise<StoredLine[]> {
    return sql<StoredLine>(this.#em, `select id, sku, quantity from "${this.#schema}".cart_lines where cart_id = ? order by added_at, id`, [cartId]);
  }

  /** The line with its cart's owner; null when there is none. */
  async findLineWithOwner(lineId: string): Promise<(StoredLine & { userId: string; cartId: string }) | null> {
    if (!isUuid(lineId)) return null;
    const [row] = await sql<StoredLine & { user_id: string; cart_id: string }>(
      this.#em,
      `select l.id, l.sku, l.quantity, l.cart_id, c.user_id from "${this.#schema}".cart_lines l join "${this.#schema}".carts c on c.id = l.cart_id where l.id = ?`,
      [lineId],
    );
    return row ? { id: row.id, sku: row.sku, quantity: row.quantity, cartId: row.cart_id, userId: row.user_id } : null;
  }

  /** Sets the sku's line to `quantity` units, creating it when missing. */
  async upsertLine(cartId: string, sku: string, quantity: number): Promise<void> {
    await sql(
      this.#em,
      `insert into "${this.#schema}".cart_lines (id, cart_id, sku, quantity) values (?, ?, ?, ?)
       on conflict (cart_id, sku) do update set quantity = excluded.quantity`,
      [randomUUID(), cartId, sku, quantity],
    );
  }

  async setLineQuantity(lineId: string, quantity: number): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".cart_lines set quantity = ? where id = ?`, [quantity, lineId]);
  }

  async deleteLines(lineIds: readonly string[]): Promise<void> {
    if (lineIds.length) await sql(this.#em, `delete from "${this.#schema}".cart_lines where id in (?)`, [lineIds]);
  }

  async touch(cartId: string, at: Date): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".carts set updated_at = ? where id = ?`, [at, cartId]);
  }

  /** The checkout recorded under this key; null when none placed an order yet. */
  async findCheckout(userId: string, idempotencyKey: string): Promise<CartCheckoutRow | null> {
    const [row] = await sql<{ order_id: string; items: CartCheckoutRow['items'] }>(
      this.#em,
      `select order_id, items from "${this.#schema}".cart_checkouts where user_id = ? and idempotency_key = ?`,
      [userId, idempotencyKey],
    );
    return row ? { orderId: row.order_id, items: row.items } : null;
  }

  /** Records a checkout that placed an order; false when it was already recorded (by a concurrent retry). */
  async insertCheckout(userId: string, idempotencyKey: string, checkout: CartCheckoutRow): Promise<boolean> {
    const rows = await sql<{ order_id: string }>(
      this.#em,
      `insert into "${this.#schema}".cart_checkouts (user_id, idempotency_key, order_id, items) values (?, ?, ?, ?::jsonb)
       on conflict (user_id, idempotency_key) do nothing returning order_id`,
      [userId, idempotencyKey, checkout.orderId, JSON.stringify(checkout.items)],
    );
    return rows.length === 1;
  }
}
