import { Migration } from '@shop/platform';

/**
 * The catalogue around products: publish state, variant options, the
 * category tree, images and sellers' live sales.
 */
export class Catalogue extends Migration {
  override async up(): Promise<void> {
    // Rows that exist already were public before publish states existed;
    // they stay public. New products start as drafts (the column default).
    this.addSql(`
      alter table products
        add column status text not null default 'DRAFT' check (status in ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
        add column published_at timestamptz(3)`);
    this.addSql(`update products set status = 'PUBLISHED', published_at = created_at`);
    // One index per keyset order of the public list (each sort reads it in order and stops at the page size).
    this.addSql('create index products_status_created_idx on products (status, created_at desc, id desc)');
    this.addSql('create index products_status_price_idx on products (status, price_amount, id)');

    this.addSql(`
      alter table variants
        add column options jsonb not null default '[]'::jsonb check (jsonb_typeof(options) = 'array'),
        add column created_at timestamptz(3) not null default now(),
        add column updated_at timestamptz(3) not null default now()`);

    this.addSql(`
      create table categories (
        id uuid primary key,
        parent_id uuid references categories (id) on delete restrict,
        name text not null,
        slug text not null unique,
        position integer not null default 0,
        created_at timestamptz(3) not null default now(),
        check (parent_id is null or parent_id <> id)
      )`);
    this.addSql('create index categories_parent_idx on categories (parent_id, position, name)');
    this.addSql(`
      create table product_categories (
        product_id uuid not null references products (id) on delete cascade,
        category_id uuid not null references categories (id) on delete cascade,
        primary key (product_id, category_id)
      )`);
    this.addSql('create index product_categories_category_idx on product_categories (category_id, product_id)');

    this.addSql(`
      create table product_images (
        id uuid primary key,
        product_id uuid not null references products (id) on delete cascade,
        url text not null,
        alt_text text not null default '',
        position integer not null
      )`);
    this.addSql('create index product_images_product_idx on product_images (product_id, position)');

    this.addSql(`
      create table live_sales (
        id uuid primary key,
        seller_id uuid not null,
        title text not null,
        starts_at timestamptz(3) not null,
        ends_at timestamptz(3) not null,
        cancelled_at timestamptz(3),
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        check (ends_at > starts_at)
      )`);
    this.addSql('create index live_sales_starts_idx on live_sales (starts_at, id) where cancelled_at is null');
    this.addSql('create index live_sales_ends_idx on live_sales (ends_at, id) where cancelled_at is null');
    this.addSql('create index live_sales_seller_idx on live_sales (seller_id, starts_at)');
    this.addSql(`
      create table live_sale_products (
        live_sale_id uuid not null references live_sales (id) on delete cascade,
        product_id uuid not null references products (id) on delete cascade,
        primary key (live_sale_id, product_id)
      )`);
    this.addSql('create index live_sale_products_product_idx on live_sale_products (product_id)');
    this.addSql(`
      create table live_sale_prices (
        live_sale_id uuid not null references live_sales (id) on delete cascade,
        sku text not null references variants (sku) on delete cascade,
        amount integer not null check (amount >= 0),
        primary key (live_sale_id, sku)
      )`);
    this.addSql('create index live_sale_prices_sku_idx on live_sale_prices (sku)');
  }
}
