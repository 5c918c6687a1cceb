import type { EntityManager, IdentityVerifier, MikroORM, Viewer } from '@shop/platform';
import type { DocumentNode } from 'graphql';
import { ReservationService } from './reservation/reservation.service.ts';
import type { StockCache } from './stock/stock.cache.ts';
import { createStockLoaders, type StockLoaders } from './stock/stock.loaders.ts';
import { StockRepository } from './stock/stock.repository.ts';
import { StockService } from './stock/stock.service.ts';

/** What the context is built from: long-lived dependencies shared by all requests. */
export interface ContextDeps {
  orm: MikroORM;
  cache: StockCache;
  identity: IdentityVerifier;
}

/** Everything a resolver may use, built fresh for each request. */
export interface Context {
  em: EntityManager;
  /** The caller, from the gateway-signed identity token; null when anonymous. */
  viewer: Viewer | null;
  loaders: StockLoaders;
  stock: StockService;
  reservations: ReservationService;
  /** The parsed operation, kept by a hook to decide the response's cache-control. */
  document?: DocumentNode;
}

export async function createContext(deps: ContextDeps, headers: Record<string, string | string[] | undefined>): Promise<Context> {
  const em = deps.orm.em.fork();
  const stock = new StockService(new StockRepository(em), deps.cache);
  return {
    em,
    viewer: await deps.identity.viewerFrom(headers),
    loaders: createStockLoaders(stock),
    stock,
    reservations: new ReservationService(em, deps.cache),
  };
}
