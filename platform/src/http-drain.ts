import type { Server, ServerResponse } from 'node:http';

/** Closes a node:http server the way a rolling restart needs it (see `drainOnClose`). */
export interface HttpDrain {
  /** Stops accepting, finishes every request already received, closes every connection; resolves when none is left. */
  close(): Promise<void>;
}

/**
 * Graceful close for a node:http server that sits behind keep-alive clients
 * (nginx's upstream pool, the gateway's undici pools, orders' fetch).
 *
 * `server.close()` alone is not enough there: Node stops accepting new
 * connections but goes on serving requests that arrive on connections already
 * open, answers them `Connection: keep-alive`, and calls back only once every
 * connection is gone. A balancer's pool keeps its connections busy, so the
 * close never completes and the process is killed at the end of its grace
 * period with requests (checkouts among them) half done. Measured with Node 24:
 * an in-flight response during close() still says keep-alive and the next
 * request on that connection is served.
 *
 * Here, once `close()` is called:
 * - the listening socket closes (a new connection is refused; nginx moves to
 *   the other replica);
 * - idle keep-alive connections are closed at once;
 * - every request already received finishes normally, with `Connection:
 *   close` when its headers are not sent yet; a request that arrives on a
 *   connection in that window is served the same way (the client sent it
 *   before it could know);
 * - each connection is closed as soon as its last response is out.
 * A client whose request meets a connection just closed gets a reset before
 * any byte of an answer, which nginx (`proxy_next_upstream error`) and
 * undici's idempotent retries send to another replica.
 */
export function drainOnClose(server: Server): HttpDrain {
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  const closeIdleSoon = () => setImmediate(() => server.closeIdleConnections());
  // Before the service's own handler, so that its first write already carries the header.
  server.prependListener('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) closeIdleSoon();
    });
  });
  return {
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
