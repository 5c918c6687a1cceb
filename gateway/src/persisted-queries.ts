import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HTTPGraphQLRequest } from '@apollo/server';
import { parse, print } from 'graphql';
import { LRUCache } from 'lru-cache';
import { HttpError, type KeyValueStore, type Logger } from '@shop/platform';

/**
 * Persisted queries at the gateway, in two forms:
 * - Automatic Persisted Queries (Apollo's APQ protocol): the store is Redis
 *   when REDIS_URL is set, so a hash registered through one gateway replica is
 *   known by all of them.
 * - Trusted documents: schema/persisted-queries.json (Apollo's manifest
 *   format). A manifest id can be sent as `extensions.persistedQuery.sha256Hash`
 *   without the document and without prior registration; in `safelist` mode
 *   nothing else runs.
 */
export type OperationMode = 'allow-all' | 'log-unknown' | 'safelist';
export const OPERATION_MODES: readonly OperationMode[] = ['allow-all', 'log-unknown', 'safelist'];

export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface Manifest {
  byId: ReadonlyMap<string, ManifestOperation>;
}

export function loadManifest(path: string): Manifest {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { format?: string; operations?: ManifestOperation[] };
  if (parsed.format !== 'apollo-persisted-query-manifest' || !Array.isArray(parsed.operations)) {
    throw new Error(`${path} is not an Apollo persisted-query manifest`);
  }
  return { byId: new Map(parsed.operations.map((op) => [op.id, op])) };
}

/** The manifest id a full document would have (SHA-256 of its printed form), or undefined if it does not parse. */
export function documentId(query: string): string | undefined {
  try {
    return createHash('sha256').update(print(parse(query))).digest('hex');
  } catch {
    return undefined;
  }
}

/** APQ store on platform's KeyValueStore (Redis or the in-process stand-in). */
export class ApqCache {
  readonly #store: KeyValueStore;
  readonly #prefix: string;
  constructor(store: KeyValueStore, prefix = 'apq:') {
    this.#store = store;
    this.#prefix = prefix;
  }
  async get(key: string) {
    return (await this.#store.get(this.#prefix + key)) ?? undefined;
  }
  async set(key: string, value: string, options?: { ttl?: number | null }) {
    await this.#store.set(this.#prefix + key, value, options?.ttl ? options.ttl * 1000 : undefined);
  }
  async delete(key: string) {
    await this.#store.del(this.#prefix + key);
  }
}

/** The GraphQL parameters of an HTTP request, GET (query string) or POST (JSON body). */
export interface GraphQLParams {
  query?: string;
  operationName?: string;
  hash?: string;
}

export function readParams(request: HTTPGraphQLRequest): GraphQLParams {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    let hash: string | undefined;
    try {
      hash = JSON.parse(search.get('extensions') ?? '{}')?.persistedQuery?.sha256Hash;
    } catch {
      hash = undefined;
    }
    return { query: search.get('query') ?? undefined, operationName: search.get('operationName') ?? undefined, hash };
  }
  const body = (request.body ?? {}) as { query?: unknown; operationName?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
  return {
    query: typeof body.query === 'string' ? body.query : undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    hash: typeof body.extensions?.persistedQuery?.sha256Hash === 'string' ? body.extensions.persistedQuery.sha256Hash : undefined,
  };
}

/** Returns the request with the manifest document filled in as `query`. */
export function withDocument(request: HTTPGraphQLRequest, body: string): HTTPGraphQLRequest {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    search.set('query', body);
    return { ...request, search: `?${search.toString()}` };
  }
  return { ...request, body: { ...(request.body as object), query: body } };
}

/** A request the policy refuses; answered with 403 and the code, never cached. */
export class OperationRefused extends HttpError {
  constructor(code: string, message: string, status = 403) {
    super(status, code, message);
  }
}

export interface Caller {
  /** A partner identified by API key may run only the manifest operations it is allowed, by id. */
  partner?: { id: string; name: string; allowedOperations: readonly string[] };
}

/**
 * Remembers, per raw document text (by SHA-256, bounded LRU), its manifest
 * id: a repeated document is parsed and printed once, not on every request.
 */
function createManifestIdCache(max = 10_000) {
  const ids = new LRUCache<string, string>({ max });
  return (query: string): string => {
    const raw = createHash('sha256').update(query).digest('hex');
    let id = ids.get(raw);
    if (id === undefined) {
      id = documentId(query) ?? '';
      ids.set(raw, id);
    }
    return id;
  };
}

/**
 * In log-unknown mode: each unknown document is logged once (by its hash, a
 * bounded LRU remembers which), never its text, and at most `perMinute`
 * lines a minute in all, so a client cycling documents cannot flood the log.
 */
function createUnknownOperationLog(logger: Logger, options: { perMinute?: number; max?: number; now?: () => number } = {}) {
  const seen = new LRUCache<string, true>({ max: options.max ?? 10_000 });
  const perMinute = options.perMinute ?? 10;
  const now = options.now ?? Date.now;
  let minute = -1;
  let written = 0;
  return (hash: string, operationName: string | undefined) => {
    if (seen.has(hash)) return;
    seen.set(hash, true);
    const current = Math.floor(now() / 60_000);
    if (current !== minute) {
      minute = current;
      written = 0;
    }
    if (written >= perMinute) return;
    written += 1;
    logger.warn({ operationName, hash }, 'operation not in the persisted-query manifest');
  };
}

/**
 * Decides whether a request may run and fills in manifest documents. Throws
 * OperationRefused with a code the client can switch on.
 */
export function createOperationPolicy(options: { manifest: Manifest; mode: OperationMode; logger: Logger; now?: () => number }) {
  const { manifest, mode } = options;
  const manifestIdOf = createManifestIdCache();
  const logUnknown = createUnknownOperationLog(options.logger, { now: options.now });
  return (request: HTTPGraphQLRequest, caller: Caller): HTTPGraphQLRequest => {
    const params = readParams(request);
    const byHash = params.hash ? manifest.byId.get(params.hash) : undefined;

    if (caller.partner) {
      if (params.query !== undefined || !params.hash) {
        throw new OperationRefused('PERSISTED_QUERY_NOT_ALLOWED', 'Partner keys may only run published operations by id (extensions.persistedQuery.sha256Hash), without a document.', 403);
      }
      if (!byHash) throw new OperationRefused('PERSISTED_QUERY_NOT_ALLOWED', `No published operation has id ${params.hash}.`, 403);
      if (!caller.partner.allowedOperations.includes(byHash.name)) {
        throw new OperationRefused('PERSISTED_QUERY_NOT_ALLOWED', `This API key may not run ${byHash.name}.`, 403);
      }
      return withDocument(request, byHash.body);
    }

    if (byHash) return params.query === undefined ? withDocument(request, byHash.body) : request;
    if (mode === 'allow-all') return request;
    if (params.query !== undefined && manifest.byId.has(manifestIdOf(params.query))) return request;
    if (mode === 'safelist') {
      throw new OperationRefused('PERSISTED_QUERY_NOT_ALLOWED', 'Only published operations may run on this endpoint.', 403);
    }
    const hash = params.hash ?? (params.query !== undefined ? createHash('sha256').update(params.query).digest('hex') : undefined);
    if (hash) logUnknown(hash, params.operationName);
    return request;
  };
}
