import { sagaStepDuration, type Logger, type MikroORM } from '@shop/platform';
import type { Order } from '../order/order.entity.ts';
import { OrderRepository } from '../order/order.repository.ts';
import { assertTransition, type OrderStatus } from '../order/order.state.ts';
import { PROVIDER_TIMEOUT_REASON, type AuthorizeResult } from '../remote/payments.client.ts';
import type { SagaServices } from '../remote/saga-services.ts';
import { ServiceCallError } from '../remote/service-client.ts';
import { ABORTED_OUTCOME, type CheckoutOutcome } from './checkout-outcome.ts';
import { assertSagaMove, recoveryAction, type SagaDriver, type SagaStep } from './saga-step.ts';

export interface CheckoutSagaSettings {
  /** How long inventory holds the stock of a checkout that is not committed (seconds). */
  reservationTtlSeconds: number;
}

export const DEFAULT_SAGA_SETTINGS: CheckoutSagaSettings = { reservationTtlSeconds: 600 };

export interface CheckoutSagaDeps {
  orm: MikroORM;
  services: SagaServices;
  logger: Logger;
  settings?: Partial<CheckoutSagaSettings>;
}

/**
 * What one step did: the order as it stands after the saga moved on, or
 * null when it can go no further for now (another driver has it, or a
 * service is down).
 */
type StepResult = Order | null;

/** Idempotency keys of the refunds the saga makes; one refund per purpose and order. */
const REFUND_KEY = { afterFailedCommit: 'orders-saga-refund', cancellation: 'orders-cancellation' } as const;

/** Longest chain of steps one drive can take (checkout, then compensation, then done), plus slack. */
const MAX_STEPS_PER_DRIVE = 8;

/** The history reason of a confirmed order whose payment could not be captured. */
export const CAPTURE_FAILED_REASON = 'payment could not be captured; authorization voided and stock released';

const failed = (message: string): CheckoutOutcome => ({ type: 'Failed', code: 'CHECKOUT_FAILED', message });

/** Calls a service; when it did not answer, once more (every saga call is idempotent per order). */
async function retryOnce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ServiceCallError && error.kind === 'unavailable') return call();
    throw error;
  }
}

function isServiceError(error: unknown, kind?: ServiceCallError['kind']): error is ServiceCallError {
  return error instanceof ServiceCallError && (kind === undefined || error.kind === kind);
}

/**
 * The checkout saga, orchestrated by orders: price (done before the order
 * exists, see CheckoutService), reserve stock, authorize, capture, commit the
 * stock and confirm; on failure, compensate (void, release, refund). The
 * cancellation of a confirmed order runs on the same machinery.
 *
 * Each step is one method below. It reads the order as stored, makes its
 * remote calls (each idempotent per order id), then moves `saga_step` with a
 * compare-and-set under the order's row lock, together with any status
 * change, its history row, its outbox event and the checkout's answer. If
 * the compare-and-set finds that another driver moved the saga meanwhile,
 * the step stops (undoing what its own call may have created) and leaves
 * the saga to that driver.
 */
export class CheckoutSaga {
  readonly #orm: MikroORM;
  readonly #services: SagaServices;
  readonly #logger: Logger;
  readonly #settings: CheckoutSagaSettings;

  constructor(deps: CheckoutSagaDeps) {
    this.#orm = deps.orm;
    this.#services = deps.services;
    this.#logger = deps.logger;
    this.#settings = { ...DEFAULT_SAGA_SETTINGS, ...deps.settings };
  }

  /**
   * Drives the saga of `orderId` step by step until it is DONE or cannot go
   * further now. Returns the order as stored afterwards (null when missing).
   */
  async drive(orderId: string, driver: SagaDriver): Promise<Order | null> {
    let order = await this.#repository().findFresh(orderId);
    for (let steps = 0; order && order.sagaStep !== 'DONE' && steps < MAX_STEPS_PER_DRIVE; steps++) {
      const moved = await this.step(order, driver);
      if (!moved) return this.#repository().findFresh(orderId);
      order = moved;
    }
    return order;
  }

