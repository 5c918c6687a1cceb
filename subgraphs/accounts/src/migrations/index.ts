import { CreateAccounts } from './001-create-accounts.ts';
import { CreateApiClients } from './002-create-api-clients.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-accounts', class: CreateAccounts },
  { name: '002-create-api-clients', class: CreateApiClients },
];
