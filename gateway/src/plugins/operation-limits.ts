import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/**
 * Operation limits, checked at the gateway before any planning or subgraph
 * call, so one request cannot make the platform do unbounded work:
 *
 * - depth: nesting of fields (introspection's own `__schema`/`__type` trees
 *   are not counted, so tools keep working);
 * - aliases: how many fields in the document are aliased (alias flooding);
 * - cost: every field costs 1, and a field taking `first` (or `last`)
 *   multiplies what it selects by that page size (its declared default, or
 *   DEFAULT_PAGE when none), the way a connection multiplies work.
 *
 * The parser's `maxTokens` (set on the server) bounds the document itself.
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 5_000 };
const DEFAULT_PAGE = 20;

function limitError(message: string, node?: FieldNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code: 'OPERATION_LIMIT_EXCEEDED', http: { status: 400 } } });
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

interface Measure {
  depth: number;
  cost: number;
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const below = selection.selectionSet ? measure(selection.selectionSet, fragments, variables, visiting) : { depth: 0, cost: 0 };
      const multiplier = pageSize(selection, variables) ?? 1;
      inner = { depth: below.depth + 1, cost: 1 + multiplier * below.cost };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, variables, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // Cycles are reported by graphql's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      inner = measure(fragment.selectionSet, fragments, variables, visiting);
      visiting.delete(name);
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

/** The limit violations of a document, with `variables` sharpening the cost of `first: $n`. */
export function checkOperationLimits(document: DocumentNode, variables: Record<string, unknown>, limits: OperationLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let aliases = 0;
  const countAliases = (node: SelectionSetNode) => {
    for (const selection of node.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) aliases += 1;
      if ('selectionSet' in selection && selection.selectionSet) countAliases(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) countAliases(definition.selectionSet);
  }
  if (aliases > limits.maxAliases) errors.push(limitError(`The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed.`));
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const { depth, cost } = measure(definition.selectionSet, fragments, variables, new Set());
    if (depth > limits.maxDepth) errors.push(limitError(`The operation is ${depth} levels deep; at most ${limits.maxDepth} are allowed.`));
    if (cost > limits.maxCost) errors.push(limitError(`The operation's estimated cost is ${cost}; at most ${limits.maxCost} is allowed. Ask for smaller pages.`));
  }
  return errors;
}

/** Apollo Server plugin: refuses an operation over the limits before it is planned or sent anywhere. */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const errors = checkOperationLimits(document, request.variables ?? {}, limits);
          if (errors.length) throw errors[0];
        },
      };
    },
  };
}
