import type { HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';

/**
 * Turns the policy Apollo computed from the subgraphs' hints (their
 * `cache-control` headers and `@cacheControl`) into headers a CDN can act on:
 *
 * - GET and public: `public, max-age=N, stale-while-revalidate=S` so the CDN
 *   may keep serving the last copy for a little while it refreshes it;
 * - anything sent with a user's token is `private`, whatever the hints say,
 *   so it is never stored in a shared cache;
 * - errors, mutations, POSTs and uncacheable responses stay `no-store`;
 * - `Vary` names every request header that changes the response.
 */
export const VARY = 'accept, authorization, x-api-key';

export function staleWhileRevalidate(maxAge: number): number {
  return Math.min(Math.max(5, maxAge), 300);
}

export function finalizeCacheHeaders(response: HTTPGraphQLResponse, request: HTTPGraphQLRequest): void {
  response.headers.set('vary', VARY);
  const policy = /^max-age=(\d+), (public|private)$/.exec(response.headers.get('cache-control') ?? '');
  if (request.method !== 'GET' || !policy || (response.status ?? 200) !== 200) {
    response.headers.set('cache-control', 'no-store');
    return;
  }
  const maxAge = Number(policy[1]);
  const scope = request.headers.get('authorization') ? 'private' : policy[2];
  response.headers.set(
    'cache-control',
    scope === 'public' ? `public, max-age=${maxAge}, stale-while-revalidate=${staleWhileRevalidate(maxAge)}` : `private, max-age=${maxAge}`,
  );
}
