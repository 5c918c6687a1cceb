import { randomUUID } from 'node:crypto';
import { badUserInput, canActFor, conflict, hasRole, isUuid, notFound, requireRole, splitByKey, type Viewer } from '@shop/platform';
import { IdempotencyKeyReuseError, ProviderTimeoutError, type PaymentProviderClient } from '../provider/provider-client.ts';
import type { ChargeReference, OperationOutcome } from '../provider/payment-provider.ts';
import type { Payment } from './payment.entity.ts';
import { providerUnavailable } from './payment.errors.ts';
import type { PaymentLoaders } from './payment.loaders.ts';
import type { NewPayment, PaymentRepository } from './payment.repository.ts';
import { isCaptured, refundableAmount, statusAfterRefund } from './payment.status.ts';

export interface AuthorizeArgs {
  orderId: string;
  userId: string;
  token: string;
  amount: number;
  currency: string;
}

export interface RefundArgs {
  orderId: string;
  amount: number;
  idempotencyKey?: string | null;
}

/** An authorization either holds the money or is declined; a decline is an outcome, not an error. */
export type AuthorizeResult =
  | { kind: 'authorized'; payment: Payment }
  | { kind: 'declined'; reason: string; message: string };

export const PROVIDER_TIMEOUT_DECLINE = {
  reason: 'provider_timeout',
  message: 'The payment could not be confirmed in time. Try again.',
} as const;

/** Payments are private: only their customer, ADMINs and internal services (SERVICE) see them. */
export function canViewPayment(viewer: Viewer | null, payment: Pick<Payment, 'userId'>): boolean {
  // SERVICE: orders, answering an order's payment in a checkout retry for the order's own customer.
  return canActFor(viewer, payment.userId) || hasRole(viewer, 'SERVICE');
}

// One key per order and operation: the saga may call any of these again
// (after a crash or a timeout) and gets the first outcome back.
export const providerKey = {
  authorize: (orderId: string) => `order:${orderId}:authorize`,
  capture: (orderId: string) => `order:${orderId}:capture`,
  void: (orderId: string) => `order:${orderId}:void`,
  refund: (orderId: string, amount: number, idempotencyKey?: string | null) =>
    idempotencyKey ? `order:${orderId}:refund:key:${idempotencyKey}` : `order:${orderId}:refund:amount:${amount}`,
};

function requireInternalCaller(viewer: Viewer | null): Viewer {
  return requireRole(viewer, 'SERVICE', 'ADMIN');
}

function validateAuthorizeArgs(args: AuthorizeArgs): void {
  if (!isUuid(args.orderId)) throw badUserInput('"orderId" must be an order id.', 'orderId');
  if (!isUuid(args.userId)) throw badUserInput('"userId" must be a user id.', 'userId');
  if (!args.token || args.token.length > 200) throw badUserInput('"token" must be a payment token.', 'token');
  if (!Number.isInteger(args.amount) || args.amount < 1) throw badUserInput('"amount" must be a positive number of minor units.', 'amount');
  if (!/^[A-Z]{3}$/.test(args.currency)) throw badUserInput('"currency" must be an ISO 4217 code such as USD.', 'currency');
}

function sameAuthorizeArgs(a: AuthorizeArgs, b: AuthorizeArgs): boolean {
  return a.userId === b.userId && a.token === b.token && a.amount === b.amount && a.currency === b.currency;
}

/** The payment to record for the charge the provider made: AUTHORIZED, or FAILED with the issuer's reason. */
function newPayment(args: AuthorizeArgs, charge: ChargeReference, decline: { reason: string; message: string } | null): NewPayment {
  return {
    id: randomUUID(),
    orderId: args.orderId,
    userId: args.userId,
    status: decline ? 'FAILED' : 'AUTHORIZED',
    amount: args.amount,
    currency: args.currency,
    cardBrand: charge.brand,
    cardLast4: charge.last4,
    providerRef: charge.providerRef,
    failureReason: decline?.reason ?? null,
    failureMessage: decline?.message ?? null,
  };
}

function byOrder(payments: readonly Payment[]): Map<string, Payment> {
  return new Map(payments.map((p) => [p.orderId, p]));
}

