import { Migration } from '@shop/platform';

/** Stock per sku; the CHECK constraints are the last line of defence against overselling. */
export class CreateStock extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table stock (
        sku text primary key,
        available integer not null check (available >= 0),
        reserved integer not null default 0 check (reserved >= 0),
        updated_at timestamptz(3) not null default now()
      )`);
  }
}
