import type { Viewer } from '@shop/platform';
import type { Loaders } from './loaders.ts';
import type { Repositories, Transaction } from './repositories.ts';

/** What every service of one request works with. `now` is the request's single reading of the clock. */
export interface ServiceDeps {
  viewer: Viewer | null;
  now: Date;
  loaders: Loaders;
  repositories: Repositories;
  transaction: Transaction;
}
