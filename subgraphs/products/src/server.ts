import {
  apolloHandler,
  createApolloSubgraph,
  createDatabase,
  createHttpService,
  pingDatabase,
  readSchemaFile,
  type Logger,
  type MikroORM,
} from '@shop/platform';
import { createContext, type Context } from './context.ts';
import { migrations } from './migrations/index.ts';
import { Product as ProductEntity, Variant as VariantEntity } from './product/product.entity.ts';
import { Product } from './resolvers/Product.ts';
import { Query } from './resolvers/Query.ts';
import { Variant } from './resolvers/Variant.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers = { Query, Product, Variant };
export const entities = [ProductEntity, VariantEntity];

export interface ProductsDeps {
  orm: MikroORM;
  logger: Logger;
  production?: boolean;
}

/** Builds the products subgraph (schema, resolvers, per-request context, HTTP routes); never listens. */
export async function createServer(deps: ProductsDeps) {
  const http = createHttpService({ logger: deps.logger, readiness: [['postgres', () => pingDatabase(deps.orm)]] });
  const apollo = createApolloSubgraph<Context>({
    typeDefs,
    resolvers,
    httpServer: http.server,
    logger: deps.logger,
    production: deps.production ?? false,
  });
  await apollo.start();
  http.route('/graphql', apolloHandler(apollo, async () => createContext(deps.orm)));
  return {
    apollo,
    http,
    listen: (port: number, host?: string) => http.listen(port, host),
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}

export interface OpenDatabaseOptions {
  url: string;
  schema: string;
  logger?: Logger;
  poolSize?: number;
  onQuery?: (sql: string) => void;
}

/** The products service's ORM over its own schema, with its migrations registered. */
export function openDatabase(options: OpenDatabaseOptions): Promise<MikroORM> {
  return createDatabase({ ...options, entities, migrations });
}
