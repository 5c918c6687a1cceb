import { Migration } from '@shop/platform';

/**
 * Carts: one per customer (`user_id` unique), lines unique per sku (adding a
 * sku again adds to its line), and the record of each checked-out cart by
 * idempotency key, so that a retried checkoutCart finds what it bought
 * once the cart is empty.
 */
export class Cart extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table carts (
        id uuid primary key,
        user_id uuid not null unique,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3)
      )`);
    this.addSql(`
      create table cart_lines (
        id uuid primary key,
        cart_id uuid not null references carts (id) on delete cascade,
        sku text not null,
        quantity integer not null check (quantity between 1 and 100),
        added_at timestamptz(3) not null default now(),
        constraint cart_lines_cart_sku_unique unique (cart_id, sku)
      )`);
    this.addSql(`
      create table cart_checkouts (
        user_id uuid not null,
        idempotency_key text not null,
        order_id uuid not null,
        items jsonb not null,
        created_at timestamptz(3) not null default now(),
        primary key (user_id, idempotency_key)
      )`);
  }
}
