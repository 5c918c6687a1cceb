import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { drainOnClose } from './http-drain.ts';
import { httpServerDuration } from './instruments.ts';
import { nameServerSpan } from './telemetry/span-names.ts';
import type { Logger } from './logger.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * A named readiness check: resolves when the dependency is usable, throws
 * otherwise. A non-critical check (a cache the service can do without) is
 * reported but leaves the service ready, marked `degraded`, so that an outage
 * of that dependency does not take every replica out of the load balancer.
 */
export type ReadinessCheck = readonly [name: string, check: () => Promise<void>, options?: { critical: boolean }];

export const MAX_BODY_BYTES = 1_000_000;

export class PayloadTooLargeError extends Error {}

/**
 * A request refused before GraphQL execution (by a `prepare` hook): answered
 * with `status` and a GraphQL-shaped error carrying `code`, never cached.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  /** More `extensions` of the GraphQL error beside `code` (e.g. `retryable`). */
  readonly extensions: Record<string, unknown>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}, extensions: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.extensions = extensions;
  }
}

export function sendHttpError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code, ...error.extensions } }] }, { 'cache-control': 'no-store', ...error.headers });
}

/**
 * Reads a request body up to `limit` bytes; rejects with PayloadTooLargeError
 * beyond it. The socket is not destroyed when the limit is passed: a client
 * still uploading would see a connection reset instead of the 413. The rest
 * is read and dropped, up to `DRAIN_FACTOR` times the limit; only a client
 * that keeps sending past that has its connection cut.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) {
        req.off('data', onData);
        reject(new PayloadTooLargeError(`request body exceeds ${limit} bytes`));
        req.destroy();
      }
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (size > limit) reject(new PayloadTooLargeError(`request body exceeds ${limit} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
const DRAIN_FACTOR = 20;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Liveness: the process is up and its event loop answers. */
export const healthHandler: RequestHandler = (_req, res) => sendJson(res, 200, { status: 'ok' });

/** What a readiness probe found: `ready` decides 200 or 503, `status` and `checks` are its body. */
export interface Readiness {
  ready: boolean;
  status: 'ready' | 'degraded' | 'unavailable' | 'draining';
  checks: Record<string, string>;
}

