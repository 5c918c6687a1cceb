import type { MikroORM, RequestContext, RequestScope } from '@shop/platform';
import type { DocumentNode } from 'graphql';
import type { ReservationBatcher } from './reservation/reservation.batcher.ts';
import { ReservationService } from './reservation/reservation.service.ts';
import type { SellerDirectory } from './stock/seller-directory.ts';
import { createStockLoaders, type StockLoaders } from './stock/stock.loaders.ts';
import type { StockNotifier } from './stock/stock.notifier.ts';
import { StockRepository } from './stock/stock.repository.ts';
import { StockService } from './stock/stock.service.ts';

/** What the context is built from: long-lived dependencies shared by all requests. */
export interface ContextDeps {
  orm: MikroORM;
  /** Cache writes and pub/sub announcements after every committed change. */
  notifier: StockNotifier;
  /** Merges concurrent single-sku reservations; absent: one transaction per reservation. */
  batcher?: ReservationBatcher;
  /** The seller of a sku, from products (who may restock it). */
  sellers: SellerDirectory;
}

/** Everything a resolver may use, built fresh for each request (and each subscription connection). */
export interface Context extends RequestContext {
  loaders: StockLoaders;
  stock: StockService;
  reservations: ReservationService;
  /** The seller of a sku, from products (who may restock it). */
  sellers: SellerDirectory;
  /** The parsed operation, kept by a hook to decide the response's cache-control. */
  document?: DocumentNode;
}

export function createContext(deps: ContextDeps, request: RequestScope): Context {
  const em = deps.orm.em.fork();
  const stock = new StockService(new StockRepository(em), deps.notifier);
  return {
    em,
    viewer: request.viewer,
    loaders: createStockLoaders(stock),
    stock,
    reservations: new ReservationService(em, { notifier: deps.notifier, ...(deps.batcher ? { batcher: deps.batcher } : {}) }),
    sellers: deps.sellers,
  };
}
