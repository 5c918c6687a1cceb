import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { IdentitySigner, Viewer } from '@shop/platform';
import { headerValue, type Client } from './client-identity.ts';

/** Per request at the gateway: who is calling, and what to forward to subgraphs. */
export interface GatewayContext {
  viewer: Viewer | null;
  /**
   * Internal identity token for subgraphs: the viewer (or none) and the
   * client's address, signed by the gateway. Every request carries one, so
   * subgraphs learn the address from the gateway alone.
   */
  viewerToken: string | undefined;
  clientIp: string | undefined;
  traceparent: string | undefined;
  requestId: string;
}

/** The context of an admitted client's request; `signer` is the gateway's cached signer (one signature per viewer and address per time slice). */
export async function createContext(req: IncomingMessage, client: Client, signer: IdentitySigner | undefined): Promise<GatewayContext> {
  return {
    viewer: client.viewer,
    viewerToken: signer ? await signer.sign(client.viewer, client.address) : undefined,
    clientIp: client.address,
    traceparent: headerValue(req.headers.traceparent),
    requestId: headerValue(req.headers['x-request-id']) ?? randomUUID(),
  };
}