/** The error `check` throws, or undefined when it returns. */
function failure(check: () => unknown): Error | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return asError(error);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The one answer of a batch of one: its error is thrown. */
function only<T>(answers: readonly (T | Error)[]): T {
  const [answer] = answers;
  if (answer instanceof Error) throw answer;
  return answer as T;
}

function resultOf(payment: Payment): AuthorizeResult {
  return payment.status === 'FAILED'
    ? { kind: 'declined', reason: payment.failureReason ?? 'card_declined', message: payment.failureMessage ?? 'Your card was declined.' }
    : { kind: 'authorized', payment };
}

/**
 * Payments of orders. Reads are for the payment's customer and ADMINs; the
 * operations (authorize, capture, void, refund) are for the orders saga,
 * called with an internal SERVICE identity (or by an ADMIN), and each is
 * idempotent per order.
 */
export class PaymentService {
  readonly #repository: PaymentRepository;
  readonly #loaders: PaymentLoaders;
  readonly #provider: PaymentProviderClient;
  constructor(repository: PaymentRepository, loaders: PaymentLoaders, provider: PaymentProviderClient) {
    this.#repository = repository;
    this.#loaders = loaders;
    this.#provider = provider;
  }

  /** The payment when the viewer may see it; another user's payment is null, like a missing one. */
  async findPayment(viewer: Viewer | null, id: string): Promise<Payment | null> {
    const payment = await this.#loaders.paymentById.load(id);
    return payment && canViewPayment(viewer, payment) ? payment : null;
  }

  async findPaymentOfOrder(viewer: Viewer | null, orderId: string): Promise<Payment | null> {
    const payment = await this.#loaders.paymentByOrderId.load(orderId);
    return payment && canViewPayment(viewer, payment) ? payment : null;
  }

  /**
   * Holds `amount` on the tokenized card for the order. The first outcome
   * for an order stands: a repeated call returns the same payment (or the
   * same decline) without charging again. A provider timeout is a decline
   * the caller may retry; the provider call stays open under its key.
   */
  async authorize(viewer: Viewer | null, args: AuthorizeArgs): Promise<AuthorizeResult> {
    return only(await this.authorizeMany(viewer, [args]));
  }

  /**
   * `authorize` for many orders (the orders service's group commit): each
   * decided as it would be alone, answers in request order, an order that
   * failed on its own as its error. A batch costs five statements, however
   * many orders it holds: their payments read at once, the provider ledger
   * opened at once, one provider batch (one statement in the sandbox), the
   * ledger completed at once, the new payments and their events inserted at
   * once. An order named twice with the same request gets the same answer;
   * with a different one, it is decided after the first (a CONFLICT).
   */
  async authorizeMany(viewer: Viewer | null, requests: readonly AuthorizeArgs[]): Promise<(AuthorizeResult | Error)[]> {
    requireInternalCaller(viewer);
    const answers: (AuthorizeResult | Error | undefined)[] = new Array(requests.length);
    let waiting: number[] = [];
    requests.forEach((args, i) => {
      const invalid = failure(() => validateAuthorizeArgs(args));
      if (invalid) answers[i] = invalid;
      else waiting.push(i);
    });
    while (waiting.length > 0) {
      const { leaders, followers, later } = splitByKey(
        waiting,
        (i) => requests[i]!.orderId,
        (a, b) => sameAuthorizeArgs(requests[a]!, requests[b]!),
      );
      const decided = await this.#authorizeOnce(leaders.map((i) => requests[i]!));
      leaders.forEach((i, j) => (answers[i] = decided[j]));
      for (const [follower, leader] of followers) answers[follower] = answers[leader];
      waiting = later;
    }
    return answers as (AuthorizeResult | Error)[];
  }

