import { CreateOrders } from './001-create-orders.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [{ name: '001-create-orders', class: CreateOrders }];
