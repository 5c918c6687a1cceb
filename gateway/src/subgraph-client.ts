import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { CircuitOpenError, createCircuitBreaker, IDENTITY_HEADER, subgraphFetchDuration, tracingOn, type CircuitBreaker, type CircuitBreakerSettings, type Logger } from '@shop/platform';
import type { GatewayContext } from './context.ts';

/**
 * What the gateway forwards to a subgraph on behalf of a client request: the
 * identity as the gateway-signed internal token (never the client's own
 * headers), the client address, the trace context and the request id.
 */
export function forwardedHeaders(context: Partial<GatewayContext> | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!context) return headers;
  if (context.viewerToken) headers[IDENTITY_HEADER] = context.viewerToken;
  // With tracing on, the HTTP client instrumentation writes the traceparent of
  // the gateway's own span (a child of the client's); without it the client's is relayed.
  if (context.traceparent && !tracingOn()) headers.traceparent = context.traceparent;
  if (context.requestId) headers['x-request-id'] = context.requestId;
  return headers;
}

/** Error codes of a subgraph that cannot be reached or did not answer in time (Node and undici). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** True when `error` (or its cause) says the subgraph could not be reached or timed out. */
export function isUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return true;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  }
  return false;
}

/** True when `error` (or its cause) is a connection that failed before any answer: refused, reset or closed, not a timeout. */
function isConnectionFailure(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && CONNECTION_FAILURES.has(e.code)) return true;
  }
  return false;
}
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export function unavailable(name: string, reason?: 'CIRCUIT_OPEN'): GraphQLError {
  return new GraphQLError(`The ${name} service is unavailable right now; try again shortly.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: name, ...(reason ? { reason } : {}) },
  });
}

/**
 * What counts against a subgraph's circuit: it could not be reached, did not
 * answer in time, or answered with a 5xx. A GraphQL error in a 200 answer,
 * or a 4xx, is the subgraph working (and saying no).
 */
export function isSubgraphFailure(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return isUnreachable(error);
  if (error.extensions.code === 'SUBGRAPH_UNAVAILABLE') return true;
  const status = (error.extensions.response as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 500;
}

/** One circuit breaker per subgraph name, kept across supergraph reloads and shared by every path that calls it. */
export type SubgraphBreakers = (name: string) => CircuitBreaker;

export function createSubgraphBreakers(settings: Partial<CircuitBreakerSettings>, logger?: Logger): SubgraphBreakers {
  const breakers = new Map<string, CircuitBreaker>();
  return (name) => {
    let breaker = breakers.get(name);
    if (!breaker) breakers.set(name, (breaker = createCircuitBreaker({ target: name, isFailure: isSubgraphFailure, settings, logger })));
    return breaker;
  };
}

/** Runs a call to subgraph `name` through its breaker; an open circuit answers SUBGRAPH_UNAVAILABLE at once (reason CIRCUIT_OPEN). */
export async function throughBreaker<T>(breaker: CircuitBreaker, call: () => Promise<T>): Promise<T> {
  try {
    return await breaker.run(call);
  } catch (error) {
    if (error instanceof CircuitOpenError) throw unavailable(breaker.target, 'CIRCUIT_OPEN');
    throw error;
  }
}

interface RawResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SubgraphAnswer {
  body: Record<string, unknown>;
  /** The subgraph's `cache-control` header (its cache hint for this answer). */
  cacheControl: string | undefined;
}

/**
 * One subgraph over a keep-alive connection pool (undici): no per-request
 * connection, agent lookup or fetch-spec object churn. The timeout is
 * undici's: the response headers must arrive, and then the body must not
 * stall, within `timeoutMs` each.
 *
 * Every fetch goes through the subgraph's circuit breaker: while the
 * subgraph is failing, its fetches fail at once with SUBGRAPH_UNAVAILABLE
 * and the rest of the plan still runs (partial data where the schema allows
 * null). A fetch of a query whose connection failed before any answer
 * (refused, reset: a replica going away behind a Service address) is sent
 * once more; a mutation never is, and a timeout never is (a slow subgraph
 * is not helped by twice the load).
 */
export class SubgraphClient {
  readonly name: string;
  readonly url: string;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #breaker: CircuitBreaker;

  constructor(name: string, url: string, options: { timeoutMs: number; connections: number; breaker: CircuitBreaker }) {
    this.name = name;
    this.url = url;
    const parsed = new URL(url);
    this.#path = `${parsed.pathname}${parsed.search}`;
    this.#timeoutMs = options.timeoutMs;
    this.#breaker = options.breaker;
    this.#pool = new Pool(parsed.origin, { connections: options.connections, keepAliveTimeout: 30_000 });
    this.#labels.ok.subgraph_name = name;
    this.#labels.error.subgraph_name = name;
  }

  /**
   * POSTs a GraphQL request body; rejects with a GraphQLError (SUBGRAPH_UNAVAILABLE, or the HTTP status) like RemoteGraphQLDataSource.
   * `idempotent`: the body is a query, which may be sent again after a connection failure.
   */
  async post(body: string, headers: Record<string, string>, idempotent = false): Promise<SubgraphAnswer> {
    const started = performance.now();
    try {
      const answer = await throughBreaker(this.#breaker, () => this.#post(body, headers, idempotent ? 1 : 0));
      this.#observe(started, Array.isArray(answer.body.errors) && answer.body.errors.length > 0 ? this.#labels.error : this.#labels.ok);
      return answer;
    } catch (error) {
      this.#observe(started, this.#labels.error);
      throw error;
    }
  }

  /** The label sets of this subgraph's fetch durations, built once (a Guild query makes 16 fetches). */
  readonly #labels = { ok: { subgraph_name: '', outcome: 'ok' }, error: { subgraph_name: '', outcome: 'error' } };

  #observe(started: number, labels: { subgraph_name: string; outcome: string }): void {
    subgraphFetchDuration().observe(labels, (performance.now() - started) / 1000);
  }

  async #post(body: string, headers: Record<string, string>, retries: number): Promise<SubgraphAnswer> {
    let response: RawResponse;
    try {
      response = await this.#send(body, headers);
    } catch (error) {
      if (retries > 0 && isConnectionFailure(error)) return this.#post(body, headers, retries - 1);
      if (isUnreachable(error)) throw unavailable(this.name);
      throw error;
    }
    const { text } = response;
    const contentType = String(response.headers['content-type'] ?? '');
    const isJson = contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json');
    const parsed: unknown = isJson ? JSON.parse(text) : text;
    if (response.statusCode < 200 || response.statusCode > 299) {
      const extensions: Record<string, unknown> = {
        response: { url: this.url, status: response.statusCode, statusText: STATUS_CODES[response.statusCode] ?? '', body: parsed },
      };
      if (response.statusCode === 401) extensions.code = 'UNAUTHENTICATED';
      else if (response.statusCode === 403) extensions.code = 'FORBIDDEN';
      throw new GraphQLError(`${response.statusCode}: ${STATUS_CODES[response.statusCode] ?? ''}`, { extensions });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${parsed}`);
    const cacheControl = response.headers['cache-control'];
    return { body: parsed as Record<string, unknown>, cacheControl: Array.isArray(cacheControl) ? cacheControl.join(', ') : cacheControl };
  }

  /**
   * One request on the pool through undici's dispatch API, the body gathered
   * as it arrives: `Pool.request` would wrap every answer in a Readable
   * stream (16 per Guild query), whose machinery cost more than the
   * gathering. Errors and timeouts are undici's, as with `request`.
   */
  #send(body: string, headers: Record<string, string>): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let statusCode = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      this.#pool.dispatch(
        { method: 'POST', path: this.#path, headers, body, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs },
        {
          // Called unconditionally by undici's request (the handler API of undici 7+).
          onRequestStart() {},
          onResponseStart(_controller, status, received) {
            statusCode = status;
            responseHeaders = received;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve({ statusCode, headers: responseHeaders, text });
          },
          onResponseError(_controller, error) {
            reject(error);
          },
        },
      );
    });
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
