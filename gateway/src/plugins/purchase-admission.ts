import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';

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
 */
export interface PurchaseAdmissionLimits {
  maxInFlight: number;
  retryAfterSeconds: number;
}

export const DEFAULT_PURCHASE_ADMISSION: PurchaseAdmissionLimits = { maxInFlight: 128, retryAfterSeconds: 1 };

/** Root mutation fields that buy: what the limit counts. */
export const PURCHASE_FIELDS: ReadonlySet<string> = new Set(['placeOrder', 'checkoutCart']);

function isPurchase(operation: OperationDefinitionNode | undefined): boolean {
  return operation?.operation === 'mutation' && operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && PURCHASE_FIELDS.has(s.name.value));
}

export interface PurchaseAdmission {
  plugin: ApolloServerPlugin<BaseContext>;
  /** Purchases running now in this process (for metrics and tests). */
  inFlight(): number;
}

export function createPurchaseAdmission(limits: PurchaseAdmissionLimits = DEFAULT_PURCHASE_ADMISSION): PurchaseAdmission {
  let inFlight = 0;
  const refusal = () =>
    new GraphQLError('Checkout is at capacity right now; nothing was stored or charged. Try again in a moment with the same idempotency key.', {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        retryAfter: limits.retryAfterSeconds,
        http: { status: 503, headers: new Map([['retry-after', String(limits.retryAfterSeconds)]]) },
      },
    });
  return {
    inFlight: () => inFlight,
    plugin: {
      async requestDidStart() {
        let admitted = false;
        return {
          async didResolveOperation({ operation }) {
            if (!isPurchase(operation)) return;
            if (inFlight >= limits.maxInFlight) throw refusal();
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
