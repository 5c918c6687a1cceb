import { CreateStock } from './001-create-stock.ts';
import { CreateReservations } from './002-create-reservations.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-stock', class: CreateStock },
  { name: '002-create-reservations', class: CreateReservations },
];
