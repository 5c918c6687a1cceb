import Fastify, { type FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { buildFederationSchema } from '@mercuriusjs/federation';
import {
  MAX_BODY_BYTES,
  readSchemaFile,
  requestScope,
  serviceDatabase,
  subgraphReadiness,
  type KeyValueStore,
  type PubSub,
  type SubgraphDeps,
  createOperationLimitChecker,
  nulByteError,
  SUBGRAPH_OPERATION_LIMITS,
} from '@shop/platform';
import { GraphQLError, isObjectType, Kind, NoSchemaIntrospectionCustomRule, validate, type GraphQLSchema } from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { cacheControlFor, UNCACHEABLE } from './cache-control.ts';
import { createContext, type Context } from './context.ts';
import { createMercuriusErrorFormatter } from './error-formatter.ts';
import { keepErrorPathIndicesNumeric } from './error-path-schema.ts';
import { addMetricsHooks } from './metrics-hooks.ts';
import { toMercuriusSdl } from './federation-sdl.ts';
import { migrations } from './migrations/index.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Product } from './resolvers/Product.ts';
import { Query } from './resolvers/Query.ts';
import { Reservation } from './resolvers/Reservation.ts';
import { StockLevel } from './resolvers/StockLevel.ts';
import { Subscription } from './resolvers/Subscription.ts';
import { Variant, type MercuriusVariantResolvers } from './resolvers/Variant.ts';
import { ReservationBatcher, type ReservationBatcherOptions } from './reservation/reservation.batcher.ts';
import { ReservationLine } from './reservation/reservation.entity.ts';
import { unavailableSellerDirectory, type SellerDirectory } from './stock/seller-directory.ts';
import { StockCache, type StockCacheOptions } from './stock/stock.cache.ts';
import { Stock } from './stock/stock.entity.ts';
import { StockEvents, type StockEventsOptions } from './stock/stock.events.ts';
import { StockNotifier } from './stock/stock.notifier.ts';
import { skipCsrfCheckOnWebSocketUpgrade } from './websocket-upgrade.ts';

/** The generated resolver types, with Variant's reference resolver in mercurius' shape (see resolvers/Variant.ts). */
type InventoryResolvers = Omit<Resolvers, 'Variant'> & { Variant: MercuriusVariantResolvers };

/** The Federation 2 SDL, exactly as composition reads it. */
export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers: InventoryResolvers = { Query, Mutation, Subscription, Variant, Product, StockLevel, Reservation };
export const entities = [Stock, ReservationLine];

export interface InventoryDeps extends SubgraphDeps {
  /** Where stock levels are cached for reads (Redis, or the in-process stand-in). */
  store: KeyValueStore;
  /** Where stock changes are announced to the subscribers of every replica (Redis, or in-process). */
  pubsub: PubSub;
  /**
   * The seller of a sku (a seller may restock only their own products):
   * main.ts asks the products subgraph (ProductsSellerDirectory on
   * PRODUCTS_URL). Absent: every seller lookup fails with
   * SERVICE_UNAVAILABLE; admins and SERVICE still restock.
   */
  sellers?: SellerDirectory;
  cache?: StockCacheOptions;
  events?: StockEventsOptions;
  /** Batching of single-sku reservations (see ReservationBatcher); false: one transaction per reservation. */
  reservationBatching?: ReservationBatcherOptions | false;
  /** Interval of WebSocket keep-alive pings (ms). */
  subscriptionKeepAliveMs?: number;
}

/**
 * Builds the inventory subgraph on Fastify + mercurius (schema, resolvers,
 * per-request context, cache-control, WebSocket subscriptions, reservation
 * batching, metrics hooks, readiness checks for the metrics port); never listens.
 */
export async function createServer(deps: InventoryDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: MAX_BODY_BYTES,
    requestIdHeader: 'x-request-id',
    // Longer than the idle timeout of the load balancers in front of us, so
    // they never send a request on a connection we are closing.
    keepAliveTimeout: 65_000,
  });
  const notifier = new StockNotifier(new StockCache(deps.store, deps.logger, deps.cache), new StockEvents(deps.pubsub, deps.logger, deps.events));
  const batcher = deps.reservationBatching === false ? undefined : new ReservationBatcher(deps.orm, notifier, deps.reservationBatching);
  const sellers = deps.sellers ?? unavailableSellerDirectory;
  const contextDeps = { orm: deps.orm, notifier, sellers, ...(batcher ? { batcher } : {}) };
  const context = async (request: FastifyRequest) => createContext(contextDeps, await requestScope(deps.identity, request.raw));
  // Reservations already queued are decided before the database goes away.
  app.addHook('onClose', async () => {
    await batcher?.drain();
  });


  // Anything that does not say otherwise is not cacheable: validation and
  // transport errors, mutations. Successful reads opt in below.
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', UNCACHEABLE);
  });

  // In production only an expected caller's signed token gets a GraphQL call
  // answered (the platform kit does the same for the Apollo subgraphs).
  const requireCaller = deps.production ? deps.identity : undefined;
  if (requireCaller) {
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql' || request.headers.upgrade) return;
      if (await requireCaller.identify(request.headers)) return;
      return reply
        .code(401)
        .header('cache-control', UNCACHEABLE)
        .send({ errors: [{ message: 'This service answers only calls signed by the gateway or an expected service.', extensions: { code: 'UNAUTHENTICATED' } }] });
    });
  }
  app.addHook('onRoute', keepErrorPathIndicesNumeric);
  app.addHook('onRoute', skipCsrfCheckOnWebSocketUpgrade);
  await app.register(mercurius, {
    schema: buildSchema(typeDefs),
    resolvers: resolvers as unknown as mercurius.IResolvers,
    context,
    // Subscriptions over WebSocket on the same path, in both graphql-ws
    // protocols (the gateway speaks `graphql-transport-ws`). Events do not
    // go through mercurius' emitter: Subscription.stockChanged returns its
    // own stream, fed by Redis pub/sub (see StockEvents).
    subscription: {
      context: (_socket, request) => context(request),
      keepAlive: deps.subscriptionKeepAliveMs ?? 15_000,
    },
    errorFormatter: createMercuriusErrorFormatter(deps.logger, deps.production ?? false),
    path: '/graphql',
    // Only the gateway calls a subgraph, with JSON POSTs; a GET must carry a
    // preflight header, which browsers cannot add cross-site.
    csrfPrevention: {
      requiredHeaders: ['apollo-require-preflight', 'x-apollo-operation-name', 'mercurius-require-preflight', 'x-mercurius-operation-name'],
    },
    graphiql: false,
    // In production no introspection: the supergraph is composed from the SDL files.
    validationRules: deps.production ? [NoSchemaIntrospectionCustomRule] : [],
  });
  // The same depth, alias, directive and cost limits as every subgraph (see platform's operation-limits).
  const checkLimits = createOperationLimitChecker(SUBGRAPH_OPERATION_LIMITS);
  app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
    const [limited] = checkLimits(schema, document, variables ?? {});
    if (limited) throw limited;
    const nul = nulByteError(document, variables ?? {});
    if (nul) throw nul;
    // Over HTTP, mercurius would run a subscription once, like a query, on no event at all.
    if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription')) {
      throw new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) on this path, not over HTTP.', {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    (context as unknown as Context).document = document;
  });
  // mercurius executes subscription documents without validating them; an
  // invalid one would run with the unknown parts silently skipped.
  app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const [error] = [...validate(schema, document), ...checkLimits(schema, document, {})];
    if (error) throw new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    const { document } = context as unknown as Context;
    if (document) context.reply.header('cache-control', cacheControlFor(document, Boolean(execution.errors?.length)));
  });
  addMetricsHooks(app);
  return app;
}

/** What /ready checks, served by the kit on the metrics port (never on the public one). */
export function inventoryReadiness(deps: Pick<InventoryDeps, 'orm' | 'store'>) {
  return subgraphReadiness(deps, [
    // Stock reads fall back to PostgreSQL without Redis: report it, stay in rotation.
    ['redis', () => deps.store.ping(), { critical: false }],
  ]);
}

/**
 * The mercurius schema: the Federation 2 SDL lowered to what
 * @mercuriusjs/federation understands (see federation-sdl.ts), with
 * `_service.sdl` still answering the original Federation 2 SDL so that
 * `rover subgraph introspect` and composition see the same schema as the file.
 */
function buildSchema(sdl: string): GraphQLSchema {
  const schema = buildFederationSchema(toMercuriusSdl(sdl));
  const query = schema.getQueryType();
  const service = query?.getFields()._service;
  if (!query || !isObjectType(query) || !service) throw new Error('federation schema has no Query._service');
  service.resolve = () => ({ sdl });
  return schema;
}

/** The inventory service's ORM over its own schema, with its migrations registered. */
export const openDatabase = serviceDatabase(entities, migrations);

export type InventoryServer = Awaited<ReturnType<typeof createServer>>;
