import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { AdmissionRefused, badUserInput, checkoutOutcomes, conflict, forbidden, isUuid, notFound, requireViewer, type AdmissionGate, type AdmissionLimits, type Viewer } from '@shop/platform';
import type { Order } from '../order/order.entity.ts';
import type { OrderRepository } from '../order/order.repository.ts';
import { canViewOrder } from '../order/order.service.ts';
import type { ProductsClient, VariantPrice } from '../remote/products.client.ts';
import { ServiceCallError } from '../remote/service-client.ts';
import { CheckoutErrorCode, IDEMPOTENCY_KEY_REUSED, type CheckoutOutcome } from './checkout-outcome.ts';
import { priceCheckout } from './checkout.pricing.ts';
import { parsePlaceOrderInput, type CheckoutRequest, type PlaceOrderInput } from './checkout.input.ts';
import type { CheckoutBatcher } from './checkout.batcher.ts';
import type { CheckoutSaga } from './checkout.saga.ts';

/** What placeOrder answers: the members of the PlaceOrderResult union. */
export type PlaceOrderResult =
  | { __typename: 'OrderPlaced'; order: Order }
  | { __typename: 'InsufficientStock'; sku: string; available: number; message: string }
  | { __typename: 'PaymentDeclined'; reason: string; message: string };

/**
 * `batched` (the default): checkouts are grouped (CheckoutBatcher) and the
 * buyer is answered once stock is held and payment authorized; capture and
 * the stock commit follow from the OrderPlaced event. `naive`: every
 * checkout runs the whole saga alone (price, reserve, authorize, capture,
 * commit, confirm) before its answer; kept as the baseline of
 * `npm run bench:checkout`.
 */
export const CHECKOUT_MODES = ['batched', 'naive'] as const;
export type CheckoutMode = (typeof CHECKOUT_MODES)[number];

export interface CheckoutServiceSettings {
  /** How long a request waits for a checkout that another request (or the sweeper) is settling (ms). */
  waitMs: number;
  mode: CheckoutMode;
}

export const DEFAULT_CHECKOUT_SETTINGS: CheckoutServiceSettings = { waitMs: 8_000, mode: 'batched' };

/**
 * Checkouts one orders process runs at once, and how many may wait for a turn
 * and for how long (short: a buyer must be answered within the purchase
 * latency target, and a batched checkout in flight costs little). Beyond that a
 * crowd gets a quick, retryable SERVICE_UNAVAILABLE: nothing was stored or
 * charged, and the same idempotency key may be sent again.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = { maxInFlight: 256, maxQueued: 256, maxWaitMs: 250 };

export interface CheckoutServiceDeps {
  repository: OrderRepository;
  /** Shared by every request of the process. */
  admission: AdmissionGate;
  products: ProductsClient;
  saga: CheckoutSaga;
  /** Groups concurrent checkouts (mode `batched`); shared by every request of the process. */
  batcher?: CheckoutBatcher;
  settings?: Partial<CheckoutServiceSettings>;
}

/**
 * placeOrder and cancelOrder: who may, what input is valid, idempotency, and
 * turning a settled saga into an answer. The saga itself is CheckoutSaga.
 */
export class CheckoutService {
  readonly #deps: CheckoutServiceDeps;
  readonly #products: ProductsClient;
  readonly #saga: CheckoutSaga;
  readonly #settings: CheckoutServiceSettings;
  readonly #admission: AdmissionGate;
  readonly #batcher: CheckoutBatcher | undefined;

  constructor(deps: CheckoutServiceDeps) {
    this.#batcher = deps.batcher;
    this.#deps = deps;
    this.#products = deps.products;
    this.#saga = deps.saga;
    this.#settings = { ...DEFAULT_CHECKOUT_SETTINGS, ...deps.settings };
    this.#admission = deps.admission;
  }

