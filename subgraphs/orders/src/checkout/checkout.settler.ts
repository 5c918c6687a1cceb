import { isUuid, startStreamConsumer, type Logger, type MikroORM, type StreamConsumer, type StreamEvent } from '@shop/platform';
import type { Redis } from 'ioredis';
import type { Order } from '../order/order.entity.ts';
import { OrderRepository } from '../order/order.repository.ts';
import type { SagaServices } from '../remote/saga-services.ts';
import { ServiceCallError } from '../remote/service-client.ts';
import type { CheckoutSaga } from './checkout.saga.ts';

export interface CheckoutSettlerOptions {
  /** A Redis connection (the consumer blocks on a duplicate of it). */
  redis: Redis;
  /** The order events stream (`events:orders`). */
  stream: string;
  orm: MikroORM;
  services: SagaServices;
  saga: CheckoutSaga;
  logger: Logger;
  /** Consumer group; every orders replica joins the same one. */
  group?: string;
  /** Events read (and settled together) per read. Default 100. */
  batchSize?: number;
  /** Failed attempts at settling one order before its capture is given up and the order compensated. */
  maxAttempts?: number;
  /** Pause before retry `attempt` (ms); default 200 ms doubling, at most 10 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Pending entries of a dead replica are taken over after this long (ms). */
  claimIdleMs?: number;
  claimIntervalMs?: number;
  blockMs?: number;
}

export const SETTLER_GROUP = 'orders-checkout-settler';

/**
 * The second half of a batched checkout, after the buyer's answer: for each
 * OrderPlaced event, capture the payment and commit the stock (the saga's
 * CAPTURING and COMMITTING steps, each idempotent per order), on a Redis
 * Streams consumer group shared by the orders replicas (platform's
 * stream consumer: dedup by event id, retries with backoff, XAUTOCLAIM of
 * a dead replica's entries, a dead-letter stream).
 *
 * The events of one read are settled together, as the batcher places
 * them: one select of their orders, one capturePayments call, one
 * statement moving the captured ones to COMMITTING, one commitReservations
 * call, one statement moving the committed ones to DONE. Each move is a
 * compare-and-set on the saga step, so an order a sweeper took over
 * meanwhile is left to it. Anything off that path (a service that did not
 * answer for the batch or for one order, a hold that expired, a retry, an
 * order at another step) is settled on its own by the saga, one step at a
 * time, exactly as a lone checkout would be.
 *
 * A service that does not answer makes the attempt fail: it is retried
 * with backoff. On the last attempt, an order still at CAPTURING is
 * compensated (authorization voided, stock released, CANCELLED with a
 * reason saying the payment could not be captured). An order already
 * captured is never compensated: the saga finishes it (or refunds it when
 * its hold expired). The sweeper stays the backstop for all of it (no
 * Redis, a dead-lettered event). An OrderPlaced of a naive checkout finds
 * the saga DONE and does nothing.
 */
export function startCheckoutSettler(options: CheckoutSettlerOptions): Promise<StreamConsumer> {
  const maxAttempts = options.maxAttempts ?? 8;
  const settler = new BatchSettler(options, maxAttempts);
  return startStreamConsumer({
    redis: options.redis,
    stream: options.stream,
    group: options.group ?? SETTLER_GROUP,
    logger: options.logger,
    maxAttempts,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
    ...(options.claimIntervalMs ? { claimIntervalMs: options.claimIntervalMs } : {}),
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
    handleBatch: (events) => settler.settle(events),
  });
}

class BatchSettler {
  readonly #options: CheckoutSettlerOptions;
  readonly #maxAttempts: number;

  constructor(options: CheckoutSettlerOptions, maxAttempts: number) {
    this.#options = options;
    this.#maxAttempts = maxAttempts;
  }

