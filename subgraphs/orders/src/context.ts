import type { EntityManager, MikroORM, Viewer } from '@shop/platform';
import { createOrderLoaders, type OrderLoaders } from './order/order.loaders.ts';
import { OrderRepository } from './order/order.repository.ts';
import { OrderService } from './order/order.service.ts';

/** Everything a resolver may use, built fresh for each request. */
export interface Context {
  em: EntityManager;
  /** Who is asking, from the gateway-signed identity token; null when anonymous. */
  viewer: Viewer | null;
  loaders: OrderLoaders;
  orders: OrderService;
}

export function createContext(orm: MikroORM, viewer: Viewer | null): Context {
  const em = orm.em.fork();
  const repository = new OrderRepository(em);
  const loaders = createOrderLoaders(repository);
  return { em, viewer, loaders, orders: new OrderService(repository, loaders) };
}
