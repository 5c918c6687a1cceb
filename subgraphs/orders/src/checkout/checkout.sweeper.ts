import { startPeriodicTask, type Logger, type MikroORM } from '@shop/platform';
import { OrderRepository } from '../order/order.repository.ts';
import type { CheckoutSaga } from './checkout.saga.ts';

export interface CheckoutSweeperOptions {
  orm: MikroORM;
  saga: CheckoutSaga;
  logger: Logger;
  /** A saga that has not moved for this long is taken over (ms). Longer than any one step, timeouts and retry included. */
  staleAfterMs: number;
  /** Sagas claimed per sweep; a full batch is followed by another at once. */
  batchSize?: number;
}

export interface CheckoutSweeper {
  /** Claims the stale sagas of one batch and settles each; returns how many it claimed. */
  sweepOnce(): Promise<number>;
}

/**
 * Finishes or compensates sagas whose driver went away (a crash, a
 * redeploy, a service that did not answer). Every replica runs one: a saga
 * is claimed with `for update skip locked` and its clock pushed forward, so
 * two sweepers do not take the same saga; and if they ever did, each step's
 * compare-and-set lets only one of them move it.
 */
export function createCheckoutSweeper(options: CheckoutSweeperOptions): CheckoutSweeper {
  const batchSize = options.batchSize ?? 20;
  return {
    async sweepOnce() {
      const now = new Date();
      const ids = await new OrderRepository(options.orm.em.fork()).claimStaleSagas(new Date(now.getTime() - options.staleAfterMs), now, batchSize);
      // Settled side by side: one saga waiting on a slow service must not hold up the rest past their lease.
      await Promise.all(
        ids.map(async (orderId) => {
          try {
            const order = await options.saga.drive(orderId, { kind: 'recovery' });
            options.logger.info({ orderId, status: order?.status, step: order?.sagaStep }, 'sweeper settled a stalled checkout saga');
          } catch (error) {
            options.logger.error({ err: error, orderId }, 'sweeper could not settle a checkout saga');
          }
        }),
      );
      return ids.length;
    },
  };
}

export interface RunningCheckoutSweeper {
  /** Stops scheduling and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

/** Runs a sweeper every `intervalMs` until stopped. */
export function startCheckoutSweeper(options: CheckoutSweeperOptions & { intervalMs: number }): RunningCheckoutSweeper {
  const sweeper = createCheckoutSweeper(options);
  const batchSize = options.batchSize ?? 20;
  return startPeriodicTask(options.intervalMs, async (isStopped) => {
    try {
      let claimed: number;
      do {
        claimed = await sweeper.sweepOnce();
      } while (claimed === batchSize && !isStopped());
    } catch (error) {
      options.logger.error({ err: error }, 'checkout sweep failed');
    }
  });
}
