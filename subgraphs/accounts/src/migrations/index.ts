import { CreateAccounts } from './001-create-accounts.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [{ name: '001-create-accounts', class: CreateAccounts }];
