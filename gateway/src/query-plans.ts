import { createHash } from 'node:crypto';
import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Operation, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ResultShape } from './result-shape.ts';
import { queryPlanCacheRequests } from '@shop/platform';

/**
 * Query plans of one supergraph, cached by document hash and operation name:
 * parsing and validation are cached by Apollo Server, planning and the
 * compiled result shape here, so a request for a known operation does no
 * per-document work at all. Plans the lean executor cannot run (see
 * `supported`) are remembered as such and go to the stock executor.
 */
export interface CompiledPlan {
  queryPlan: QueryPlan;
  operation: Operation;
  operationContext: ReturnType<typeof buildOperationContext>;
  shape: ResultShape;
}

/** What the lean executor leaves to @apollo/gateway's: subscriptions, @defer, data rewrites (interface objects, contexts). */
function supported(node: PlanNode | QueryPlan['node']): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(supported);
    case 'Flatten':
      return supported(node.node);
    case 'Condition':
      return supported(node.ifClause) && supported(node.elseClause);
    case 'Fetch':
      return !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length;
    default:
      return false;
  }
}

export const MAX_CACHED_PLANS = 2_000;

/** The key a request's plan is cached under: the document's SHA-256 (Apollo's `queryHash`) and the operation's name. */
export function planKey(queryHash: string, operationName: string | null | undefined): string {
  return `${queryHash}\u0000${operationName ?? ''}`;
}

export class QueryPlans {
  readonly supergraphSdl: string;
  readonly apiSchema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly #apiSchemaInternal: Schema;
  readonly #planner: QueryPlanner;
  readonly #plans = new Map<string, CompiledPlan | 'stock'>();
  /** Subgraph name -> routing URL, from the supergraph. */
  readonly subgraphUrls: ReadonlyMap<string, string>;

  constructor(supergraphSdl: string, apiSchema: GraphQLSchema) {
    this.supergraphSdl = supergraphSdl;
    this.apiSchema = apiSchema;
    const supergraph = Supergraph.build(supergraphSdl);
    this.#planner = new QueryPlanner(supergraph);
    this.#apiSchemaInternal = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(
      supergraph
        .subgraphs()
        .values()
        .map((s) => [s.name, s.url]),
    );
  }

  get size(): number {
    return this.#plans.size;
  }

  /** The cached plan, or undefined when this operation has not been planned yet. */
  cached(key: string): CompiledPlan | 'stock' | undefined {
    const plan = this.#plans.get(key);
    queryPlanCacheRequests().inc({ result: plan === undefined ? 'miss' : 'hit' });
    return plan;
  }

  /**
   * Plans and compiles a (validated) document, caches the outcome and returns
   * it: 'stock' when the stock executor must run it or planning failed (the
   * stock executor then reports the failure as it always has).
   */
  plan(key: string, document: DocumentNode, operationName: string | null | undefined): CompiledPlan | 'stock' {
    let compiled: CompiledPlan | 'stock';
    try {
      const operationContext = buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName: operationName ?? undefined });
      const queryPlan = this.#planner.buildQueryPlan(operationFromDocument(this.#apiSchemaInternal, document, { operationName: operationName ?? undefined }));
      // The same Operation stock execution shapes results with (operation + fragments, unvalidated).
      const operation = operationFromDocument(
        this.#apiSchemaInternal,
        { kind: Kind.DOCUMENT, definitions: [operationContext.operation, ...Object.values(operationContext.fragments)] },
        { validate: false },
      );
      compiled = operation.rootKind !== 'subscription' && supported(queryPlan.node) ? { queryPlan, operation, operationContext, shape: new ResultShape(operation) } : 'stock';
    } catch {
      compiled = 'stock';
    }
    if (this.#plans.size >= MAX_CACHED_PLANS) this.#plans.delete(this.#plans.keys().next().value!);
    this.#plans.set(key, compiled);
    return compiled;
  }

  /**
   * Plans every query and mutation of the persisted-query manifest ahead of
   * traffic, under the key Apollo Server will compute for them (the SHA-256
   * of the document text as sent). Returns how many were planned.
   */
  warm(operations: Iterable<{ name: string; type: string; body: string }>): number {
    let planned = 0;
    for (const op of operations) {
      if (op.type === 'subscription') continue;
      const queryHash = createHash('sha256').update(op.body).digest('hex');
      const key = planKey(queryHash, op.name);
      if (this.#plans.has(key)) continue;
      let document: DocumentNode;
      try {
        document = parse(op.body);
      } catch {
        continue;
      }
      if (this.plan(key, document, op.name) !== 'stock') planned++;
    }
    return planned;
  }
}
