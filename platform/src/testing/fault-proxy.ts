import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

/**
 * What the proxy does to the requests it receives:
 * - `none`: forwards them;
 * - `status`: answers `status` itself (a subgraph failing with 500s);
 * - `delay`: forwards them after `ms` (a slow subgraph);
 * - `reset`: destroys the connection of the next `count` requests before any answer (a replica going away).
 */
export type Fault = { kind: 'none' } | { kind: 'status'; status: number } | { kind: 'delay'; ms: number } | { kind: 'reset'; count: number };

/** An HTTP proxy in front of one real service, into which a test injects faults. HTTP only (no WebSocket upgrades). */
export interface FaultProxy {
  /** The proxy's origin, e.g. `http://127.0.0.1:40123`: requests to `<origin>/<path>` go to `<target>/<path>`. */
  readonly origin: string;
  fault: Fault;
  /** Requests received, forwarded or not. */
  readonly received: number;
  /** Requests forwarded to the target. */
  readonly forwarded: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/** Starts a fault-injecting proxy on a free loopback port in front of `target` (an origin, e.g. `http://127.0.0.1:4002`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let received = 0;
  let forwarded = 0;
  const state: { fault: Fault } = { fault: { kind: 'none' } };

  async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    forwarded++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const upstream = await request(`${target}${req.url ?? '/'}`, { method: req.method as 'POST', headers, body: body.length ? body : undefined });
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(upstream.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    const bytes = Buffer.from(await upstream.body.arrayBuffer());
    res.writeHead(upstream.statusCode, { ...out, 'content-length': bytes.length });
    res.end(bytes);
  }

  const server = createServer((req, res) => {
    received++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = state.fault;
      const body = Buffer.concat(chunks);
      const fail = (error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: ${(error as Error).message}`);
      };
      switch (fault.kind) {
        case 'status':
          res.writeHead(fault.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: `injected ${fault.status}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
          return;
        case 'reset':
          if (fault.count > 0) {
            state.fault = fault.count > 1 ? { kind: 'reset', count: fault.count - 1 } : { kind: 'none' };
            req.socket.destroy();
            return;
          }
          break;
        case 'delay':
          setTimeout(() => void forward(req, res, body).catch(fail), fault.ms).unref();
          return;
        case 'none':
          break;
      }
      forward(req, res, body).catch(fail);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get fault() {
      return state.fault;
    },
    set fault(next: Fault) {
      state.fault = next;
    },
    get received() {
      return received;
    },
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