/** Runs every check at once: ready unless draining or a critical check fails (a failing non-critical one reads `degraded`). */
export async function evaluateReadiness(checks: readonly ReadinessCheck[], isDraining: () => boolean = () => false): Promise<Readiness> {
  const results: Record<string, string> = {};
  await Promise.all(
    checks.map(async ([name, check]) => {
      try {
        await check();
        results[name] = 'ok';
      } catch (error) {
        results[name] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  const failing = checks.filter(([name]) => results[name] !== 'ok');
  const ready = !isDraining() && failing.every(([, , options]) => options?.critical === false);
  const status = isDraining() ? 'draining' : !ready ? 'unavailable' : failing.length ? 'degraded' : 'ready';
  return { ready, status, checks: results };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * A response body already encoded as UTF-8 bytes, attached to an
 * HTTPGraphQLResponse (`response[BODY_BYTES]`) by whoever serves the same
 * answer many times: it is written as is, instead of encoding the string for
 * every caller.
 */
export const BODY_BYTES = Symbol('body bytes');

/** The ETag of a response body: the first 32 characters of its SHA-256, base64url, quoted. */
export function bodyEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * Serves an Apollo Server on a plain node:http route, beside the service's
 * other routes, without a web framework.
 */
export function apolloHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[{ req: IncomingMessage }], TContext>,
  options: {
    bodyLimit?: number;
    /** Runs before execution: may rewrite the request (e.g. fill in a persisted document) or refuse it with an HttpError. */
    prepare?: (request: HTTPGraphQLRequest, req: IncomingMessage) => Promise<HTTPGraphQLRequest> | HTTPGraphQLRequest;
    /**
     * Wraps execution (`run`), e.g. to answer identical requests from one
     * execution or from a cache. Must return a response of the caller's own
     * (its headers are finalized per request).
     */
    share?: (request: HTTPGraphQLRequest, run: () => Promise<HTTPGraphQLResponse>) => Promise<HTTPGraphQLResponse>;
    /** Runs on the response before it is written (e.g. to set caching headers). */
    finalize?: (response: HTTPGraphQLResponse, request: HTTPGraphQLRequest) => void;
  } = {},
): RequestHandler {
  return async (req, res) => {
    let body: unknown;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, options.bodyLimit);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) return sendHttpError(res, new HttpError(413, 'PAYLOAD_TOO_LARGE', error.message, { connection: 'close' }));
        throw error;
      }
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return sendHttpError(res, new HttpError(400, 'BAD_REQUEST', 'Request body is not valid JSON.'));
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers: toHeaderMap(req), search: url.search, body };
    if (options.prepare) {
      try {
        httpGraphQLRequest = await options.prepare(httpGraphQLRequest, req);
      } catch (error) {
        if (error instanceof HttpError) return sendHttpError(res, error);
        throw error;
      }
    }
    const request = httpGraphQLRequest;
    const run = () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context({ req }) });
    const response = options.share ? await options.share(request, run) : await run();
    options.finalize?.(response, httpGraphQLRequest);
    const status = response.status ?? 200;
    // A strong validator for GETs that someone may store (a no-store answer is never revalidated, so not hashed):
    // a client or CDN holding the same body revalidates with a 304. A shared answer may carry its ETag already.
    if (response.body.kind === 'complete' && req.method === 'GET' && status === 200 && response.headers.get('cache-control') !== 'no-store') {
      const etag = response.headers.get('etag') ?? bodyEtag(response.body.string);
      response.headers.set('etag', etag);
      if (ifNoneMatch(req.headers['if-none-match'], etag)) {
        for (const [key, value] of response.headers) if (key !== 'content-length' && key !== 'content-type') res.setHeader(key, value);
        res.statusCode = 304;
        res.end();
        return;
      }
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = status;
    if (response.body.kind === 'complete') {
      const bytes = (response as { [BODY_BYTES]?: Buffer })[BODY_BYTES];
      if (bytes) res.setHeader('content-length', bytes.length);
      res.end(bytes ?? response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

export interface HttpServiceOptions {
  logger: Logger;
  /**
   * Routes by exact path; more can be added with `route`. A path ending in
   * `/*` (e.g. `/assets/*`) serves everything under that prefix; an exact
   * path wins over it.
   */
  routes?: Record<string, RequestHandler>;
  /**
   * The service's readiness checks. They are served by the kit on the
   * metrics port (see ops-server.ts), never on this one.
   */
  readiness?: readonly ReadinessCheck[];
  /** Record `http_server_request_duration_seconds` for every request (default true; the ops port turns it off). */
  measure?: boolean;
}

export interface HttpService {
  server: Server;
  readiness: readonly ReadinessCheck[];
  /** Adds a route by exact path or `prefix/*` (used once the handler's server, e.g. Apollo, has started). */
  route(path: string, handler: RequestHandler): void;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting connections, finishes in-flight requests and closes keep-alive connections (see drainOnClose). */
  close(): Promise<void>;
}

export function createHttpService(options: HttpServiceOptions): HttpService {
  const routes: Record<string, RequestHandler> = { ...options.routes };
  const duration = options.measure === false ? undefined : httpServerDuration();
  // The longest `prefix/*` route a path falls under, for handlers that serve a whole tree (static assets).
  const prefixRoute = (path: string): string | undefined => {
    let best: string | undefined;
    for (const key of Object.keys(routes)) {
      if (key.endsWith('/*') && path.startsWith(key.slice(0, -1)) && (best === undefined || key.length > best.length)) best = key;
    }
    return best;
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = routes[path] ? path : prefixRoute(path);
    if (duration) {
      const end = duration.startTimer({ http_request_method: req.method ?? 'GET', http_route: key ?? 'unmatched' });
      res.once('close', () => end({ http_response_status_code: res.statusCode }));
    }
    const route = key === undefined ? undefined : routes[key];
    if (!route) return sendJson(res, 404, { error: `no route ${path}` });
    nameServerSpan(req.method ?? 'GET', key!);
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      options.logger.error({ err: error, path }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainOnClose(server);
  return {
    server,
    readiness: options.readiness ?? [],
    route: (path, handler) => {
      routes[path] = handler;
    },
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () => drain.close(),
  };
}
