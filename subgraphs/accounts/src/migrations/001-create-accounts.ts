import { Migration } from '@shop/platform';

/** Users, their address books, refresh-token families and the access-token signing keys. */
export class CreateAccounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null unique check (email = lower(btrim(email))),
        name text not null check (btrim(name) <> ''),
        role text not null check (role in ('CUSTOMER', 'SELLER', 'ADMIN')),
        password_hash text not null,
        created_at timestamptz(3) not null default now()
      )`);
    this.addSql(`
      create table addresses (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        full_name text not null,
        line1 text not null,
        line2 text,
        city text not null,
        region text,
        postal_code text not null,
        country char(2) not null,
        is_default boolean not null default false,
        created_at timestamptz(3) not null default now()
      )`);
    this.addSql('create index addresses_user_idx on addresses (user_id, created_at, id)');
    // The database, not only the service, guarantees a single default address per user.
    this.addSql('create unique index addresses_one_default_per_user on addresses (user_id) where is_default');
    this.addSql(`
      create table refresh_tokens (
        id uuid primary key,
        token_hash text not null unique,
        family_id uuid not null,
        user_id uuid not null references users (id) on delete cascade,
        created_at timestamptz(3) not null default now(),
        expires_at timestamptz(3) not null,
        spent_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
    this.addSql('create index refresh_tokens_family_idx on refresh_tokens (family_id)');
    this.addSql('create index refresh_tokens_user_idx on refresh_tokens (user_id)');
    this.addSql('create index refresh_tokens_expires_idx on refresh_tokens (expires_at)');
    this.addSql(`
      create table signing_keys (
        kid text primary key,
        algorithm text not null,
        private_jwk jsonb not null,
        public_jwk jsonb not null,
        created_at timestamptz(3) not null default now(),
        retired_at timestamptz(3)
      )`);
    this.addSql('create index signing_keys_active_idx on signing_keys (created_at desc) where retired_at is null');
  }
}
