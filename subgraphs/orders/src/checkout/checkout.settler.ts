import { startStreamConsumer, type Logger, type StreamConsumer } from '@shop/platform';
import type { Redis } from 'ioredis';
import type { CheckoutSaga } from './checkout.saga.ts';

export interface CheckoutSettlerOptions {
  /** A Redis connection (the consumer blocks on a duplicate of it). */
  redis: Redis;
  /** The order events stream (`events:orders`). */
  stream: string;
  saga: CheckoutSaga;
  logger: Logger;
  /** Consumer group; every orders replica joins the same one. */
  group?: string;
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
  return startStreamConsumer({
    redis: options.redis,
    stream: options.stream,
    group: options.group ?? SETTLER_GROUP,
    logger: options.logger,
    maxAttempts,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
    ...(options.claimIntervalMs ? { claimIntervalMs: options.claimIntervalMs } : {}),
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
    async handle(event) {
      if (event.type !== 'OrderPlaced') return;
      const { orderId } = event.payload as { orderId: string };
      const order = await options.saga.drive(orderId, { kind: 'recovery' });
      if (!order || order.sagaStep === 'DONE') return;
      if (order.sagaStep === 'CAPTURING' && event.attempt >= maxAttempts && (await options.saga.abandonCapture(orderId))) return;
      throw new Error(`checkout of order ${orderId} is not settled yet (at ${order.sagaStep})`);
    },
  });
}
