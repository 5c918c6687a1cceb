import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/**
 * Operation limits, checked before any planning, subgraph call or resolver,
 * so one request cannot make a service do unbounded work. The same rules run
 * at the gateway (HTTP and WebSocket) and in every subgraph, so whoever
 * reaches a subgraph directly meets them too.
 *
 * - depth, aliases and directives: graphql-armor's validation rules (fragment
 *   spreads followed, cycles guarded); introspection is limited by a depth of
 *   its own (`maxIntrospectionDepth`), deep enough for GraphiQL's query and no
 *   deeper, since armor's depth rule skips `__schema` entirely;
 * - cost: ours, because it depends on the variables, which validation rules
 *   never see: every field costs 1, and a field that returns many multiplies
 *   what it selects: a connection by its page size (`first`/`last` as given,
 *   else the schema's default), any other list by the length of the list it
 *   was given (`skus`, `representations`) or else an assumed size (see
 *   multiplierOf). graphql-armor's cost rule has no notion of page sizes or
 *   of lists sized by their arguments;
 * - tokens: the parser's `maxTokens` (graphql-js), set where documents are parsed.
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxIntrospectionDepth: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxIntrospectionDepth: 16,
  maxCost: 20_000,
  maxTokens: 5_000,
};
/**
 * A subgraph's own limits, for callers that reach it past the gateway. They
 * are looser than the gateway's because the gateway's query plans wrap a
 * client's selections (`_entities`, inline fragments, key fields), but they
 * still bound what one request can cost.
 */
export const SUBGRAPH_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 24,
  maxAliases: 100,
  maxDirectives: 100,
  maxIntrospectionDepth: 16,
  maxCost: 100_000,
  maxTokens: 20_000,
};
const DEFAULT_PAGE = 20;
export const OPERATION_LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED';

export function limitError(message: string, node?: FieldNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code: OPERATION_LIMIT_EXCEEDED, http: { status: 400 } } });
}

/** Armor reports "Syntax Error: ..."; we report the same finding with our code and a 400. */
function reportAs(message: (found: string) => string) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      const found = /found (\d+)/.exec(error.message)?.[1] ?? '?';
      context?.reportError(limitError(message(found)));
    },
  ];
}

/** The shape limits as graphql-js validation rules (no variables needed). */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: reportAs((found) => `The operation is ${found} levels deep; at most ${limits.maxDepth} are allowed.`),
    }) as unknown as ValidationRule,
    maxDepthRule({
      n: limits.maxIntrospectionDepth,
      ignoreIntrospection: false,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: reportAs((found) => `The operation is ${found} levels deep with introspection; at most ${limits.maxIntrospectionDepth} are allowed.`),
    }) as unknown as ValidationRule,
    maxAliasesRule({
      n: limits.maxAliases,
      // Armor lets aliased __typename through by default; each one still travels in subgraph fetches.
      allowList: [],
      propagateOnRejection: false,
      onReject: reportAs((found) => `The operation uses ${found} aliases; at most ${limits.maxAliases} are allowed.`),
    }) as unknown as ValidationRule,
    maxDirectivesRule({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: reportAs((found) => `The operation uses ${found} directives; at most ${limits.maxDirectives} are allowed.`),
    }) as unknown as ValidationRule,
  ];
}

/** A connection field's page size when the operation does not give one and the schema declares no default: the largest page. */
const MAX_PAGE = 100;
/**
 * What a plain list field (no paging arguments, no list argument to count) is
 * assumed to hold: a product's variants or images, a cart's lines (at most
 * 50), an order's items. Most hold a handful; 10 keeps the contract's
 * operations at their largest pages inside the limit (MyOrders with 100
 * orders and their items: about 11,700) while two such lists nested under a
 * large page, or lists nested in lists, are not.
 */
const ASSUMED_LIST_SIZE = 10;

/** The value of `first`/`last` given in the operation (a literal, or a variable's value). */
function givenPageSize(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const argument = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  if (!argument) return undefined;
  const value: ValueNode = argument.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : DEFAULT_PAGE;
  }
  return DEFAULT_PAGE;
}

/** The number of items of the first list-valued argument given to `field` (`skus: [...]`, `representations: $r`). */
function listArgumentLength(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  for (const argument of field.arguments ?? []) {
    const value = argument.value;
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind === Kind.VARIABLE && Array.isArray(variables[value.name.value])) return (variables[value.name.value] as unknown[]).length;
  }
  return undefined;
}

/**
 * How many times a field's selection runs for one parent: a connection
 * multiplies by its page size (given, else the schema's default for `first`,
 * else the largest page), the list directly under a connection (`edges`,
 * `nodes`) by 1 since the page already counted it, and any other list field
 * by the length of the list it was given, else ASSUMED_LIST_SIZE.
 */
