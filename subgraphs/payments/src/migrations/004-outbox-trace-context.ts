import { addOutboxTraceContextSql, Migration } from '@shop/platform';

/** Each outbox event keeps the W3C trace context of the operation that wrote it, so its consumers continue that trace. */
export class OutboxTraceContext extends Migration {
  override async up(): Promise<void> {
    for (const statement of addOutboxTraceContextSql()) this.addSql(statement);
  }
}
