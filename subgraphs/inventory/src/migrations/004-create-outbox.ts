import { createOutboxTableSql, Migration } from '@shop/platform';

/**
 * Events written in the same transaction as the stock change they describe
 * (`StockChanged`), relayed to the `events:inventory` Redis Stream by the
 * platform's outbox relay (see platform/src/outbox.ts for the table's
 * contract and the delivery guarantees).
 */
export class CreateOutbox extends Migration {
  override async up(): Promise<void> {
    for (const statement of createOutboxTableSql('outbox')) this.addSql(statement);
  }
}
