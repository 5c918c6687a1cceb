import type { GraphQLResolveInfo } from 'graphql';

/**
 * Dynamic cache hints on top of the schema's `@cacheControl` directives.
 * Apollo Server's cache control plugin adds `info.cacheControl`; the overall
 * policy of a response is the most restrictive hint of any field in it.
 * Typed structurally, since the plugin's types are not a dependency here.
 */
interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}
interface CacheControlInfo {
  cacheHint: { restrict(hint: CacheHint): void };
}

function cacheControlOf(info: GraphQLResolveInfo): CacheControlInfo | undefined {
  return (info as GraphQLResolveInfo & { cacheControl?: CacheControlInfo }).cacheControl;
}

/** The value depends on who is asking: no shared cache (CDN, gateway) may store the response. */
export function markPrivate(info: GraphQLResolveInfo): void {
  cacheControlOf(info)?.cacheHint.restrict({ scope: 'PRIVATE' });
}

/** The value changes at `at` (a live sale starts or ends): keep it fresh until then at most. */
export function freshUntil(info: GraphQLResolveInfo, at: Date | null | undefined, now: Date): void {
  if (!at || at.getTime() <= now.getTime()) return;
  cacheControlOf(info)?.cacheHint.restrict({ maxAge: Math.max(0, Math.floor((at.getTime() - now.getTime()) / 1000)) });
}
