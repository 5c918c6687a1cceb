import { CreateProducts } from './001-create-products.ts';
import { Catalogue } from './002-catalogue.ts';

/** Applied in this order; a name, once released, never changes. */
export const migrations = [
  { name: '001-create-products', class: CreateProducts },
  { name: '002-catalogue', class: Catalogue },
];