  async settle(events: readonly StreamEvent[]): Promise<(Error | undefined)[]> {
    const errors: (Error | undefined)[] = events.map(() => undefined);
    // Which event settles which order; a first attempt of a well-formed OrderPlaced may go the batch way.
    const batchable = new Map<string, number>();
    const alone: number[] = [];
    events.forEach((event, i) => {
      if (event.type !== 'OrderPlaced') return;
      const orderId = orderIdOf(event);
      if (event.attempt === 1 && orderId && !batchable.has(orderId)) batchable.set(orderId, i);
      else alone.push(i);
    });
    if (batchable.size) {
      try {
        alone.push(...(await this.#settleTogether(batchable)));
      } catch (error) {
        // The batch path failed as a whole (a database error): every order settles on its own.
        this.#options.logger.warn({ err: error, orders: batchable.size }, 'batch settlement failed; settling each order alone');
        alone.push(...batchable.values());
      }
    }
    await Promise.all(
      alone.map(async (i) => {
        try {
          await this.#settleAlone(events[i]!);
        } catch (error) {
          errors[i] = error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    return errors;
  }

  /** The happy path for many orders at once; returns the events whose orders must be settled alone. */
  async #settleTogether(eventOf: Map<string, number>): Promise<number[]> {
    const { orm, services } = this.#options;
    const repository = new OrderRepository(orm.em.fork());
    const orders = await repository.findByIds([...eventOf.keys()]);
    const found = new Set(orders.map((o) => o.id));
    // Missing orders (another database, a deleted test row) and orders elsewhere in their saga go the one-order way.
    const alone = new Set<string>([...eventOf.keys()].filter((id) => !found.has(id)));
    const ofStep = (step: string) => orders.filter((o) => o.sagaStep === step && o.status === 'CONFIRMED');
    for (const o of orders) if (o.sagaStep !== 'DONE' && !((o.sagaStep === 'CAPTURING' || o.sagaStep === 'COMMITTING') && o.status === 'CONFIRMED')) alone.add(o.id);

    const capturing = ofStep('CAPTURING').map((o) => o.id);
    const committing = ofStep('COMMITTING').map((o) => o.id);
    if (capturing.length) {
      const results = await callForAll(() => services.payments.captureMany(capturing), capturing.length);
      const captured: string[] = [];
      capturing.forEach((id, i) => (results[i] instanceof ServiceCallError ? alone.add(id) : captured.push(id)));
      const moved = await this.#move(repository, captured, 'CAPTURING', 'COMMITTING');
      for (const id of captured) {
        if (moved.has(id)) committing.push(id);
        else alone.add(id);
      }
    }
    if (committing.length) {
      const results = await callForAll(() => services.inventory.commitMany(committing), committing.length);
      // A hold that ended before it was committed (`released`) is refunded by the saga, alone.
      const committed: string[] = [];
      committing.forEach((id, i) => (results[i] === 'committed' ? committed.push(id) : alone.add(id)));
      const moved = await this.#move(repository, committed, 'COMMITTING', 'DONE');
      for (const id of committed) if (!moved.has(id)) alone.add(id);
    }
    return [...alone].map((id) => eventOf.get(id)!);
  }

  /** One statement: compare-and-set of the saga step of `ids` from `from` to `to`; the ids that moved. */
  async #move(repository: OrderRepository, ids: readonly string[], from: 'CAPTURING' | 'COMMITTING', to: 'COMMITTING' | 'DONE'): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const moved: Order[] = await repository.moveSagas(
      ids.map((id) => ({ id, from, to })),
      new Date(),
    );
    return new Set(moved.map((o) => o.id));
  }

  /** One order, step by step through the saga (a retry, or anything the batch path could not settle). */
  async #settleAlone(event: StreamEvent): Promise<void> {
    const orderId = orderIdOf(event);
    if (!orderId) {
      this.#options.logger.warn({ eventId: event.id, entryId: event.entryId }, 'OrderPlaced event without an order id; nothing to settle');
      return;
    }
    const { saga } = this.#options;
    const order = await saga.drive(orderId, { kind: 'recovery' });
    if (!order || order.sagaStep === 'DONE') return;
    if (order.sagaStep === 'CAPTURING' && event.attempt >= this.#maxAttempts && (await saga.abandonCapture(orderId))) return;
    throw new Error(`checkout of order ${orderId} is not settled yet (at ${order.sagaStep})`);
  }
}

function orderIdOf(event: StreamEvent): string | null {
  const orderId = (event.payload as { orderId?: unknown } | null)?.orderId;
  return typeof orderId === 'string' && isUuid(orderId) ? orderId : null;
}

/** A batch call whose failure as a whole counts as a failure of each of its items. */
async function callForAll<T>(call: () => Promise<readonly (T | ServiceCallError)[]>, count: number): Promise<readonly (T | ServiceCallError)[]> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ServiceCallError)) throw error;
    return Array.from({ length: count }, () => error);
  }
}
