import type { MikroORM, RequestScope, Viewer } from '@shop/platform';
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

/** The long-lived parts every request's context is built from. */
export interface ContextDeps {
  orm: MikroORM;
  /** The clock live sales are judged by (tests move it). */
  clock: () => Date;
}

export function createContext(deps: ContextDeps, request: RequestScope): Context {
  const { viewer } = request;
  const now = deps.clock();
  const em = deps.orm.em.fork();
  const repositories = createRepositories(em);
  const loaders = createLoaders(repositories, now);
  const services = { viewer, now, loaders, repositories, transaction: createTransaction(em) };
  return {
    viewer,
    now,
    loaders,
    products: new ProductService(services),
    categories: new CategoryService(services),
    liveSales: new LiveSaleService(services),
  };
}
