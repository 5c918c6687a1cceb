import type { IncomingHttpHeaders } from 'node:http';
import type { EntityManager } from './database.ts';
import type { CallerIdentity, IdentityVerifier, Viewer } from './identity.ts';

/**
 * What every subgraph's `createContext(deps, request)` is built from, the
 * same under Apollo (node:http) and mercurius (Fastify, HTTP and WebSocket):
 * the verified caller and viewer, the request headers and the peer's address.
 */
export interface RequestScope {
  /** The verified identity token: signing service, viewer and the client's address; null without a valid token. */
  readonly caller: CallerIdentity | null;
  /** Who is calling, from the signed `x-viewer-token` only; null when anonymous. */
  readonly viewer: Viewer | null;
  readonly headers: IncomingHttpHeaders;
  /** The address of the connection's peer (the gateway, in the stack). */
  readonly remoteAddress: string | undefined;
}

/** Verifies the request's identity token once (without a verifier, the caller is anonymous) and gathers the rest of the scope. */
export async function requestScope(
  identity: IdentityVerifier | undefined,
  request: { headers: IncomingHttpHeaders; socket?: { remoteAddress?: string | undefined } | null },
): Promise<RequestScope> {
  const caller = (await identity?.identify(request.headers)) ?? null;
  return { caller, viewer: caller?.viewer ?? null, headers: request.headers, remoteAddress: request.socket?.remoteAddress };
}

/** What every subgraph's per-request context starts with; each service's Context extends it. */
export interface RequestContext {
  /** The request's own forked EntityManager (identity map and unit of work per request). */
  em: EntityManager;
  /** Who is calling, from the gateway-signed `x-viewer-token` only; null when anonymous. */
  viewer: Viewer | null;
}