  /** Read when needed: the request's repository may be built lazily (see context.ts). */
  get #repository(): OrderRepository {
    return this.#deps.repository;
  }

  /**
   * Places an order for the signed-in customer:
   *   1. check the input;
   *   2. idempotency: an order under this key already? Same cart: its answer
   *      (waiting while it is settled); another cart: BAD_USER_INPUT;
   *   3. price the cart from products (current prices, live sales included);
   *   4. insert the PENDING order with its items, claiming the key (a
   *      concurrent twin that claims it first wins; we then answer as 2.);
   *   5. drive the saga (reserve, authorize, capture, commit, confirm);
   *   6. answer from the settled order.
   * Pricing comes before the insert so that an order row is always complete;
   * only the request that inserts the row ever calls inventory or payments.
   */
  async placeOrder(viewer: Viewer | null, input: PlaceOrderInput): Promise<PlaceOrderResult> {
    requireCustomer(viewer);
    try {
      const result = await this.#admission.run(() => this.#placeOrder(viewer, input));
      checkoutOutcomes().inc({ outcome: result.__typename ?? 'unknown' });
      return result;
    } catch (error) {
      checkoutOutcomes().inc({ outcome: error instanceof AdmissionRefused ? 'Refused' : 'Failed' });
      if (!(error instanceof AdmissionRefused)) throw error;
      throw new GraphQLError('Checkout is at capacity right now; nothing was stored or charged. Try again in a moment with the same idempotency key.', {
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfter: 1 },
      });
    }
  }

  async #placeOrder(viewer: Viewer | null, input: PlaceOrderInput): Promise<PlaceOrderResult> {
    if (this.#batcher && this.#settings.mode === 'batched') return this.#placeBatched(this.#batcher, viewer, input);
    return this.#placeAlone(viewer, input);
  }

  /** Mode `batched`: the checkout joins the process's next batch (see CheckoutBatcher); the answer is as for a lone one. */
  async #placeBatched(batcher: CheckoutBatcher, viewer: Viewer | null, input: PlaceOrderInput): Promise<PlaceOrderResult> {
    const customer = requireCustomer(viewer);
    const request = parsePlaceOrderInput(input);
    const outcome = await batcher.submit({ userId: customer.userId, request });
    switch (outcome.kind) {
      case 'soldOut': {
        const requested = request.items.find((i) => i.sku === outcome.sku)?.quantity ?? 1;
        return { __typename: 'InsufficientStock', sku: outcome.sku, available: outcome.available, message: `Only ${outcome.available} of ${outcome.sku} left; ${requested} requested.` };
      }
      case 'alone':
        return this.#placeAlone(viewer, input);
      case 'order': {
        if (outcome.claimed) return this.#answer(outcome.orderId, outcome.order);
        const order = outcome.order ?? (await this.#repository.findFresh(outcome.orderId));
        if (!order) throw new Error(`order ${outcome.orderId} disappeared`);
        return this.#answer(this.#sameRequest(order, request).id);
      }
    }
  }

  async #placeAlone(viewer: Viewer | null, input: PlaceOrderInput): Promise<PlaceOrderResult> {
    const checkout = await this.startCheckout(viewer, input);
    const settled = checkout.claimed ? await this.#saga.drive(checkout.orderId, { kind: 'checkout', paymentToken: checkout.request.paymentToken }) : null;
    return this.#answer(checkout.orderId, settled);
  }

  /**
   * Steps 1 to 4 of placeOrder: the order under this key, existing (a retry;
   * `claimed` false) or just inserted (`claimed` true, its saga not yet
   * started). Exposed so that a test can stop a checkout between steps.
   */
  async startCheckout(viewer: Viewer | null, input: PlaceOrderInput): Promise<{ orderId: string; request: CheckoutRequest; claimed: boolean }> {
    const customer = requireCustomer(viewer);
    const request = parsePlaceOrderInput(input);

    const existing = await this.#repository.findByIdempotencyKey(customer.userId, request.idempotencyKey);
    if (existing) return { orderId: this.#sameRequest(existing, request).id, request, claimed: false };

    const priced = await this.#price(request);
    const orderId = randomUUID();
    const claimed = await this.#repository.transactional((repository) =>
      repository.insertIfKeyIsNew({
        id: orderId,
        userId: customer.userId,
        idempotencyKey: request.idempotencyKey,
        requestHash: request.requestHash,
        currency: priced.currency,
        totalAmount: priced.total,
        sagaStep: 'RESERVING',
        items: priced.items,
        at: new Date(),
      }),
    );
    if (claimed) return { orderId, request, claimed: true };
    // A concurrent twin claimed the key between our lookup and our insert.
    const twin = await this.#repository.findByIdempotencyKey(customer.userId, request.idempotencyKey);
    if (!twin) throw new Error('an order claimed the idempotency key but cannot be read');
    return { orderId: this.#sameRequest(twin, request).id, request, claimed: false };
  }

  /**
   * Cancels a CONFIRMED order before fulfilment: the payment is refunded in
   * full and the stock put back on sale (the RETURNING_STOCK step may finish
   * after the answer). Owner or ADMIN; anyone else gets NOT_FOUND, as if the
   * order did not exist. Cancelling a cancelled order returns it as it is.
   */
  async cancelOrder(viewer: Viewer | null, orderId: string): Promise<Order> {
    const caller = requireViewer(viewer);
    let order = await this.#repository.findFresh(orderId);
    if (!order || !canViewOrder(caller, order)) throw notFound(`No order ${orderId}.`);
    // Cancelling refunds the whole total, which payments refuses once part of it was paid back.
    if (order.status === 'CONFIRMED' && (await this.#repository.hasRefunds(orderId))) {
      throw conflict('Part of this order has been refunded; an admin can refund the rest instead of cancelling it.');
    }

    if (order.status === 'CONFIRMED' && order.sagaStep === 'DONE' && !(await this.#saga.requestCancellation(order))) {
      order = (await this.#repository.findFresh(orderId))!;
      // An admin's partial refund landed between the check above and the cancellation's row lock.
      if (order.status === 'CONFIRMED' && order.sagaStep === 'DONE' && (await this.#repository.hasRefunds(orderId))) {
        throw conflict('Part of this order has been refunded; an admin can refund the rest instead of cancelling it.');
      }
    }
    switch (order.status) {
      case 'PENDING':
        throw conflict('The checkout of this order is still in progress; try again in a few seconds.');
      case 'FULFILLED':
        throw conflict('This order has been fulfilled and can no longer be cancelled.');
      case 'REFUNDED':
        throw conflict('This order has been refunded and can no longer be cancelled.');
      case 'CANCELLED':
      case 'CONFIRMED':
        break;
    }
    let settled = (await this.#saga.drive(orderId, { kind: 'recovery' })) ?? order;
    // A batched checkout still capturing when asked: its capture is done now; cancel it as any confirmed order.
    if (settled.status === 'CONFIRMED' && settled.sagaStep === 'DONE' && (await this.#saga.requestCancellation(settled))) {
      settled = (await this.#saga.drive(orderId, { kind: 'recovery' })) ?? settled;
    }
    if (settled.status === 'CANCELLED') return settled;
    throw new GraphQLError('The cancellation is recorded but the refund could not be confirmed yet; it will complete shortly.', {
      extensions: { code: 'CANCELLATION_PENDING' },
    });
  }

  /** A request with a key that is already taken: the same cart is a retry of that order; another cart is refused. */
  #sameRequest(order: Order, request: CheckoutRequest): Order {
    if (order.requestHash !== request.requestHash) {
      throw new GraphQLError(
        'This idempotency key was already used for a different order (other items or payment token). Use a new key for a new order.',
        { extensions: { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey', reason: IDEMPOTENCY_KEY_REUSED } },
      );
    }
    return order;
  }

  /**
   * The answer of a settled checkout: once the order has left PENDING, the
   * stored outcome. While another driver is still settling it (a concurrent
   * twin, or the sweeper after a crash) we poll with a growing pause, up to
   * `waitMs`; then CHECKOUT_PENDING tells the client to ask again.
   */
  async #answer(orderId: string, known: Order | null = null): Promise<PlaceOrderResult> {
    if (known && known.status !== 'PENDING' && known.outcome) return toResult(known, known.outcome);
    const deadline = Date.now() + this.#settings.waitMs;
    for (let pauseMs = 10; ; pauseMs = Math.min(pauseMs * 2, 200)) {
      const order = await this.#repository.findFresh(orderId);
      if (!order) throw new Error(`order ${orderId} disappeared`);
      if (order.status !== 'PENDING' && order.outcome) return toResult(order, order.outcome);
      if (Date.now() + pauseMs > deadline) break;
      await sleep(pauseMs);
    }
    throw new GraphQLError('Your order is still being processed. Ask again with the same idempotency key to learn the outcome.', {
      extensions: { code: CheckoutErrorCode.CHECKOUT_PENDING },
    });
  }

  /** Unit prices from products, checked: every sku on sale, one currency, a payable total. */
  async #price(request: CheckoutRequest) {
    let prices: VariantPrice[];
    try {
      prices = await this.#products.variantPrices(request.items.map((i) => i.sku));
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      throw new GraphQLError('The catalogue could not price your cart right now; nothing was ordered. Try again.', {
        extensions: { code: CheckoutErrorCode.SERVICE_UNAVAILABLE },
      });
    }
    return priceCheckout(request, prices);
  }
}

/** Only a signed-in person can buy: an internal service identity (not a user id) cannot. */
function requireCustomer(viewer: Viewer | null): Viewer {
  const customer = requireViewer(viewer);
  if (!isUuid(customer.userId)) throw forbidden('Only a signed-in customer can place an order.');
  return customer;
}

function toResult(order: Order, outcome: CheckoutOutcome): PlaceOrderResult {
  switch (outcome.type) {
    case 'OrderPlaced':
      return { __typename: 'OrderPlaced', order };
    case 'InsufficientStock':
      return { __typename: 'InsufficientStock', sku: outcome.sku, available: outcome.available, message: outcome.message };
    case 'PaymentDeclined':
      return { __typename: 'PaymentDeclined', reason: outcome.reason, message: outcome.message };
    case 'Failed':
      throw new GraphQLError(outcome.message, { extensions: { code: outcome.code } });
  }
}
