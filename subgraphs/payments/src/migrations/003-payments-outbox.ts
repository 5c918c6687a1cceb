import { createOutboxTableSql, Migration } from '@shop/platform';

/** The transactional outbox of payment events (PaymentAuthorized, PaymentCaptured, ...), relayed to `events:payments`. */
export class PaymentsOutbox extends Migration {
  override async up(): Promise<void> {
    for (const statement of createOutboxTableSql()) this.addSql(statement);
  }
}
