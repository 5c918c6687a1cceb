import type { EntityManager } from '@shop/platform';
import { CategoryRepository } from './category/category.repository.ts';
import { LiveSaleRepository } from './live-sale/live-sale.repository.ts';
import { ProductRepository } from './product/product.repository.ts';

/** Every repository of the service, over one EntityManager (the request's, or a transaction's). */
export interface Repositories {
  products: ProductRepository;
  categories: CategoryRepository;
  liveSales: LiveSaleRepository;
}

/** Runs `work` in one database transaction, with repositories bound to it. */
export type Transaction = <T>(work: (repositories: Repositories) => Promise<T>) => Promise<T>;

export function createRepositories(em: EntityManager): Repositories {
  return { products: new ProductRepository(em), categories: new CategoryRepository(em), liveSales: new LiveSaleRepository(em) };
}

export function createTransaction(em: EntityManager): Transaction {
  return (work) => em.transactional((tem) => work(createRepositories(tem)));
}
