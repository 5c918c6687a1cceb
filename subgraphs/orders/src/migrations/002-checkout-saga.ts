import { createOutboxTableSql, Migration } from '@shop/platform';
import { SAGA_STEPS } from '../checkout/saga-step.ts';

const STEPS = `(${SAGA_STEPS.map((s) => `'${s}'`).join(', ')})`;

/**
 * The checkout saga's state on the order, the stock-return markers of its
 * items, and the transactional outbox of order events.
 */
export class CheckoutSaga extends Migration {
  override async up(): Promise<void> {
    // Orders that existed before the saga have nothing in flight: DONE.
    this.addSql(`alter table orders add column saga_step text not null default 'DONE' check (saga_step in ${STEPS})`);
    this.addSql('alter table orders add column saga_updated_at timestamptz(3) not null default now()');
    this.addSql('alter table orders add column outcome jsonb');
    // The sweeper's scan: only unfinished sagas, oldest first.
    this.addSql(`create index orders_saga_unfinished_idx on orders (saga_updated_at) where saga_step <> 'DONE'`);
    // Inventory's restock is not idempotent: each line is returned at most once (started, then done).
    this.addSql('alter table order_items add column stock_return_started_at timestamptz(3), add column stock_returned_at timestamptz(3)');
    for (const statement of createOutboxTableSql()) this.addSql(statement);
  }
}
