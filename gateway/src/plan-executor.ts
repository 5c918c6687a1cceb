import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import { evaluateCondition, type FetchNode, type PlanNode, type QueryPlanSelectionNode } from '@apollo/query-planner';
import { getVariableValues } from 'graphql/execution/values.js';
import { GraphQLError, isAbstractType, isInterfaceType, isObjectType, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './context.ts';
import { planKey, type CompiledPlan, type QueryPlans } from './query-plans.ts';
import { forwardedHeaders, type SubgraphClient } from './subgraph-client.ts';

/**
 * A lean executor of @apollo/query-planner's plans, in place of
 * @apollo/gateway's `executeQueryPlan` for the plans it supports (everything
 * but subscriptions, @defer and data rewrites, which go to the stock one).
 *
 * Same plan, same subgraph requests, same merging and result shaping as
 * stock (answers are byte-identical; the gateway tests compare them); what
 * it drops is per-request overhead: no re-planning key hash, no rebuilt
 * federation `Operation`, no tracing spans or usage-reporting trace objects,
 * subgraph calls over undici keep-alive pools instead of make-fetch-happen,
 * and a result shape compiled once per operation.
 */
type Data = Record<string, unknown>;
type Path = (string | number)[];

interface Cursor {
  path: Path;
  data: unknown;
  fullResult: Data;
}

interface Run {
  plan: CompiledPlan;
  variables: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  errors: unknown[];
  policy: { restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } | undefined;
  clients: ReadonlyMap<string, SubgraphClient>;
  supergraphSchema: GraphQLSchema;
}

export interface LeanExecutorDeps {
  plans: () => QueryPlans | undefined;
  clients: () => ReadonlyMap<string, SubgraphClient>;
}

export type ExecutionResult = { data?: Data | null; errors?: readonly unknown[]; extensions?: Record<string, unknown> };

/** Runs a request with the lean executor, or returns undefined when the stock one must (no supergraph yet, unsupported plan). */
export async function executeLean(requestContext: GatewayGraphQLRequestContext, deps: LeanExecutorDeps): Promise<ExecutionResult | undefined> {
  const plans = deps.plans();
  if (!plans || !requestContext.document || !requestContext.queryHash) return undefined;
  // The resolved operation name, so that a document sent with or without `operationName` shares one plan.
  const operationName = requestContext.operationName ?? requestContext.request.operationName;
  const key = planKey(requestContext.queryHash, operationName);
  const plan = plans.cached(key) ?? plans.plan(key, requestContext.document, operationName);
  if (plan === 'stock') return undefined;
  const variables = requestContext.request.variables;
  const definitions = plan.operationContext.operation.variableDefinitions;
  if (definitions?.length) {
    const { errors } = getVariableValues(plans.apiSchema, definitions, variables ?? {});
    if (errors) return { errors };
  }
  const policy = requestContext.overallCachePolicy as Run['policy'] & object;
  const run: Run = {
    plan,
    variables,
    headers: forwardedHeaders(requestContext.context as Partial<GatewayContext>),
    errors: [],
    policy: policy && 'restrict' in policy ? policy : undefined,
    clients: deps.clients(),
    supergraphSchema: plans.supergraphSchema,
  };
  // Plain objects throughout (fast-mode in V8, like JSON.parse's); ResultShape refuses a response name `__proto__`.
  const unfiltered = {} as Data;
  if (plan.queryPlan.node) await executeNode(run, plan.queryPlan.node as PlanNode, { path: [], data: unfiltered, fullResult: unfiltered });
  let shaped;
  try {
    shaped = plan.shape.compute(unfiltered, variables);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
  }
  if (run.errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
  return run.errors.length === 0 ? { data: shaped.data } : { errors: run.errors, data: shaped.data };
}

async function executeNode(run: Run, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(run, child, cursor)));
      return;
    case 'Flatten':
      return executeNode(run, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.plan.operation.variableDefinitions, run.variables) ? node.ifClause : node.elseClause;
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    default:
      throw new Error(`${node.kind} nodes are executed by the stock executor`);
  }
}

