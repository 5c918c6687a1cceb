import { createHash } from 'node:crypto';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Logger } from '@shop/platform';

/**
 * Plans federated subscriptions, which @apollo/gateway refuses to execute.
 *
 * The query planner turns a subscription into a `Subscription` node: a
 * `primary` fetch, opened as a subscription on the subgraph that owns the root
 * field, and a `rest` plan that fetches, for every event, the fields other
 * subgraphs own. Events are enriched with the gateway's own (exported but
 * undocumented) `executeQueryPlan`: the primary fetch is replayed against an
 * in-memory "event" source that answers with the event's data, followed by
 * `rest` against the real subgraphs. The @apollo packages are pinned exactly
 * because of that, and tests cover it.
 */
export const EVENT_SOURCE = '__subscription_event__';

export interface PlannedSubscription {
  primary: FetchNode;
  /** The primary fetch followed by `rest`, with the primary pointed at the event source. */
  enrichment: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
  /** Variables the primary fetch uses, as the owning subgraph expects them. */
  primaryVariables(variables: Record<string, unknown>): Record<string, unknown>;
  /** True when the event has to go through `rest` (other subgraphs' fields). */
  needsEnrichment: boolean;
}

export class SubscriptionPlanner {
  readonly supergraphSdl: string;
  /** Identifies the supergraph: shared streams never span two versions of it. */
  readonly version: string;
  readonly apiSchema: GraphQLSchema;
  readonly #supergraphSchema: GraphQLSchema;
  readonly #apiSchemaInternal: Schema;
  readonly #planner: QueryPlanner;
  /** Subgraph name -> routing URL, from the supergraph. */
  readonly subgraphUrls: ReadonlyMap<string, string>;

  constructor(supergraphSdl: string) {
    this.supergraphSdl = supergraphSdl;
    this.version = createHash('sha256').update(supergraphSdl).digest('hex');
    const supergraph = Supergraph.build(supergraphSdl);
    this.#planner = new QueryPlanner(supergraph);
    this.#apiSchemaInternal = supergraph.apiSchema();
    this.apiSchema = this.#apiSchemaInternal.toGraphQLJSSchema();
    this.#supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(
      supergraph
        .subgraphs()
        .values()
        .map((s) => [s.name, s.url]),
    );
  }

  /** Plans a (validated) subscription document; throws a GraphQLError with a code when it cannot be routed. */
  plan(document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const operation = operationFromDocument(this.#apiSchemaInternal, document, { operationName, validate: false });
    const queryPlan = this.#planner.buildQueryPlan(operation);
    const node = queryPlan.node;
    if (node?.kind !== 'Subscription') {
      throw new GraphQLError('This operation cannot be routed as a subscription.', { extensions: { code: 'SUBSCRIPTION_NOT_ROUTABLE' } });
    }
    const primary = node.primary;
    const replay: FetchNode = { ...primary, serviceName: EVENT_SOURCE };
    const root: PlanNode = node.rest ? { kind: 'Sequence', nodes: [replay, node.rest] } : replay;
    return {
      primary,
      enrichment: { kind: 'QueryPlan', node: root },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
      needsEnrichment: Boolean(node.rest),
      primaryVariables(variables) {
        const used: Record<string, unknown> = {};
        for (const name of primary.variableUsages ?? []) if (name in variables) used[name] = variables[name];
        return used;
      },
    };
  }

  /**
   * Turns one primary event into the client's result: runs the enrichment
   * plan with `services` (the real subgraphs) plus the event source, then
   * shapes the response like any gateway response (nulls bubble, aliases).
   */
  async enrich(
    planned: PlannedSubscription,
    event: Record<string, unknown>,
    variables: Record<string, unknown>,
    services: ServiceMap,
    context: Record<string, unknown>,
    logger: Logger,
  ): Promise<ExecutionResult> {
    const eventSource = {
      process: async () => ({ data: event }),
    };
    const serviceMap: ServiceMap = { ...services, [EVENT_SOURCE]: eventSource };
    const requestContext = {
      request: { query: undefined, variables, operationName: planned.operationContext.operation.name?.value },
      context,
      logger,
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as Parameters<typeof executeQueryPlan>[2];
    const result = await executeQueryPlan(
      planned.enrichment,
      serviceMap,
      requestContext,
      planned.operationContext,
      this.#supergraphSchema,
      this.#apiSchemaInternal,
    );
    return { data: (result.data ?? null) as ExecutionResult['data'], ...(result.errors?.length ? { errors: result.errors as ExecutionResult['errors'] } : {}) };
  }
}
