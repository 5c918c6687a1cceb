import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { IdentitySigner, Viewer } from '@shop/platform';
import type { AccessTokenVerifier } from './auth.ts';

/** Per request at the gateway: who is calling, and what to forward to subgraphs. */
export interface GatewayContext {
  viewer: Viewer | null;
  /** Internal identity token for subgraphs, signed once per request. */
  viewerToken: string | undefined;
  clientIp: string | undefined;
  traceparent: string | undefined;
  requestId: string;
}

export interface ContextDeps {
  verifier: AccessTokenVerifier;
  signer: IdentitySigner | undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function createContext(req: IncomingMessage, deps: ContextDeps): Promise<GatewayContext> {
  const viewer = await deps.verifier.viewerFor(first(req.headers.authorization));
  return {
    viewer,
    viewerToken: viewer && deps.signer ? await deps.signer.sign(viewer) : undefined,
    clientIp: req.socket.remoteAddress,
    traceparent: first(req.headers.traceparent),
    requestId: first(req.headers['x-request-id']) ?? randomUUID(),
  };
}
