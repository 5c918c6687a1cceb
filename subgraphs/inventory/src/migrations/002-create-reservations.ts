import { Migration } from '@shop/platform';

/**
 * Stock held for orders. One row per (order, sku); the rows of one order
 * share the reservation id and move from HELD to COMMITTED or RELEASED
 * together. The partial index serves the expiry sweeper.
 */
export class CreateReservations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table reservations (
        id uuid not null,
        order_id text not null,
        sku text not null references stock (sku),
        quantity integer not null check (quantity > 0),
        status text not null check (status in ('HELD', 'COMMITTED', 'RELEASED')),
        expires_at timestamptz(3) not null,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        primary key (id, sku),
        unique (order_id, sku)
      )`);
    this.addSql(`create index reservations_held_expiry_idx on reservations (expires_at) where status = 'HELD'`);
  }
}
