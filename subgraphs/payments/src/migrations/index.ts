import { CreatePayments } from './001-create-payments.ts';
import { CreateSandboxProvider } from './002-create-sandbox-provider.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-payments', class: CreatePayments },
  { name: '002-create-sandbox-provider', class: CreateSandboxProvider },
];