  /** Runs the one step `order` is at. Exposed so that a test can stop a saga between steps, as a crash would. */
  async step(order: Order, driver: SagaDriver): Promise<StepResult> {
    const end = sagaStepDuration().startTimer({ step: String(order.sagaStep).toLowerCase() });
    try {
      const result = await this.#step(order, driver);
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  async #step(order: Order, driver: SagaDriver): Promise<StepResult> {
    if (driver.kind === 'recovery' && recoveryAction(order.sagaStep) === 'compensate') {
      return this.#move(order, 'COMPENSATING', { outcome: ABORTED_OUTCOME });
    }
    switch (order.sagaStep) {
      case 'RESERVING':
        return this.#reserveStock(order);
      case 'AUTHORIZING':
        if (driver.kind !== 'checkout') throw new Error('only the checkout request can authorize its payment');
        return this.#authorizePayment(order, driver.paymentToken);
      case 'CAPTURING':
        return this.#capturePayment(order);
      case 'COMMITTING':
        return this.#commitStockAndConfirm(order);
      case 'COMPENSATING':
        return this.#voidAndRelease(order);
      case 'REFUNDING':
        return this.#refundAndCancel(order);
      case 'CANCEL_REQUESTED':
        return this.#refundCancellation(order);
      case 'RETURNING_STOCK':
        return this.#returnStock(order);
      case 'DONE':
        return null;
    }
    throw new Error(`unknown saga step ${String(order.sagaStep)}`);
  }

  /**
   * Gives up capturing the payment of a confirmed (batched) checkout whose
   * capture kept failing: the authorization is voided, the stock released
   * and the order CANCELLED with a reason that says so (and its
   * OrderCancelled event). False when the saga is no longer at CAPTURING.
   */
  async abandonCapture(orderId: string): Promise<boolean> {
    const order = await this.#repository().findFresh(orderId);
    if (!order || order.sagaStep !== 'CAPTURING') return false;
    this.#logger.error({ orderId }, 'payment capture kept failing; compensating the order');
    const moved = await this.#move(order, 'COMPENSATING');
    if (!moved) return false;
    await this.drive(orderId, { kind: 'recovery' });
    return true;
  }

  /**
   * Starts the cancellation of a CONFIRMED order whose saga is DONE and of
   * which nothing was refunded. False when the order is no longer in that
   * state (another request got there first, it was fulfilled meanwhile, or
   * an admin refunded part of it: cancelling refunds the whole total). The
   * refund check is made under the order's row lock, which a refund also
   * takes to record itself, so the two cannot both go ahead.
   */
  async requestCancellation(order: Order): Promise<boolean> {
    return (await this.#move(order, 'CANCEL_REQUESTED', { onlyIfStatus: 'CONFIRMED', onlyIfNoRefunds: true })) !== null;
  }

  // RESERVING: hold every item in inventory, or learn which sku is short.
  async #reserveStock(order: Order): Promise<StepResult> {
    const items = await this.#repository().findItemsOfOrder(order.id);
    let result;
    try {
      result = await retryOnce(() => this.#services.inventory.reserve(order.id, items, this.#settings.reservationTtlSeconds));
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#warn(order, 'stock could not be reserved', error);
      return this.#move(order, 'COMPENSATING', {
        outcome: failed('Your order could not be placed: stock could not be reserved right now. Nothing was charged; try again with a new idempotency key.'),
      });
    }
    if (result.kind === 'insufficient') {
      // All or nothing: inventory held none of the items.
      return this.#move(order, 'DONE', {
        status: 'CANCELLED',
        reason: `insufficient stock of ${result.sku}`,
        outcome: { type: 'InsufficientStock', sku: result.sku, available: result.available, message: result.message },
      });
    }
    return this.#moveOrUndo(order, 'AUTHORIZING');
  }

  // AUTHORIZING: hold the total on the customer's card. A timeout is retried
  // once (under the same order id, so never charged twice), then given up.
  async #authorizePayment(order: Order, paymentToken: string): Promise<StepResult> {
    const args = { orderId: order.id, userId: order.userId, token: paymentToken, amount: order.totalAmount, currency: order.currency };
    let result: AuthorizeResult | 'unknown' = 'unknown';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        result = await this.#services.payments.authorize(args);
      } catch (error) {
        if (!isServiceError(error)) throw error;
        this.#warn(order, 'payment authorization failed', error);
        if (error.kind === 'rejected') {
          return this.#move(order, 'COMPENSATING', { outcome: failed('Your order could not be placed: the payment was refused. Nothing was charged.') });
        }
        result = 'unknown';
        continue;
      }
      if (result.kind === 'declined' && result.reason === PROVIDER_TIMEOUT_REASON) {
        result = 'unknown';
        continue;
      }
      break;
    }
    if (result === 'unknown') {
      return this.#move(order, 'COMPENSATING', {
        outcome: {
          type: 'PaymentDeclined',
          reason: PROVIDER_TIMEOUT_REASON,
          message: 'The payment could not be confirmed in time. Nothing was charged; try again.',
        },
      });
    }
    if (result.kind === 'declined') {
      return this.#move(order, 'COMPENSATING', { outcome: { type: 'PaymentDeclined', reason: result.reason, message: result.message } });
    }
    return this.#moveOrUndo(order, 'CAPTURING');
  }

  // CAPTURING: take the money. From here on the saga finishes rather than
  // compensates; if payments does not answer, the sweeper captures later.
  async #capturePayment(order: Order): Promise<StepResult> {
    try {
      await retryOnce(() => this.#services.payments.capture(order.id));
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#warn(order, 'payment capture failed', error);
      if (error.kind === 'unavailable') return null;
      return this.#move(order, 'COMPENSATING', { outcome: failed('Your order could not be placed: the payment could not be taken. Nothing was charged.') });
    }
    return this.#move(order, 'COMMITTING');
  }

  // COMMITTING: sell the held stock, then confirm. CONFIRMED is committed
  // (with its history row and the OrderPlaced event) before anyone is told.
  async #commitStockAndConfirm(order: Order): Promise<StepResult> {
    let committed: boolean;
    try {
      committed = (await retryOnce(() => this.#services.inventory.commit(order.id))) === 'committed';
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#warn(order, 'stock commit failed', error);
      if (error.kind === 'unavailable') return null;
      committed = false; // NOT_FOUND: nothing is held for the order
    }
    if (!committed) {
      return this.#move(order, 'REFUNDING', {
        outcome: failed('Your order could not be placed: the stock held for it was released before it could be confirmed. Your payment was refunded.'),
      });
    }
    // A batched checkout was confirmed (and answered) when its payment was authorized.
    if (order.status === 'CONFIRMED') return this.#move(order, 'DONE');
    return this.#move(order, 'DONE', { status: 'CONFIRMED', reason: 'stock committed and payment captured', outcome: { type: 'OrderPlaced' } });
  }

  // COMPENSATING: nothing was captured; release the authorization and the
  // stock (both are harmless when there is nothing to release), then cancel.
  async #voidAndRelease(order: Order): Promise<StepResult> {
    try {
      await retryOnce(() => this.#services.payments.void(order.id));
      await retryOnce(() => this.#services.inventory.release(order.id));
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#compensationFailed(order, error);
      return null;
    }
    const reason = order.status === 'CONFIRMED' ? CAPTURE_FAILED_REASON : cancellationReason(order.outcome);
    return this.#move(order, 'DONE', { status: 'CANCELLED', reason, outcome: ABORTED_OUTCOME });
  }

  // REFUNDING: the money was captured but the stock could not be sold: pay it back.
  async #refundAndCancel(order: Order): Promise<StepResult> {
    try {
      await retryOnce(() => this.#services.payments.refund(order.id, order.totalAmount, REFUND_KEY.afterFailedCommit));
      await retryOnce(() => this.#services.inventory.release(order.id));
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#compensationFailed(order, error);
      return null;
    }
    return this.#move(order, 'DONE', { status: 'CANCELLED', reason: 'stock could not be committed; payment refunded', outcome: ABORTED_OUTCOME });
  }

  // CANCEL_REQUESTED: the customer (or an admin) called a confirmed order off: refund it in full.
  async #refundCancellation(order: Order): Promise<StepResult> {
    try {
      await retryOnce(() => this.#services.payments.refund(order.id, order.totalAmount, REFUND_KEY.cancellation));
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.#compensationFailed(order, error);
      return null;
    }
    return this.#move(order, 'RETURNING_STOCK', { status: 'CANCELLED', reason: 'cancelled before fulfilment; payment refunded' });
  }

  /*
   * RETURNING_STOCK: put the sold units back on sale. Inventory's restock is
   * not idempotent, so each line is returned at most once: it is marked
   * started (committed) before the call and done after it. A refusal
   * (nothing was added) clears the mark so that the line is tried again
   * later; a call whose outcome is unknown (timeout) keeps the mark and is
   * logged for reconciliation, because sending it again could put units on
   * sale that do not exist.
   */
  async #returnStock(order: Order): Promise<StepResult> {
    const repository = this.#repository();
    let refused = false;
    for (const item of await repository.findItemsOfOrder(order.id)) {
      if (item.stockReturnedAt) continue;
      if (item.stockReturnStartedAt) {
        this.#logger.error({ orderId: order.id, sku: item.sku, quantity: item.quantity }, 'stock return of a cancelled order has an unknown outcome; reconcile by hand');
        continue;
      }
      if (!(await repository.startStockReturn(item.id, new Date()))) continue;
      try {
        await this.#services.inventory.restock(item.sku, item.quantity);
        await repository.finishStockReturn(item.id, new Date());
      } catch (error) {
        if (!isServiceError(error)) throw error;
        if (error.kind === 'rejected') {
          await repository.abandonStockReturn(item.id);
          refused = true;
          this.#warn(order, 'inventory refused to take stock back; will retry', error);
        } else {
          this.#logger.error({ orderId: order.id, sku: item.sku, quantity: item.quantity, err: error }, 'stock return of a cancelled order has an unknown outcome; reconcile by hand');
        }
      }
    }
    return refused ? null : this.#move(order, 'DONE');
  }

  /**
   * Moves the saga from the step `order` was read at to `to`, if no other
   * driver moved it meanwhile, together with a status change (history row
   * and outbox event) and the checkout's answer. The first answer stored
   * stands: later ones are ignored.
   */
  async #move(
    order: Order,
    to: SagaStep,
    change: { status?: OrderStatus; reason?: string; outcome?: CheckoutOutcome; onlyIfStatus?: OrderStatus; onlyIfNoRefunds?: boolean } = {},
  ): Promise<StepResult> {
    const from = order.sagaStep;
    assertSagaMove(from, to);
    return this.#repository().transactional(async (repository) => {
      const locked = await repository.lockById(order.id);
      if (!locked || locked.sagaStep !== from) return null;
      if (change.onlyIfStatus && locked.status !== change.onlyIfStatus) return null;
      if (change.onlyIfNoRefunds && (await repository.hasRefunds(order.id))) return null;
      const at = new Date();
      if (change.status) await repository.recordStatus(locked, assertTransition(locked.status, change.status), change.reason ?? null, at);
      locked.sagaStep = to;
      locked.sagaUpdatedAt = at;
      if (change.outcome && !locked.outcome) locked.outcome = change.outcome;
      await repository.flush();
      return locked;
    });
  }

  /**
   * Like #move, for a step whose call may have created something (a hold, an
   * authorization): if another driver took the saga over meanwhile (a
   * sweeper compensating it), that driver may have released before our call
   * landed, so we release what we may hold ourselves.
   */
  async #moveOrUndo(order: Order, to: SagaStep): Promise<StepResult> {
    const result = await this.#move(order, to);
    if (result) return result;
    await Promise.allSettled([this.#services.payments.void(order.id), this.#services.inventory.release(order.id)]);
    return result;
  }

  #repository(): OrderRepository {
    return new OrderRepository(this.#orm.em.fork());
  }

  #warn(order: Order, message: string, error: ServiceCallError): void {
    this.#logger.warn({ orderId: order.id, step: order.sagaStep, service: error.service, kind: error.kind, code: error.code, err: error }, message);
  }

  #compensationFailed(order: Order, error: ServiceCallError): void {
    // A refusal here means the other service's state is not what the saga
    // expects (e.g. a captured payment it is asked to void): a human must look.
    if (error.kind === 'rejected') this.#logger.error({ orderId: order.id, step: order.sagaStep, err: error }, 'compensation refused; the saga needs attention');
    else this.#warn(order, 'compensation could not finish now; the sweeper will retry', error);
  }
}

/** The history reason of a checkout that was called off, from the answer it gave. */
function cancellationReason(outcome: CheckoutOutcome | null | undefined): string {
  switch (outcome?.type) {
    case 'PaymentDeclined':
      return `payment declined: ${outcome.reason}`;
    case 'InsufficientStock':
      return `insufficient stock of ${outcome.sku}`;
    case 'Failed':
      return 'checkout failed';
    default:
      return 'checkout interrupted';
  }
}