function multiplierOf(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, underPage: boolean, variables: Record<string, unknown>) {
  const given = givenPageSize(field, variables);
  if (given !== undefined) return { times: given, paged: true };
  const pageArgument = definition?.args.find((a) => a.name === 'first' || a.name === 'last');
  if (pageArgument) return { times: typeof pageArgument.defaultValue === 'number' ? pageArgument.defaultValue : MAX_PAGE, paged: true };
  if (!definition || !isListType(getNullableType(definition.type))) return { times: 1, paged: false };
  if (underPage) return { times: 1, paged: false };
  return { times: listArgumentLength(field, variables) ?? ASSUMED_LIST_SIZE, paged: false };
}

interface CostWalk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  visiting: Set<string>;
}

function fieldsOf(type: GraphQLNamedType | undefined) {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : undefined;
}

/** Unknown fields and types cost 1 and count as single values: validation reports them, and on the WebSocket the limits run first. */
function measureCost(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, underPage: boolean, walk: CostWalk): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const definition = fieldsOf(parent)?.[selection.name.value];
      const { times, paged } = multiplierOf(selection, definition, underPage, walk.variables);
      const below = selection.selectionSet ? measureCost(selection.selectionSet, definition && getNamedType(definition.type), paged, walk) : 0;
      cost += 1 + times * below;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      cost += measureCost(selection.selectionSet, type ?? undefined, underPage, walk);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      // Cycles are reported by graphql's own NoFragmentCycles rule.
      if (!fragment || walk.visiting.has(name)) continue;
      walk.visiting.add(name);
      cost += measureCost(fragment.selectionSet, walk.schema.getType(fragment.typeCondition.name.value) ?? undefined, underPage, walk);
      walk.visiting.delete(name);
    }
  }
  return cost;
}

/** The cost violations of a document against `schema`, with `variables` sharpening page sizes and list lengths. */
export function checkOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  limits: Pick<OperationLimits, 'maxCost'>,
): GraphQLError[] {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(definition.operation) ?? undefined;
    const cost = measureCost(definition.selectionSet, root, false, { schema, fragments, variables, visiting: new Set() });
    if (cost > limits.maxCost) errors.push(limitError(`The operation's estimated cost is ${cost}; at most ${limits.maxCost} is allowed. Ask for smaller pages.`));
  }
  return errors;
}

/**
 * The limit a document violates, if any: the shape rules (remembered per
 * document object, since servers reuse the parsed document of a repeated
 * query) and the cost with these variables.
 */
export function createOperationLimitChecker(limits: OperationLimits) {
  const rules = operationLimitRules(limits);
  const shapeErrors = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GraphQLError[] => {
    let shape = shapeErrors.get(document);
    if (!shape) {
      shape = validate(schema, document, rules);
      shapeErrors.set(document, shape);
    }
    // The first limit a document passes is the one reported.
    return shape.length ? [shape[0]!] : checkOperationCost(schema, document, variables, limits);
  };
}

/** Per parsed document (servers reuse the document of a repeated query): does one of its string literals hold a NUL byte? */
const nulInLiterals = new WeakMap<DocumentNode, boolean>();

function literalsHoldNul(document: DocumentNode): boolean {
  let found = nulInLiterals.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) found = true;
      },
    });
    nulInLiterals.set(document, found);
  }
  return found;
}

/** The first string in `variables` or in the document's literals that holds a NUL byte, which PostgreSQL text cannot store. */
export function nulByteError(document: DocumentNode, variables: Record<string, unknown>): GraphQLError | undefined {
  const hasNul = (value: unknown): boolean => {
    if (typeof value === 'string') return value.includes('\u0000');
    if (Array.isArray(value)) return value.some(hasNul);
    if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => hasNul(key) || hasNul(inner));
    return false;
  };
  const found = hasNul(variables) || literalsHoldNul(document);
  return found ? new GraphQLError('Strings may not contain NUL (\\u0000) characters.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } }) : undefined;
}

/**
 * Apollo Server plugin, before any planning, subgraph call or resolver:
 * refuses an operation over the limits, a request whose operationName names
 * no operation of the document (or none given for several), and strings with
 * NUL bytes (BAD_USER_INPUT instead of a database error).
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<BaseContext> {
  const check = createOperationLimitChecker(limits);
  return {
    async requestDidStart({ schema }) {
      return {
        async didResolveOperation({ document, request, operation }) {
          if (!operation) {
            const message = request.operationName
              ? `The document has no operation named "${request.operationName}".`
              : 'The document holds several operations: say which to run with operationName.';
            throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
          }
          const [error] = check(schema, document, request.variables ?? {});
          if (error) throw error;
          const nul = nulByteError(document, request.variables ?? {});
          if (nul) throw nul;
        },
      };
    },
  };
}
