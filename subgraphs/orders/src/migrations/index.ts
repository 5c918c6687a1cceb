import { CreateOrders } from './001-create-orders.ts';
import { CheckoutSaga } from './002-checkout-saga.ts';
import { Cart } from './003-cart.ts';
import { FulfilmentRefunds } from './004-fulfilment-refunds.ts';
import { Webhooks } from './005-webhooks.ts';
import { OutboxTraceContext } from './006-outbox-trace-context.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-orders', class: CreateOrders },
  { name: '002-checkout-saga', class: CheckoutSaga },
  { name: '003-cart', class: Cart },
  { name: '004-fulfilment-refunds', class: FulfilmentRefunds },
  { name: '005-webhooks', class: Webhooks },
  { name: '006-outbox-trace-context', class: OutboxTraceContext },
];
