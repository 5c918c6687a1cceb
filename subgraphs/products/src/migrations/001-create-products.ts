import { Migration } from '@shop/platform';

/** Products and variants, with a full-text search vector kept by PostgreSQL itself. */
export class CreateProducts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table products (
        id uuid primary key,
        slug text not null unique,
        name text not null,
        description text not null default '',
        seller_id uuid not null,
        price_amount integer not null check (price_amount >= 0),
        currency char(3) not null,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        search_vector tsvector generated always as (
          setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
        ) stored
      )`);
    this.addSql('create index products_created_at_id_idx on products (created_at desc, id desc)');
    this.addSql('create index products_search_idx on products using gin (search_vector)');
    this.addSql('create index products_seller_idx on products (seller_id)');
    this.addSql(`
      create table variants (
        sku text primary key,
        product_id uuid not null references products (id) on delete cascade,
        name text not null,
        price_amount integer not null check (price_amount >= 0),
        currency char(3) not null,
        position integer not null default 0
      )`);
    this.addSql('create index variants_product_idx on variants (product_id, position)');
  }
}
