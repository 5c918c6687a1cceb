import {
  apolloHandler,
  createApolloSubgraph,
  createDatabase,
  createHttpService,
  pingDatabase,
  readSchemaFile,
  type IdentityVerifier,
  type Logger,
  type MikroORM,
} from '@shop/platform';
import { createContext, type Context } from './context.ts';
import { migrations } from './migrations/index.ts';
import { Order as OrderEntity, OrderItem as OrderItemEntity, OrderStatusChange } from './order/order.entity.ts';
import { Order } from './resolvers/Order.ts';
import { OrderItem } from './resolvers/OrderItem.ts';
import { Query } from './resolvers/Query.ts';
import { User } from './resolvers/User.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers = { Query, Order, OrderItem, User };
export const entities = [OrderEntity, OrderItemEntity, OrderStatusChange];

export interface OrdersDeps {
  orm: MikroORM;
  logger: Logger;
  /** Verifies the gateway-signed viewer token of each request. */
  identity: IdentityVerifier;
  production?: boolean;
}

/** Builds the orders subgraph (schema, resolvers, per-request context, HTTP routes); never listens. */
export async function createServer(deps: OrdersDeps) {
  const http = createHttpService({ logger: deps.logger, readiness: [['postgres', () => pingDatabase(deps.orm)]] });
  const apollo = createApolloSubgraph<Context>({
    typeDefs,
    resolvers,
    httpServer: http.server,
    logger: deps.logger,
    production: deps.production ?? false,
  });
  await apollo.start();
  http.route(
    '/graphql',
    apolloHandler(apollo, async ({ req }) => createContext(deps.orm, await deps.identity.viewerFrom(req.headers))),
  );
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

/** The orders service's ORM over its own schema, with its migrations registered. */
export function openDatabase(options: OpenDatabaseOptions): Promise<MikroORM> {
  return createDatabase({ ...options, entities, migrations });
}
