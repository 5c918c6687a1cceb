import type { MikroORM, Viewer } from '@shop/platform';
import { CategoryService } from './category/category.service.ts';
import { LiveSaleService } from './live-sale/live-sale.service.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { ProductService } from './product/product.service.ts';
import { createRepositories, createTransaction } from './repositories.ts';

/** Everything a resolver may use, built fresh for each request. */
export interface Context {
  viewer: Viewer | null;
  /** The request's one reading of the clock: every live sale status and price in a response agrees with it. */
  now: Date;
  loaders: Loaders;
  products: ProductService;
  categories: CategoryService;
  liveSales: LiveSaleService;
}

export function createContext(orm: MikroORM, viewer: Viewer | null, now: Date): Context {
  const em = orm.em.fork();
  const repositories = createRepositories(em);
  const loaders = createLoaders(repositories, now);
  const deps = { viewer, now, loaders, repositories, transaction: createTransaction(em) };
  return {
    viewer,
    now,
    loaders,
    products: new ProductService(deps),
    categories: new CategoryService(deps),
    liveSales: new LiveSaleService(deps),
  };
}
