import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { subgraphFetchDuration } from '@shop/platform';
import type { Logger } from '@shop/platform';
import type { GatewayContext } from './context.ts';
import { executeLean } from './plan-executor.ts';
import { QueryPlans } from './query-plans.ts';
import { createSubgraphBreakers, forwardedHeaders, isUnreachable, SubgraphClient, throughBreaker, unavailable, type SubgraphBreakers } from './subgraph-client.ts';

/**
 * Calls one subgraph for @apollo/gateway's own executor (plans the lean
 * executor leaves to it, and subscription enrichment): forwards what
 * `forwardedHeaders` says, and turns a subgraph that cannot be reached into a
 * clear error naming the service.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly timeoutMs: number;
  readonly #breakers: SubgraphBreakers;
  constructor(name: string, url: string, timeoutMs: number, breakers: SubgraphBreakers) {
    super({ url });
    this.name = name;
    this.timeoutMs = timeoutMs;
    this.#breakers = breakers;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    for (const [name, value] of Object.entries(forwardedHeaders(context))) headers.set(name, value);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    if (options.request.http) (options.request.http as { signal?: AbortSignal }).signal = timeout;
    const end = subgraphFetchDuration().startTimer({ subgraph_name: this.name });
    try {
      // The same circuit as the lean executor's fetches to this subgraph.
      const response = await throughBreaker(this.#breakers(this.name), () => super.process(options));
      end({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    if (isUnreachable(error)) throw unavailable(this.name);
    throw error;
  }
}

export type ExecutorKind = 'lean' | 'stock';

export interface GatewayOptions {
  supergraphPath: string;
  subgraphUrls: Readonly<Record<string, string>>;
  subgraphTimeoutMs: number;
  /** The circuit breaker of each subgraph (createSubgraphBreakers), shared with the subscription enrichment; default settings when absent. */
  breakers?: SubgraphBreakers;
  /** Keep-alive connections per subgraph for the lean executor. */
  subgraphConnections?: number;
  logger: Logger;
  /** How often the supergraph file is polled for changes (ms). */
  pollIntervalMs?: number;
  /** `lean` (default): our executor of the query plans; `stock`: @apollo/gateway's. */
  executor?: ExecutorKind;
  /** Operations planned as soon as a supergraph loads (the persisted-query manifest). */
  warmOperations?: () => Iterable<{ name: string; type: string; body: string }>;
}

export interface Gateway {
  gateway: ApolloGateway;
  /** The query plans of the current supergraph (undefined before it loads or with the stock executor). */
  queryPlans(): QueryPlans | undefined;
  close(): Promise<void>;
}

/**
 * @apollo/gateway over the committed supergraph file. The file is watched:
 * when it changes, the new supergraph is loaded without a restart; a file that
 * does not build is logged and the previous supergraph keeps serving.
 *
 * Execution goes through the lean executor (plan-executor.ts) with plans
 * cached per supergraph (query-plans.ts), warmed from `warmOperations` on
 * every load; what it does not support runs on the stock executor.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { supergraphPath, logger } = options;
  const breakers = options.breakers ?? createSubgraphBreakers({}, logger);
  const gateway = new ApolloGateway({
    logger,
    supergraphSdl: async ({ update }) => {
      let current = readFileSync(supergraphPath, 'utf8');
      const onChange = () => {
        let next: string;
        try {
          next = readFileSync(supergraphPath, 'utf8');
        } catch (error) {
          logger.error({ err: error, supergraphPath }, 'supergraph file unreadable; keeping the current one');
          return;
        }
        if (next === current) return;
        try {
          update(next);
          current = next;
          logger.info({ supergraphPath }, 'supergraph reloaded');
        } catch (error) {
          logger.error({ err: error, supergraphPath }, 'new supergraph rejected; keeping the current one');
        }
      };
      watchFile(supergraphPath, { interval: options.pollIntervalMs ?? 1000 }, onChange);
      return { supergraphSdl: current, cleanup: async () => unwatchFile(supergraphPath, onChange) };
    },
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls[name] ?? url ?? '', options.subgraphTimeoutMs, breakers),
  });
  let plans: QueryPlans | undefined;
  let clients = new Map<string, SubgraphClient>();
  const closeClients = (old: Map<string, SubgraphClient>) => Promise.all([...old.values()].map((c) => c.close().catch(() => {})));
  if ((options.executor ?? 'lean') === 'lean') {
    gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      try {
        const started = performance.now();
        const next = new QueryPlans(coreSupergraphSdl, apiSchema);
        const warmed = options.warmOperations ? next.warm(options.warmOperations()) : 0;
        const previous = clients;
        clients = new Map(
          [...next.subgraphUrls].map(([name, url]) => {
            const target = options.subgraphUrls[name] ?? url;
            const reused = previous.get(name);
            return [name, reused?.url === target ? reused : new SubgraphClient(name, target, { timeoutMs: options.subgraphTimeoutMs, connections: options.subgraphConnections ?? 128, breaker: breakers(name) })];
          }),
        );
        const reusedClients = new Set(clients.values());
        // Requests in flight on a retired pool finish before it closes.
        setTimeout(() => void closeClients(new Map([...previous].filter(([, c]) => !reusedClients.has(c)))), options.subgraphTimeoutMs).unref();
        plans = next;
        logger.info({ warmed, ms: Math.round(performance.now() - started) }, 'query plans ready');
      } catch (error) {
        plans = undefined;
        logger.error({ err: error }, 'lean executor unavailable for this supergraph; using the stock executor');
      }
    });
    const stock = gateway.executor;
    gateway.executor = async (requestContext) =>
      ((await executeLean(requestContext, { plans: () => plans, clients: () => clients })) as Awaited<ReturnType<typeof stock>> | undefined) ?? stock(requestContext);
  }
  return {
    gateway,
    queryPlans: () => plans,
    close: async () => {
      await closeClients(clients);
      clients = new Map();
    },
  };
}
