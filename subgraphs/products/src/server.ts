import { createSubgraphService, readSchemaFile, serviceDatabase, type SubgraphDeps } from '@shop/platform';
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { Category as CategoryEntity } from './category/category.entity.ts';
import { createContext, type Context } from './context.ts';
import { LiveSale as LiveSaleEntity } from './live-sale/live-sale.entity.ts';
import { migrations } from './migrations/index.ts';
import { Product as ProductEntity, ProductImage as ProductImageEntity, Variant as VariantEntity } from './product/product.entity.ts';
import { Category } from './resolvers/Category.ts';
import { LiveSale, LiveSalePrice } from './resolvers/LiveSale.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Product } from './resolvers/Product.ts';
import { Query } from './resolvers/Query.ts';
import { Variant } from './resolvers/Variant.ts';
import { VariantPrice } from './resolvers/VariantPrice.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers: Resolvers = { Query, Mutation, Product, Variant, Category, LiveSale, LiveSalePrice, VariantPrice };
export const entities = [ProductEntity, VariantEntity, ProductImageEntity, CategoryEntity, LiveSaleEntity];

export interface ProductsDeps extends SubgraphDeps {
  /** The clock live sales are judged by (tests move it). */
  clock?: () => Date;
}

/** Builds the products subgraph (schema, resolvers, per-request context, HTTP routes); never listens. */
export async function createServer(deps: ProductsDeps) {
  const contextDeps = { orm: deps.orm, clock: deps.clock ?? (() => new Date()) };
  return createSubgraphService<Context>({
    typeDefs,
    resolvers,
    deps,
    context: (request) => createContext(contextDeps, request),
  });
}

/** The products service's ORM over its own schema, with its migrations registered. */
export const openDatabase = serviceDatabase(entities, migrations);