  /** One round of authorizeMany: orders distinct. */
  async #authorizeOnce(requests: readonly AuthorizeArgs[]): Promise<(AuthorizeResult | Error)[]> {
    const answers: (AuthorizeResult | Error | undefined)[] = new Array(requests.length);
    const existing = byOrder(await this.#repository.findCurrentByOrderIds(requests.map((r) => r.orderId)));
    const toProvider: number[] = [];
    requests.forEach((args, i) => {
      const payment = existing.get(args.orderId);
      if (payment) answers[i] = failure(() => this.#sameRequest(payment, args)) ?? resultOf(payment);
      else toProvider.push(i);
    });

    const outcomes = await this.#provider.authorizeMany(
      toProvider.map((i) => {
        const args = requests[i]!;
        return {
          key: providerKey.authorize(args.orderId),
          request: { token: args.token, customerId: args.userId, amount: args.amount, currency: args.currency },
        };
      }),
    );
    const toRecord: { i: number; payment: NewPayment }[] = [];
    toProvider.forEach((i, j) => {
      const args = requests[i]!;
      const outcome = outcomes[j]!;
      if (outcome instanceof ProviderTimeoutError) answers[i] = { kind: 'declined', ...PROVIDER_TIMEOUT_DECLINE };
      else if (outcome instanceof Error) answers[i] = asError(this.#translate(outcome));
      else if (outcome.status === 'authorized') toRecord.push({ i, payment: newPayment(args, outcome, null) });
      // Token problems never reached the issuer: nothing to record but the
      // ledger entry, which already answers a retry the same way.
      else if (!outcome.charge) answers[i] = { kind: 'declined', reason: outcome.reason, message: outcome.message };
      else toRecord.push({ i, payment: newPayment(args, outcome.charge, { reason: outcome.reason, message: outcome.message }) });
    });

    const recorded = byOrder(await this.#repository.insertManyIfAbsent(toRecord.map((r) => r.payment)));
    for (const { i, payment } of toRecord) {
      const standing = recorded.get(payment.orderId);
      answers[i] = standing ? resultOf(standing) : new Error(`the payment of order ${payment.orderId} was not recorded`);
    }
    return answers as (AuthorizeResult | Error)[];
  }

  /** Takes the authorized money. Capturing a captured payment returns it unchanged. */
  async capture(viewer: Viewer | null, orderId: string): Promise<Payment> {
    return only(await this.captureMany(viewer, [orderId]));
  }

  /**
   * `capture` for many orders: each as it would be alone, answers in request
   * order, an order that failed on its own as its error (NOT_FOUND without a
   * payment, CONFLICT when not capturable). Five statements per batch: the
   * payments read at once, the ledger opened at once, one provider batch, the
   * ledger completed at once, the payments moved to CAPTURED with their
   * PaymentCaptured events at once.
   */
  async captureMany(viewer: Viewer | null, orderIds: readonly string[]): Promise<(Payment | Error)[]> {
    requireInternalCaller(viewer);
    const distinct = [...new Set(orderIds)];
    const answers = new Map<string, Payment | Error>();
    const payments = byOrder(await this.#repository.findCurrentByOrderIds(distinct));
    const toCapture: Payment[] = [];
    for (const orderId of distinct) {
      const payment = payments.get(orderId);
      if (!payment) answers.set(orderId, notFound(`Order ${orderId} has no payment.`));
      else if (isCaptured(payment.status)) answers.set(orderId, payment);
      else if (payment.status !== 'AUTHORIZED') answers.set(orderId, conflict(`The payment of order ${orderId} is ${payment.status} and cannot be captured.`));
      else toCapture.push(payment);
    }

    const outcomes = await this.#provider.captureMany(toCapture.map((p) => ({ key: providerKey.capture(p.orderId), providerRef: p.providerRef })));
    const succeeded: Payment[] = [];
    toCapture.forEach((payment, j) => {
      const outcome = outcomes[j]!;
      const refused = outcome instanceof Error ? asError(this.#translate(outcome)) : failure(() => this.#succeeded(outcome));
      if (refused) answers.set(payment.orderId, refused);
      else succeeded.push(payment);
    });

    const moved = byOrder(await this.#repository.moveStatusMany(succeeded.map((p) => p.id), ['AUTHORIZED'], 'CAPTURED'));
    // Not moved: a concurrent call changed it first; as alone, the payment is returned as it now is.
    const changed = byOrder(await this.#repository.findCurrentByOrderIds(succeeded.filter((p) => !moved.has(p.orderId)).map((p) => p.orderId)));
    for (const { orderId } of succeeded) answers.set(orderId, moved.get(orderId) ?? changed.get(orderId) ?? notFound(`Order ${orderId} has no payment.`));
    return orderIds.map((orderId) => answers.get(orderId)!);
  }

  /**
   * Releases an authorization (the saga's compensation before capture).
   * Null when the order has no payment, so compensating twice, or before
   * anything was authorized, is harmless. A declined payment holds nothing
   * and is returned as it is.
   */
  async void(viewer: Viewer | null, orderId: string): Promise<Payment | null> {
    requireInternalCaller(viewer);
    const payment = await this.#repository.findByOrderId(orderId);
    if (!payment || payment.status === 'VOIDED' || payment.status === 'FAILED') return payment;
    if (payment.status !== 'AUTHORIZED') throw conflict(`The payment of order ${orderId} is ${payment.status}; refund it instead of voiding it.`);
    this.#succeeded(await this.#call(() => this.#provider.void(providerKey.void(orderId), payment.providerRef)));
    await this.#repository.moveStatus(payment.id, ['AUTHORIZED'], 'VOIDED');
    return this.#getPaymentOfOrder(orderId);
  }

  /**
   * Pays back `amount` of a captured payment. Idempotent per order and
   * `idempotencyKey`, or per order and amount when no key is given: send
   * distinct keys for two equal partial refunds.
   */
  async refund(viewer: Viewer | null, args: RefundArgs): Promise<Payment> {
    requireInternalCaller(viewer);
    if (!Number.isInteger(args.amount) || args.amount < 1) throw badUserInput('"amount" must be a positive number of minor units.', 'amount');
    if (args.idempotencyKey !== undefined && args.idempotencyKey !== null && !/^[\w:.-]{1,100}$/.test(args.idempotencyKey)) {
      throw badUserInput('"idempotencyKey" must be 1 to 100 letters, digits or _ : . -', 'idempotencyKey');
    }
    const payment = await this.#getPaymentOfOrder(args.orderId);
    const key = providerKey.refund(args.orderId, args.amount, args.idempotencyKey);
    const applied = await this.#repository.findRefundByKey(key);
    if (applied) {
      if (applied.amount !== args.amount) throw conflict(`Refund key ${args.idempotencyKey} was used for a different amount.`);
      return payment;
    }
    if (!isCaptured(payment.status)) throw conflict(`The payment of order ${args.orderId} is ${payment.status}; only a captured payment can be refunded.`);
    const left = refundableAmount(payment);
    if (args.amount > left) throw badUserInput(`"amount" must be at most ${left}, what is left to refund.`, 'amount');

    const outcome = this.#succeeded(await this.#call(() => this.#provider.refund(key, payment.providerRef, args.amount)));
    return this.#repository.transactional(async (tx) => {
      const locked = (await tx.lockByOrderId(args.orderId))!;
      if (await tx.findRefundByKey(key)) return locked;
      tx.addRefund(locked, { idempotencyKey: key, amount: args.amount, providerRef: outcome.providerRef }, statusAfterRefund(locked, args.amount));
      await tx.recordEvent(locked);
      await tx.flush();
      return locked;
    });
  }

  async #getPaymentOfOrder(orderId: string): Promise<Payment> {
    const payment = await this.#repository.findByOrderId(orderId);
    if (!payment) throw notFound(`Order ${orderId} has no payment.`);
    return payment;
  }

  #sameRequest(payment: Payment, args: AuthorizeArgs): Payment {
    if (payment.userId !== args.userId || payment.amount !== args.amount || payment.currency !== args.currency) {
      throw conflict(`Order ${args.orderId} already has a payment for a different customer, amount or currency.`);
    }
    return payment;
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#translate(error);
    }
  }

  #translate(error: unknown): unknown {
    if (error instanceof ProviderTimeoutError) return providerUnavailable();
    if (error instanceof IdempotencyKeyReuseError) return conflict(error.message);
    return error;
  }

  #succeeded(outcome: OperationOutcome): Extract<OperationOutcome, { status: 'succeeded' }> {
    if (outcome.status === 'failed') throw conflict(`The payment provider refused: ${outcome.message} (${outcome.reason})`);
    return outcome;
  }
}