async function executeFetch(run: Run, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const client = run.clients.get(fetch.serviceName);
  if (!client) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = (Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data]) as Data[];
  if (entities.length < 1) return;
  const variables = Object.create(null) as Data;
  const provided = run.variables;
  if (fetch.variableUsages && provided) {
    for (const name of fetch.variableUsages) if (Object.hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
  }
  if (!fetch.requires) {
    const data = await send(run, client, fetch, variables, cursor);
    for (const entity of entities) deepMerge(entity, data);
    return;
  }
  const representations: Data[] = [];
  const representationToEntity: number[] = [];
  for (let index = 0; index < entities.length; index++) {
    const representation = selectRepresentation(run.supergraphSchema, entities[index]!, fetch.requires);
    if (representation && representation.__typename) {
      representations.push(representation);
      representationToEntity.push(index);
    }
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  const data = await send(run, client, fetch, { ...variables, representations }, cursor);
  if (!data) return;
  const received = data._entities;
  if (!Array.isArray(received)) throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  for (let i = 0; i < representations.length; i++) {
    const receivedEntity = received[i] as Data | null;
    const existing = entities[representationToEntity[i]!]!;
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing.__typename;
    deepMerge(existing, receivedEntity);
  }
}

/** Per fetch node, its request body around the variables, serialized once (the same bytes as JSON.stringify of `{ query, variables, operationName }`). */
const bodyParts = new WeakMap<FetchNode, [string, string]>();

function requestBody(fetch: FetchNode, variables: Data): string {
  let parts = bodyParts.get(fetch);
  if (!parts) {
    parts = [`{"query":${JSON.stringify(fetch.operation)},"variables":`, fetch.operationName === undefined ? '}' : `,"operationName":${JSON.stringify(fetch.operationName)}}`];
    bodyParts.set(fetch, parts);
  }
  return parts[0] + JSON.stringify(variables) + parts[1];
}

async function send(run: Run, client: SubgraphClient, fetch: FetchNode, variables: Data, cursor: Cursor): Promise<Data | null | undefined> {
  // Only a query's fetches may be sent twice (after a connection failure); a mutation's never.
  const answer = await client.post(requestBody(fetch, variables), run.headers, run.plan.operationContext.operation.operation === 'query');
  if (run.policy) run.policy.restrict(cacheHint(answer.cacheControl));
  const errors = answer.body.errors as GraphQLFormattedError[] | undefined;
  if (errors) {
    const pathOf = errorPathGenerator(fetch, cursor);
    for (const error of errors) run.errors.push(downstreamServiceError(error, fetch.serviceName, pathOf));
  }
  return answer.body.data as Data | null | undefined;
}

/** A subgraph's `cache-control` header as a cache hint; no header means "do not cache", as in RemoteGraphQLDataSource. */
export function cacheHint(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: 0 };
  if (!header) return hint;
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=');
    if (name === 'max-age' && value && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    else if (name === 'private' && value === undefined) hint.scope = 'PRIVATE';
    else if (name === 'public' && value === undefined) hint.scope = 'PUBLIC';
  }
  return hint;
}

function errorPathGenerator(fetch: FetchNode, cursor: Cursor): (path: readonly (string | number)[] | undefined) => Path | undefined {
  let hydrated: Path[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        hydratePaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

function hydratePaths(parent: Path, path: Path, data: unknown, result: Path[]): void {
  const head = path[0];
  if (data === null || data === undefined) return;
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    (data as unknown[]).forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (Array.isArray(data)) {
    data.forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path, value, result);
      parent.pop();
    });
  } else if (Object.hasOwn(data as object, head)) {
    parent.push(head);
    hydratePaths(parent, path.slice(1), (data as Data)[head as string], result);
    parent.pop();
  }
}

function downstreamServiceError(original: GraphQLFormattedError, serviceName: string, pathOf: (path: readonly (string | number)[] | undefined) => Path | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: original as unknown as Error, path: pathOf(original.path), extensions: { ...original.extensions, serviceName } };
  const codeDef = errorCodeDef(original);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

