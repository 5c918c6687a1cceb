import { Kind, parse, print, visit, type ConstDirectiveNode, type DocumentNode, type SchemaExtensionNode } from 'graphql';

/**
 * Why this exists: `src/schema.graphql` is Federation 2 SDL, because
 * composition (@apollo/composition, `npm run compose`) reads that file. The
 * runtime, @mercuriusjs/federation 5, only knows the Federation 1 directives
 * (`@key(fields)`, `@external`, `@requires`, `@provides`, `@extends`, see its
 * lib/federation.js) and rejects anything else it cannot find a definition for.
 *
 * So at load time the Federation 2 document is lowered to what mercurius
 * understands:
 * - the `@link` schema extension goes (it only tells composition which spec
 *   version and names the file uses);
 * - Federation 2 directives that only steer composition or the gateway
 *   (`@shareable`, `@inaccessible`, `@override`, `@tag`, ...) go;
 * - `@key` keeps only `fields` (`resolvable: false` is a composition hint; an
 *   entity mercurius can resolve anyway is harmless);
 * - `@federation__key`-style namespaced names become the plain Federation 1 names.
 *
 * The gateway never sees the output: it plans with the supergraph composed
 * from the original file, and `_service.sdl` still serves the original.
 * Anything this function cannot lower faithfully (renamed imports, other
 * linked specs) throws, so a schema change that needs more fails at start.
 */
export function toMercuriusSdl(federation2Sdl: string): string {
  const document = parse(federation2Sdl);
  checkLinks(document);
  const lowered = visit(document, {
    SchemaDefinition(node) {
      return { ...node, directives: (node.directives ?? []).filter((d) => d.name.value !== 'link') };
    },
    SchemaExtension(node) {
      const directives = (node.directives ?? []).filter((d) => d.name.value !== 'link');
      if (directives.length === 0 && (node.operationTypes ?? []).length === 0) return null;
      return { ...node, directives };
    },
    Directive(node) {
      const name = federationName(node.name.value);
      if (name === undefined) return undefined;
      if (!FEDERATION_1_DIRECTIVES.has(name)) return null;
      const args = name === 'key' ? (node.arguments ?? []).filter((a) => a.name.value === 'fields') : node.arguments;
      return { ...node, name: { ...node.name, value: name }, arguments: args };
    },
  });
  return print(lowered);
}

/** The directives mercurius defines (and the gateway protocol needs from a subgraph). */
const FEDERATION_1_DIRECTIVES = new Set(['key', 'external', 'requires', 'provides', 'extends']);

/** Every directive a Federation 2 `@link` may import (federation v2.0 to v2.14). */
const FEDERATION_2_DIRECTIVES = new Set([
  'key', 'external', 'requires', 'provides', 'extends', 'shareable', 'inaccessible', 'override', 'tag',
  'composeDirective', 'interfaceObject', 'authenticated', 'requiresScopes', 'policy', 'context', 'fromContext',
  'cost', 'listSize', 'cacheTag',
]);

const NAMESPACE = 'federation__';

/** The federation name of a directive as written (`key`, `federation__key`), or undefined for any other directive. */
function federationName(written: string): string | undefined {
  const name = written.startsWith(NAMESPACE) ? written.slice(NAMESPACE.length) : written;
  return FEDERATION_2_DIRECTIVES.has(name) ? name : undefined;
}

function checkLinks(document: DocumentNode): void {
  const links = document.definitions
    .filter((d): d is SchemaExtensionNode => d.kind === Kind.SCHEMA_EXTENSION || d.kind === Kind.SCHEMA_DEFINITION)
    .flatMap((d) => (d.directives ?? []).filter((directive) => directive.name.value === 'link'));
  for (const link of links) {
    const url = stringArgument(link, 'url');
    if (!url?.startsWith('https://specs.apollo.dev/federation/v2.')) {
      throw new Error(`toMercuriusSdl: only the federation spec can be linked, got ${url ?? 'a @link without url'}`);
    }
    const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
    if (imports?.kind !== Kind.LIST) continue;
    for (const item of imports.values) {
      if (item.kind !== Kind.STRING) {
        throw new Error('toMercuriusSdl: renamed imports ({ name, as }) are not supported; import federation directives by their own names');
      }
    }
  }
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
