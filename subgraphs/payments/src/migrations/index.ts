import { CreatePayments } from './001-create-payments.ts';
import { CreateSandboxProvider } from './002-create-sandbox-provider.ts';
import { PaymentsOutbox } from './003-payments-outbox.ts';
import { OutboxTraceContext } from './004-outbox-trace-context.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-payments', class: CreatePayments },
  { name: '002-create-sandbox-provider', class: CreateSandboxProvider },
  { name: '003-payments-outbox', class: PaymentsOutbox },
  { name: '004-outbox-trace-context', class: OutboxTraceContext },
];
