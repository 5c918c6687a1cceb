import { GraphQLError } from 'graphql';
import { badUserInput, conflict, notFound, requireRole, type Viewer } from '@shop/platform';
import { CheckoutErrorCode } from '../checkout/checkout-outcome.ts';
import type { Order } from '../order/order.entity.ts';
import { partialRefundEvent } from '../order/order.events.ts';
import type { OrderRepository } from '../order/order.repository.ts';
import type { PaymentsClient } from '../remote/payments.client.ts';
import { ServiceCallError } from '../remote/service-client.ts';
import type { RefundRepository, RefundRow } from './refund.repository.ts';

export interface RefundOrderArgs {
  orderId: string;
  /** Minor units; omitted: everything not yet refunded. */
  amount?: number | null;
  idempotencyKey?: string | null;
}

/** The error code of a refund larger than what is left to refund. */
export const REFUND_EXCEEDS_REMAINING = 'REFUND_EXCEEDS_REMAINING';

const REFUNDABLE = new Set(['CONFIRMED', 'FULFILLED']);

/**
 * The request key a refund is idempotent by: the client's key, or else the
 * amount asked for ("full" when none), as payments does.
 */
export function refundRequestKey(args: RefundOrderArgs): string {
  if (args.idempotencyKey) return `key:${args.idempotencyKey}`;
  return args.amount == null ? 'full' : `amount:${args.amount}`;
}

export interface RefundServiceDeps {
  repository: RefundRepository;
  orders: OrderRepository;
  payments: PaymentsClient;
}

/**
 * Admins' refunds of paid orders, through payments. A refund is a request
 * row first (under the order's lock, so concurrent requests cannot promise
 * more than the order's total), then the payments call (idempotent per
 * refund row), then the settlement: the row SUCCEEDED and either the
 * OrderRefunded event of a partial refund or, when nothing is left, the
 * order REFUNDED. A request whose payments call did not answer stays
 * PENDING; sending the same request again finishes it.
 */
export class RefundService {
  readonly #repository: RefundRepository;
  readonly #orders: OrderRepository;
  readonly #payments: PaymentsClient;
  constructor(deps: RefundServiceDeps) {
    this.#repository = deps.repository;
    this.#orders = deps.orders;
    this.#payments = deps.payments;
  }

  async refund(viewer: Viewer | null, args: RefundOrderArgs): Promise<Order> {
    const admin = requireRole(viewer, 'ADMIN');
    checkArgs(args);
    if (!(await this.#orders.findFresh(args.orderId))) throw notFound(`No order ${args.orderId}.`);
    const refund = await this.#request(admin, args);
    if (refund.status === 'PENDING') {
      await this.#payBack(refund);
      await this.#settle(refund);
    }
    return (await this.#orders.findFresh(args.orderId))!;
  }

  /** Finds the request under its key, or records a new one within what is left to refund. */
  #request(admin: Viewer, args: RefundOrderArgs): Promise<RefundRow> {
    const requestKey = refundRequestKey(args);
    return this.#repository.transactional(async (tx, orders) => {
      const order = (await orders.lockById(args.orderId))!;
      const existing = await tx.findByKey(order.id, requestKey);
      if (existing) {
        if (args.amount != null && existing.amount !== args.amount) throw conflict(`Refund key ${args.idempotencyKey} was used for a different amount (${existing.amount}).`);
        return existing;
      }
      if (order.status === 'REFUNDED') throw conflict('This order has been refunded in full; nothing is left to refund.');
      if (!REFUNDABLE.has(order.status) || order.sagaStep !== 'DONE') {
        throw conflict(`This order is ${order.status}${order.sagaStep !== 'DONE' ? ' with a change in progress' : ''}; only a confirmed or fulfilled order can be refunded.`);
      }
      const remaining = order.totalAmount - (await tx.sumOfOrder(order.id, 'all'));
      const amount = args.amount ?? remaining;
      if (amount > remaining || amount < 1) {
        throw new GraphQLError(`Only ${remaining} (minor units of ${order.currency}) is left to refund on this order; ${amount} was asked.`, {
          extensions: { code: REFUND_EXCEEDS_REMAINING, field: 'amount', remaining },
        });
      }
      return tx.insert({ orderId: order.id, requestKey, amount, currency: order.currency, requestedBy: admin.userId });
    });
  }

  /** Asks payments to pay the refund back; its key is the refund's id, so asking twice never pays twice. */
  async #payBack(refund: RefundRow): Promise<void> {
    try {
      await this.#payments.refund(refund.orderId, refund.amount, `refund:${refund.id}`);
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      if (error.kind === 'rejected') {
        await this.#repository.delete(refund.id);
        throw conflict(`Payments refused the refund: ${error.message}`);
      }
      throw new GraphQLError('Payments did not confirm the refund in time; send the same request again to finish it.', {
        extensions: { code: CheckoutErrorCode.SERVICE_UNAVAILABLE },
      });
    }
  }

  /** Marks the refund done and publishes it: the order REFUNDED when nothing is left, OrderRefunded either way. */
  async #settle(refund: RefundRow): Promise<void> {
    await this.#repository.transactional(async (tx, orders) => {
      const order = (await orders.lockById(refund.orderId))!;
      const current = await tx.findByKey(order.id, refund.requestKey);
      if (current?.status !== 'PENDING') return;
      await tx.markSucceeded(refund.id, new Date());
      const refunded = await tx.sumOfOrder(order.id, 'succeeded');
      const details = { refundId: refund.id, amount: refund.amount, refunded, remaining: order.totalAmount - refunded };
      if (refunded < order.totalAmount) {
        await orders.recordEvent(partialRefundEvent(order, details));
        return;
      }
      const money = (amount: number) => ({ amount, currency: order.currency });
      await orders.recordStatus(order, 'REFUNDED', 'refunded in full', new Date(), {
        ...details,
        amount: money(details.amount),
        refunded: money(refunded),
        remaining: money(0),
      });
      await orders.flush();
    });
  }
}

function checkArgs(args: RefundOrderArgs): void {
  if (args.amount != null && (!Number.isInteger(args.amount) || args.amount < 1)) {
    throw badUserInput('"amount" must be a positive number of minor units, or omitted to refund everything left.', 'amount');
  }
  if (args.idempotencyKey != null && !/^[\w:.-]{1,100}$/.test(args.idempotencyKey)) {
    throw badUserInput('"idempotencyKey" must be 1 to 100 letters, digits or _ : . -', 'idempotencyKey');
  }
}
