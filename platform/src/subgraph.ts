import { readFileSync } from 'node:fs';
import { ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLFormattedError } from 'graphql';
import type { Server } from 'node:http';
import { apolloHandler, createHttpService, HttpError, type HttpService, type ReadinessCheck, type RequestHandler } from './http.ts';
import { pingDatabase, type MikroORM } from './database.ts';
import { ErrorCode, isDependencyUnavailable } from './errors.ts';
import { graphqlMetricsPlugin } from './graphql-metrics.ts';
import type { IdentityVerifier } from './identity.ts';
import type { Logger } from './logger.ts';
import { requestScope, type RequestScope } from './request-scope.ts';
import { operationLimitsPlugin, SUBGRAPH_OPERATION_LIMITS } from './operation-limits.ts';

/** Reads a subgraph's SDL file (next to the module that asks for it). */
export function readSchemaFile(url: URL): string {
  return readFileSync(url, 'utf8');
}

/**
 * graphql-js answers an unknown field or argument with "Did you mean ...?",
 * which lists the schema to whoever asks even where introspection is off; in
 * production the suggestion is cut (graphql-armor's block-field-suggestions
 * does the same, but only as an envelop plugin).
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean .*\?$/s, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}

/**
 * A stack trace a service put into an error's extensions (`stacktrace`, or
 * Apollo Server 2's `exception`): the gateway passes subgraph errors on with
 * their extensions, so a subgraph left in development mode would otherwise
 * show its stack, file paths included, through a production gateway.
 */
export function withoutStackTrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions || 'exception' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/**
 * Masks unexpected errors at the edge: codes we raise on purpose pass through
 * with their message (in production without suggestions or any stack trace a
 * subgraph sent along); a dependency that cannot be reached (the database
 * restarting) becomes SERVICE_UNAVAILABLE, retryable; anything else is logged
 * and replaced by a generic message in production.
 */
export function createErrorFormatter(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return production ? withoutStackTrace(withoutSuggestions(formatted)) : formatted;
    // Apollo's own refusals of a malformed request (APQ version or hash
    // mismatch, ...) carry a 4xx status but no code: the client's mistake, not a crash.
    const status = (error as { extensions?: { http?: { status?: number } } } | undefined)?.extensions?.http?.status;
    if (status !== undefined && status >= 400 && status < 500) return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    // The database restarting or unreachable is not a bug: the client may send the same request again shortly.
    if (isDependencyUnavailable(error)) {
      logger.warn({ err: error }, 'a dependency is unavailable');
      return {
        message: 'A service this request needs is unavailable right now; try again shortly.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true },
      };
    }
    logger.error({ err: error }, 'unexpected resolver error');
    if (!production) return formatted;
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

export interface ApolloSubgraphOptions {
  typeDefs: string;
  resolvers: GraphQLResolverMap<any>;
  httpServer: Server;
  logger: Logger;
  production: boolean;
}

/** An @apollo/server instance serving a Federation 2 subgraph schema. */
export function createApolloSubgraph<TContext extends BaseContext>(options: ApolloSubgraphOptions): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: buildSubgraphSchema([{ typeDefs: parse(options.typeDefs), resolvers: options.resolvers }]),
    formatError: createErrorFormatter(options.logger, options.production),
    includeStacktraceInErrorResponses: !options.production,
    // Subgraphs sit behind the gateway, which decides introspection for
    // clients; in production a subgraph answers none itself (the supergraph
    // is composed from the SDL files, never by introspecting a live service).
    introspection: !options.production,
    parseOptions: { maxTokens: SUBGRAPH_OPERATION_LIMITS.maxTokens },
    // Only the gateway calls subgraphs, with JSON POSTs; CSRF prevention stays on.
    csrfPrevention: true,
    // main.ts owns SIGTERM (drain, then close the database); Apollo's own
    // handler would race it and leave stop() hanging.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // Its own depth, alias, directive and cost limits: a caller that reaches it directly meets them too.
      operationLimitsPlugin(SUBGRAPH_OPERATION_LIMITS),
      graphqlMetricsPlugin(),
    ],
  });
}

/** What every subgraph's `createServer` takes; each service's own deps extend it. */
export interface SubgraphDeps {
  /** The service's ORM over its own schema (readiness pings it). */
  orm: MikroORM;
  logger: Logger;
  /**
   * Verifies callers' identity tokens (`x-viewer-token`, the only source of
   * the viewer; absent: every caller is anonymous). In production a call
   * without a valid token from an expected caller is refused with 401 before
   * any GraphQL work: whoever reaches a subgraph directly cannot skip the
   * gateway's controls.
   */
  identity?: IdentityVerifier;
  /** Masks unexpected errors in responses. */
  production?: boolean;
}

export interface SubgraphServiceOptions<TContext extends BaseContext> {
  typeDefs: string;
  resolvers: GraphQLResolverMap<any>;
  deps: SubgraphDeps;
  /** Readiness checks beyond PostgreSQL's, which every subgraph has. */
  readiness?: readonly ReadinessCheck[];
  /** Builds the per-request context (forked EntityManager, loaders, viewer): the service's `createContext(deps, request)`. */
  context: (request: RequestScope) => TContext | Promise<TContext>;
  /** Extra routes beside /graphql (e.g. a JWKS). */
  routes?: Record<string, RequestHandler>;
}

/** 401 for a request without a valid identity token; the verifier caches the token for the context that follows. */
export async function refuseUnknownCaller(identity: IdentityVerifier, request: HTTPGraphQLRequest): Promise<HTTPGraphQLRequest> {
  if (await identity.identify(request.headers)) return request;
  throw new HttpError(401, 'UNAUTHENTICATED', 'This service answers only calls signed by the gateway or an expected service.');
}

export interface SubgraphService<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  http: HttpService;
  /** PostgreSQL and the service's own checks, served on the metrics port. */
  readiness: readonly ReadinessCheck[];
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting requests, lets in-flight ones finish, then stops Apollo. */
  close(): Promise<void>;
}

/**
 * The HTTP side every Apollo subgraph shares: a node:http service with the
 * subgraph schema on /graphql (started, never listening until `listen`), its
 * readiness checks for the metrics port, and an orderly close.
 */
export async function createSubgraphService<TContext extends BaseContext>(options: SubgraphServiceOptions<TContext>): Promise<SubgraphService<TContext>> {
  const { deps } = options;
  const http = createHttpService({ logger: deps.logger, readiness: subgraphReadiness(deps, options.readiness) });
  const apollo = createApolloSubgraph<TContext>({
    typeDefs: options.typeDefs,
    resolvers: options.resolvers,
    httpServer: http.server,
    logger: deps.logger,
    production: deps.production ?? false,
  });
  await apollo.start();
  const requireCaller = deps.production ? deps.identity : undefined;
  http.route(
    '/graphql',
    apolloHandler(apollo, async ({ req }) => options.context(await requestScope(deps.identity, req)), {
      prepare: requireCaller ? (request) => refuseUnknownCaller(requireCaller, request) : undefined,
    }),
  );
  for (const [path, handler] of Object.entries(options.routes ?? {})) http.route(path, handler);
  return {
    apollo,
    http,
    readiness: http.readiness,
    listen: (port, host) => http.listen(port, host),
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}

/** PostgreSQL first, then the service's own checks. */
export function subgraphReadiness(deps: Pick<SubgraphDeps, 'orm'>, more: readonly ReadinessCheck[] = []): ReadinessCheck[] {
  return [['postgres', () => pingDatabase(deps.orm)], ...more];
}
