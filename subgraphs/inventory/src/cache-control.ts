import { Kind, visit, type DocumentNode } from 'graphql';

/**
 * Stock reads may be cached by the gateway and the CDN for about a second
 * (stale for a few more while one request refreshes). This is the figure the
 * live-sale page is built around: a crowd polling one sku costs one origin
 * request per second.
 */
export const CACHEABLE = 'public, max-age=1, stale-while-revalidate=5';
/**
 * `Product.inStock` alone (the catalogue's "in stock" badge, fetched for a
 * whole product list) may be a minute old: it only flips when a variant
 * sells out or comes back, and checkout always decides on the live figure.
 * Without this a catalogue page, which is cacheable for minutes, would be
 * dragged down to one second by its badges.
 */
export const BADGE_CACHEABLE = 'public, max-age=60, stale-while-revalidate=60';
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
  if (!readOnly) return UNCACHEABLE;
  return onlyStockBadges(document) ? BADGE_CACHEABLE : CACHEABLE;
}

/** True when the only data fields the document selects are `inStock` (under `_entities`). */
export function onlyStockBadges(document: DocumentNode): boolean {
  const fields = new Set<string>();
  visit(document, {
    Field(node) {
      if (node.name.value !== '__typename' && node.name.value !== '_entities') fields.add(node.name.value);
    },
  });
  return fields.size === 1 && fields.has('inStock');
}
