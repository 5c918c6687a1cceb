import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { BODY_BYTES, bodyEtag, counter } from '@shop/platform';
import { Kind, parse, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';
import { readParams } from './persisted-queries.ts';
import { PURCHASE_FIELDS } from './plugins/purchase-admission.ts';
import { tagsOf, type CachedResponse, type ResponseCache } from './response-cache.ts';

/**
 * Shared work for identical reads: during a live sale thousands of callers
 * ask for the same product page or stock level within the same second.
 *
 * - In-flight deduplication (`INFLIGHT_DEDUP`): a query identical to one
 *   being executed waits for that execution's answer instead of starting its
 *   own: one parse, plan and set of subgraph calls for the whole crowd.
 * - The response cache (`RESPONSE_CACHE`, response-cache.ts): public answers
 *   kept in Redis for their max-age.
 *
 * Who may share: requests are identical when their method, document,
 * operation name, variables and extensions are, AND every header that can
 * change the answer or its checks is: `authorization` (the viewer: a user's
 * private data is only ever shared with the same token), `x-api-key`,
 * `accept`, `content-type` and the CSRF preflight headers. Only queries are
 * shared; mutations and subscriptions never are (a mutation's answer feeds
 * the cache's invalidation instead). Rate limits and the persisted-query
 * policy run before this, per request.
 *
 * Purchases (placeOrder, checkoutCart) invalidate nothing by their answer:
 * what they change that a public answer can hold is stock, and inventory
 * announces every stock change, which drops the sku's answers (see
 * ResponseCache). Their answers name private orders and payments, which no
 * public answer holds, or, for InsufficientStock, a sku whose stock the
 * purchase did not change: in a live sale each of those would have dropped
 * the crowd's cached stock level, and each cost a Redis round trip.
 */
const VISIBILITY_HEADERS = ['authorization', 'x-api-key', 'accept', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;
const MAX_KNOWN_DOCUMENTS = 1_000;
const MAX_UNCACHEABLE_KEYS = 1_000;

export interface ReadSharingOptions {
  dedup: boolean;
  cache: ResponseCache | undefined;
}

export type Share = (request: HTTPGraphQLRequest, run: () => Promise<HTTPGraphQLResponse>) => Promise<HTTPGraphQLResponse>;

/** Says on an answer where it came from when it was not executed for this request: `in-flight` or `cache`. */
export const SHARED_HEADER = 'x-shared';

/**
 * Answers of shareable queries by where they came from (`source`): `executed`
 * for this request, `in-flight` (joined another's execution) or `cache`.
 * in-flight / executed is how many callers one execution served: with a
 * closed-loop crowd of N identical readers it is N - 1 when every caller
 * joins the execution under way.
 */
export const readSharingAnswers = () => counter('gateway_read_sharing_answers_total', 'Answers of shareable queries, by source: executed, in-flight (joined an execution under way) or cache.', ['source']);

/** The UTF-8 bytes of a shared answer, encoded once for all its callers. */
const encoded = new WeakMap<CachedResponse, Buffer>();

function toResponse(shared: CachedResponse, source?: 'in-flight' | 'cache'): HTTPGraphQLResponse {
  const headers = new HeaderMap(shared.headers);
  if (source) headers.set(SHARED_HEADER, source);
  let bytes = encoded.get(shared);
  if (!bytes) encoded.set(shared, (bytes = Buffer.from(shared.body)));
  return { status: shared.status, headers, body: { kind: 'complete', string: shared.body }, [BODY_BYTES]: bytes } as HTTPGraphQLResponse;
}

/** What sharing needs to know of an operation: its type, and whether it buys (see above). */
interface Operation {
  type: OperationTypeNode;
  purchase: boolean;
}

/** A purchase: a mutation whose every root field buys (a mutation that also does something else still invalidates). */
function describe(operation: OperationDefinitionNode): Operation {
  const roots = operation.selectionSet.selections;
  const purchase = operation.operation === 'mutation' && roots.every((s) => s.kind === Kind.FIELD && PURCHASE_FIELDS.has(s.name.value));
  return { type: operation.operation, purchase };
}

export function createReadSharing(options: ReadSharingOptions): Share & { inFlight(): number } {
  // Both off: nothing is shared, so a request runs as it would without this layer (no key of its body, no copy of its answer).
  if (!options.dedup && !options.cache) return Object.assign(((_request, run) => run()) satisfies Share, { inFlight: () => 0 });
  const inFlight = new Map<string, Promise<CachedResponse | undefined>>();
  // Label children looked up once: counted on every shareable request.
  const answers = readSharingAnswers();
  const counted = { executed: answers.labels('executed'), 'in-flight': answers.labels('in-flight'), cache: answers.labels('cache') };
  /** Document text -> operation name -> its type, so that a known document is never parsed again here. */
  const documents = new Map<string, Map<string, Operation> | null>();

  const operationOf = (query: string, operationName: string | undefined): Operation | undefined => {
    let operations = documents.get(query);
    if (operations === undefined) {
      try {
        operations = new Map();
        for (const definition of parse(query).definitions) {
          if (definition.kind === Kind.OPERATION_DEFINITION) operations.set(definition.name?.value ?? '', describe(definition));
        }
      } catch {
        operations = null;
      }
      if (documents.size >= MAX_KNOWN_DOCUMENTS) documents.delete(documents.keys().next().value!);
      documents.set(query, operations);
    }
    if (!operations) return undefined;
    if (operationName === undefined) return operations.size === 1 ? operations.values().next().value : undefined;
    return operations.get(operationName);
  };

  /** The sharing key of a request, with its operation; no key for what cannot be shared (no document, unparseable). */
  const identify = (request: HTTPGraphQLRequest): { key?: string; operation?: Operation } => {
    const params = readParams(request);
    if (params.query === undefined) return {};
    const operation = operationOf(params.query, params.operationName);
    if (operation?.type !== 'query') return { operation };
    let key = request.method === 'GET' ? `GET ${request.search}` : `POST ${JSON.stringify(request.body)}`;
    for (const name of VISIBILITY_HEADERS) key += `\n${request.headers.get(name) ?? ''}`;
    return { key, operation };
  };

  /** Keys whose stale cached answer is being refreshed by this process. */
  const refreshing = new Set<string>();

  /**
   * Keys whose last answer here was not one the cache keeps by its policy
   * (no public max-age, or a user's token; an answer with errors does not
   * count, so a stale entry still covers a failing refresh): their next execution starts without
   * looking in Redis first. That lookup is on the path of every execution a
   * crowd waits for, and its reply queues behind the crowd's own requests
   * (the Guild query, which has no cache hints, served ~14% more with the
   * cache off). Skipping a lookup never serves anything: the request is
   * executed, and the answer is offered to the cache as always, so a key
   * whose answers become cacheable is stored and looked up again from its
   * next execution on.
   */
  const uncacheable = new Set<string>();
  const remember = (key: string, kept: boolean) => {
    if (kept) {
      uncacheable.delete(key);
      return;
    }
    if (uncacheable.size >= MAX_UNCACHEABLE_KEYS) uncacheable.delete(uncacheable.values().next().value!);
    uncacheable.add(key);
  };

  /** Runs the request and keeps a shareable copy of a complete answer (with its ETag for GETs, hashed once for everyone). */
  const runAndStore = async (request: HTTPGraphQLRequest, run: () => Promise<HTTPGraphQLResponse>, key: string): Promise<{ response: HTTPGraphQLResponse; shared?: CachedResponse }> => {
    const response = await run();
    if (response.body.kind !== 'complete') return { response };
    const headers = [...response.headers];
    if (request.method === 'GET' && (response.status ?? 200) === 200) headers.push(['etag', bodyEtag(response.body.string)]);
    const shared: CachedResponse = { status: response.status ?? 200, headers, body: response.body.string };
    // Stored before the answer goes out (one write per key and max-age), so the next caller finds it.
    if (options.cache) remember(key, await options.cache.set(key, shared, Boolean(request.headers.get('authorization'))));
    return { response: toResponse(shared), shared };
  };

  /** Refreshes a stale cached answer in the background, once per key at a time; the caller has the stale one already. */
  const refresh = (request: HTTPGraphQLRequest, run: () => Promise<HTTPGraphQLResponse>, key: string) => {
    if (refreshing.has(key)) return;
    refreshing.add(key);
    runAndStore(request, run, key)
      .catch(() => {})
      .finally(() => refreshing.delete(key));
  };

  /** From the cache (a stale answer also starts its refresh), else executed and stored. */
  const execute = async (request: HTTPGraphQLRequest, run: () => Promise<HTTPGraphQLResponse>, key: string): Promise<{ response: HTTPGraphQLResponse; shared?: CachedResponse }> => {
    const cached = uncacheable.has(key) ? undefined : await options.cache?.get(key);
    if (!cached) {
      counted.executed.inc();
      return runAndStore(request, run, key);
    }
    if (cached.stale) refresh(request, run, key);
    counted.cache.inc();
    return { response: toResponse(cached, 'cache'), shared: cached };
  };

  const share: Share = async (request, run) => {
    const { key, operation } = identify(request);
    if (!key) {
      const response = await run();
      if (operation?.type === 'mutation' && !operation.purchase && options.cache && response.body.kind === 'complete' && (response.status ?? 200) === 200) {
        await options.cache.invalidate(tagsOf(response.body.string));
      }
      return response;
    }
    if (!options.dedup) return (await execute(request, run, key)).response;
    const pending = inFlight.get(key);
    if (pending) {
      const shared = await pending;
      if (!shared) {
        // The execution joined failed or was not shareable (a stream): this request runs on its own.
        counted.executed.inc();
        return run();
      }
      counted['in-flight'].inc();
      return toResponse(shared, 'in-flight');
    }
    const work = execute(request, run, key);
    const sharedPromise = work.then(
      (r) => r.shared,
      () => undefined,
    );
    inFlight.set(key, sharedPromise);
    try {
      return (await work).response;
    } finally {
      inFlight.delete(key);
    }
  };
  return Object.assign(share, { inFlight: () => inFlight.size });
}