function moveIntoCursor(cursor: Cursor, path: Path): Cursor | undefined {
  const data = flattenAtPath(cursor.data, path, 0);
  return data ? { path: cursor.path.concat(path), data, fullResult: cursor.fullResult } : undefined;
}

/**
 * @apollo/gateway's flattenResultsAtPath: the value at `path`, where each `@`
 * is `flatMap` over a list. Past the first `@` the elements are pushed into
 * one array (collectAtPath) instead of a `flatMap` array per list level.
 */
function flattenAtPath(value: unknown, path: Path, from: number): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') {
    const out: unknown[] = [];
    for (const element of value as unknown[]) collectAtPath(element, path, from + 1, out);
    return out;
  }
  return flattenAtPath(child(value, current), path, from + 1);
}

/** Pushes what `flatMap` would for `flattenAtPath(value, path, from)`: the elements of an array, or the value itself. */
function collectAtPath(value: unknown, path: Path, from: number, out: unknown[]): void {
  if (from === path.length || value === undefined || value === null) {
    if (Array.isArray(value)) for (const element of value) out.push(element);
    else out.push(value);
    return;
  }
  const current = path[from];
  if (current === '@') {
    for (const element of value as unknown[]) collectAtPath(element, path, from + 1, out);
    return;
  }
  collectAtPath(child(value, current), path, from + 1, out);
}

function child(value: unknown, key: string | number | undefined): unknown {
  if (typeof key !== 'string') throw new Error(`Unexpected ${typeof key} found in path`);
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${key}`);
  return Object.hasOwn(value as object, key) ? (value as Data)[key] : undefined;
}

const subtypeMemo = new WeakMap<GraphQLSchema, Map<string, boolean>>();

/** @apollo/gateway's isObjectOfType: does the entity's __typename satisfy the type condition? */
function isObjectOfType(schema: GraphQLSchema, object: Data, typeCondition: string): boolean {
  const typename = object.__typename as string | undefined;
  if (!typename) return false;
  if (typename === typeCondition) return true;
  let memo = subtypeMemo.get(schema);
  if (!memo) subtypeMemo.set(schema, (memo = new Map()));
  const key = `${typeCondition}\u0000${typename}`;
  let result = memo.get(key);
  if (result === undefined) {
    const type = schema.getType(typename);
    const condition = schema.getType(typeCondition);
    result = !!type && !!condition && isAbstractType(condition) && (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
    memo.set(key, result);
  }
  return result;
}

/** The representation of an entity a `requires` selection asks for (keys, @requires fields), or null when it lacks one. */
function selectRepresentation(schema: GraphQLSchema, source: Data | null, selections: readonly QueryPlanSelectionNode[]): Data | null {
  if (source === null) return null;
  // A plain object (fast-mode): it is serialized into the fetch's variables at once. Its keys are the plan's field names.
  const result = {} as Data;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      if (!Object.hasOwn(source, responseName) || source[responseName] === undefined) return null;
      const value = source[responseName];
      const sub = selection.selections;
      if (Array.isArray(value)) result[responseName] = value.map((v) => (sub ? selectRepresentation(schema, v as Data, sub) : v));
      else if (sub) result[responseName] = selectRepresentation(schema, value as Data, sub);
      else result[responseName] = value;
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, selectRepresentation(schema, source, selection.selections));
    }
  }
  return result;
}

const isObject = (value: unknown): value is Data => value !== null && typeof value === 'object' && !Array.isArray(value);

/** @apollo/gateway's deepMerge: merges a subgraph's answer into the data gathered so far. */
function deepMerge(target: Data, source: Data | null | undefined): Data {
  if (source === undefined || source === null) return target;
  // for-in, not Object.keys: no key array per object. `source` is JSON.parse's (own keys only, no prototype chain to walk into).
  for (const key in source) {
    const value = source[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(target, key) && key in target) Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const existing = target[key];
    if (existing && isObject(value)) {
      deepMerge(existing as Data, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}
