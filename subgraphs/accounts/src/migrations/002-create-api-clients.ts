import { Migration } from '@shop/platform';

/** Partner API clients: hashed keys and the persisted operations each may run. */
export class CreateApiClients extends Migration {
  override async up(): Promise<void> {
    // The unique index on key_hash serves the gateway's lookup; the table is
    // small (one row per partner), so listing needs no index of its own.
    this.addSql(`
      create table api_clients (
        id uuid primary key,
        name text not null check (btrim(name) <> ''),
        key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
        key_prefix text not null,
        allowed_operations text[] not null check (cardinality(allowed_operations) > 0),
        -- An audit trail, so no foreign key: it outlives the admin's account rather
        -- than block its deletion or vanish with it. Null for the demo seed.
        created_by uuid,
        created_at timestamptz(3) not null default now(),
        revoked_at timestamptz(3)
      )`);
  }
}
