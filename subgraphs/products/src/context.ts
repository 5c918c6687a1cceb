import type { EntityManager, MikroORM } from '@shop/platform';
import { createProductLoaders, type ProductLoaders } from './product/product.loaders.ts';
import { ProductRepository } from './product/product.repository.ts';
import { ProductService } from './product/product.service.ts';

/** Everything a resolver may use, built fresh for each request. */
export interface Context {
  em: EntityManager;
  loaders: ProductLoaders;
  products: ProductService;
}

export function createContext(orm: MikroORM): Context {
  const em = orm.em.fork();
  const repository = new ProductRepository(em);
  return { em, loaders: createProductLoaders(repository), products: new ProductService(repository) };
}
