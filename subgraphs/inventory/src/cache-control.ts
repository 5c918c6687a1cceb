import { Kind, type DocumentNode } from 'graphql';

/**
 * Stock reads may be cached by the gateway and the CDN for about a second
 * (stale for a few more while one request refreshes). This is the figure the
 * live-sale page is built around: a crowd polling one sku costs one origin
 * request per second.
 */
export const CACHEABLE = 'public, max-age=1, stale-while-revalidate=5';
/** Mutations, errors and anything not known to be a plain read. */
export const UNCACHEABLE = 'no-store';

/**
 * The `cache-control` of a GraphQL response. Everything in this subgraph's
 * query schema is public stock data, so a successful read is cacheable; a
 * document that contains any mutation or subscription is not, whichever
 * operation of it runs, and neither is a response with errors.
 */
export function cacheControlFor(document: DocumentNode, hasErrors: boolean): string {
  if (hasErrors) return UNCACHEABLE;
  const readOnly = document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query');
  return readOnly ? CACHEABLE : UNCACHEABLE;
}
