import { Migration } from '@shop/platform';

/**
 * A per-row change counter. Every statement that changes a stock row adds
 * one, and the change's event carries it, so that whoever reads the events
 * (live subscriptions, stream consumers) can order them per sku and drop
 * stale ones, whatever order pub/sub, replicas or relays deliver them in.
 */
export class AddStockVersion extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table stock add column version bigint not null default 0');
  }
}
