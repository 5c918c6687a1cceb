import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
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
 *   never see: every field costs 1, and a field taking `first` (or `last`)
 *   multiplies what it selects by that page size (its value, or DEFAULT_PAGE
 *   when it is not a literal or a given variable), the way a connection
 *   multiplies work. graphql-armor's cost rule has no notion of page sizes;
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

function pageSize(field: FieldNode, variables: Record<string, unknown>): number | undefined {
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

function measureCost(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, visiting: Set<string>): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const below = selection.selectionSet ? measureCost(selection.selectionSet, fragments, variables, visiting) : 0;
      cost += 1 + (pageSize(selection, variables) ?? 1) * below;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += measureCost(selection.selectionSet, fragments, variables, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // Cycles are reported by graphql's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      cost += measureCost(fragment.selectionSet, fragments, variables, visiting);
      visiting.delete(name);
    }
  }
  return cost;
}

/** The cost violations of a document, with `variables` sharpening the cost of `first: $n`. */
export function checkOperationCost(document: DocumentNode, variables: Record<string, unknown>, limits: Pick<OperationLimits, 'maxCost'>): GraphQLError[] {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const cost = measureCost(definition.selectionSet, fragments, variables, new Set());
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
    return shape.length ? [shape[0]!] : checkOperationCost(document, variables, limits);
  };
}

/** The first string in `variables` or in the document's literals that holds a NUL byte, which PostgreSQL text cannot store. */
export function nulByteError(document: DocumentNode, variables: Record<string, unknown>): GraphQLError | undefined {
  const hasNul = (value: unknown): boolean => {
    if (typeof value === 'string') return value.includes('\u0000');
    if (Array.isArray(value)) return value.some(hasNul);
    if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => hasNul(key) || hasNul(inner));
    return false;
  };
  let found = hasNul(variables);
  if (!found) {
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) found = true;
      },
    });
  }
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
