import { Migration } from '@shop/platform';

/**
 * Fulfilment and refunds:
 * - `order_items.seller_id`, the seller of the line's product, learnt from
 *   products when fulfilment first looks at the order (null until then);
 *   the index serves "orders holding this seller's products".
 * - `fulfilments`: one per fulfilled order, with the tracking number.
 * - `refunds`: one row per refund request, unique per order and request
 *   key, so a retried request never pays back twice. PENDING rows count
 *   against what is left, so concurrent refunds cannot over-refund.
 */
export class FulfilmentRefunds extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table order_items add column seller_id uuid');
    this.addSql('create index order_items_seller_idx on order_items (seller_id, order_id)');
    this.addSql('create index order_items_seller_unknown_idx on order_items (order_id) where seller_id is null');
    // Orders waiting to be shipped, oldest first, as an index range scan.
    this.addSql(`create index orders_to_fulfil_idx on orders (placed_at, id) where status = 'CONFIRMED' and saga_step = 'DONE'`);
    this.addSql(`
      create table fulfilments (
        order_id uuid primary key references orders (id) on delete cascade,
        tracking_number text not null,
        fulfilled_by text not null,
        fulfilled_at timestamptz(3) not null default now()
      )`);
    this.addSql(`
      create table refunds (
        id uuid primary key,
        order_id uuid not null references orders (id) on delete cascade,
        request_key text not null,
        amount integer not null check (amount > 0),
        currency char(3) not null,
        status text not null check (status in ('PENDING', 'SUCCEEDED')),
        requested_by text not null,
        created_at timestamptz(3) not null default now(),
        succeeded_at timestamptz(3),
        constraint refunds_order_request_key_unique unique (order_id, request_key)
      )`);
  }
}
