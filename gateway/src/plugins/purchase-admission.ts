import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { admissionRefusals, HttpError } from '@shop/platform';
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Bounded admission of purchases at the edge. A flash-sale crowd can offer
 * far more PlaceOrder calls than the checkout path completes; queued, they
 * all wait for CPU and time out together. Instead each gateway process runs
 * at most `maxInFlight` purchase mutations at once and answers the rest at
 * once: HTTP 503 with `Retry-After`, and the GraphQL error code
 * SERVICE_UNAVAILABLE with `extensions.retryable` and `retryAfter`
 * (seconds). Nothing was stored or charged for a refused call: the buyer
 * retries with the same idempotency key. Reads and other mutations are not
 * counted.
 *
 * The check runs once the operation is resolved (the parsed document comes
 * from the gateway's document cache), before any planning or subgraph call.
 *
 * At capacity, a crowd's extra purchases are refused earlier still
 * (`refuseEarly`, called by the HTTP handler before the client is
 * identified, its token verified, its rate limit counted or the GraphQL
 * pipeline started): a flash sale sends far more purchases than can run,
 * and each refusal must cost as little as possible. Whether a request's
 * document is a purchase is remembered per document and operation name;
 * below capacity nothing is looked at.
 */
export interface PurchaseAdmissionLimits {
  maxInFlight: number;
  retryAfterSeconds: number;
}

// About what the purchase path completes in 0.2 s: on the 2-core machine of bench:checkout it completes ~250
// checkouts/s, so 48 in flight is its capacity with room for 32 ordinary ones. Beyond that a purchase only queues
// for CPU, and in a flash sale the queue made every answer late (2026-12-02 21:09-21:12 UTC, 1,000 PlaceOrder/s on
// 300 units, A B A B: p99 498 and 424 ms with 128 in flight, 271 and 311 with 64, 224 and 199 with 48; the closed
// loop's 32 in flight were all placed with 48). More cores or gateway workers: raise PURCHASE_MAX_IN_FLIGHT.
export const DEFAULT_PURCHASE_ADMISSION: PurchaseAdmissionLimits = { maxInFlight: 48, retryAfterSeconds: 1 };

/** Root mutation fields that buy: what the limit counts. */
export const PURCHASE_FIELDS: ReadonlySet<string> = new Set(['placeOrder', 'checkoutCart']);

function isPurchase(operation: OperationDefinitionNode | undefined): boolean {
  return operation?.operation === 'mutation' && operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && PURCHASE_FIELDS.has(s.name.value));
}

export interface PurchaseAdmission {
  plugin: ApolloServerPlugin<BaseContext>;
  /** Purchases running now in this process (for metrics and tests). */
  inFlight(): number;
  /**
   * For a request body (`{ query, operationName }`) before any other work:
   * the refusal to answer when the process is at capacity and the body's
   * operation is a purchase, else null (the request goes on, and the plugin
   * decides as usual).
   */
  refuseEarly(body: unknown): HttpError | null;
}

/** Whether the operation a document runs (by name, or its only one) is a purchase; false for a document that does not parse. */
function documentIsPurchase(query: string, operationName: string | undefined): boolean {
  try {
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    return isPurchase(operation);
  } catch {
    return false;
  }
}

const REFUSAL = 'Checkout is at capacity right now; nothing was stored or charged. Try again in a moment with the same idempotency key.';

export function createPurchaseAdmission(limits: PurchaseAdmissionLimits = DEFAULT_PURCHASE_ADMISSION): PurchaseAdmission {
  let inFlight = 0;
  const refused = () => admissionRefusals().inc({ gate: 'gateway-purchase', reason: 'at-capacity' });
  const refusal = () =>
    new GraphQLError(REFUSAL, {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        retryAfter: limits.retryAfterSeconds,
        http: { status: 503, headers: new Map([['retry-after', String(limits.retryAfterSeconds)]]) },
      },
    });
  // Documents a client sends again and again (a crowd sends the same one): parsed once each.
  const purchases = new LRUCache<string, boolean>({ max: 1_000, maxSize: 5_000_000, sizeCalculation: (_, key) => key.length + 1 });
  const isPurchaseBody = (query: string, operationName: string | undefined): boolean => {
    const key = `${operationName ?? ''}\u0000${query}`;
    let purchase = purchases.get(key);
    if (purchase === undefined) purchases.set(key, (purchase = documentIsPurchase(query, operationName)));
    return purchase;
  };
  // One answer for every early refusal: a crowd gets thousands a second, and each new Error captures a stack.
  const earlyRefusal = new HttpError(503, 'SERVICE_UNAVAILABLE', REFUSAL, { 'retry-after': String(limits.retryAfterSeconds) }, { retryable: true, retryAfter: limits.retryAfterSeconds });
  return {
    inFlight: () => inFlight,
    refuseEarly(body) {
      if (inFlight < limits.maxInFlight || typeof body !== 'object' || body === null) return null;
      const { query, operationName } = body as { query?: unknown; operationName?: unknown };
      if (typeof query !== 'string' || query.length > 100_000) return null;
      if (!isPurchaseBody(query, typeof operationName === 'string' ? operationName : undefined)) return null;
      refused();
      return earlyRefusal;
    },
    plugin: {
      async requestDidStart() {
        let admitted = false;
        return {
          async didResolveOperation({ operation }) {
            if (!isPurchase(operation)) return;
            if (inFlight >= limits.maxInFlight) {
              refused();
              throw refusal();
            }
            inFlight += 1;
            admitted = true;
          },
          async willSendResponse() {
            if (!admitted) return;
            admitted = false;
            inFlight -= 1;
          },
        };
      },
    },
  };
}
