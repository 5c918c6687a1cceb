import { CreateStock } from './001-create-stock.ts';
import { CreateReservations } from './002-create-reservations.ts';
import { AddStockVersion } from './003-add-stock-version.ts';
import { CreateOutbox } from './004-create-outbox.ts';
import { OutboxTraceContext } from './005-outbox-trace-context.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-stock', class: CreateStock },
  { name: '002-create-reservations', class: CreateReservations },
  { name: '003-add-stock-version', class: AddStockVersion },
  { name: '004-create-outbox', class: CreateOutbox },
  { name: '005-outbox-trace-context', class: OutboxTraceContext },
];
