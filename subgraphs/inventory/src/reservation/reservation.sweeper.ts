import { startPeriodicTask, type Logger, type MikroORM } from '@shop/platform';
import type { StockNotifier } from '../stock/stock.notifier.ts';
import { ReservationService } from './reservation.service.ts';

export interface ReservationSweeperOptions {
  orm: MikroORM;
  /** Announces the returned units (cache and live subscribers). */
  notifier: StockNotifier;
  logger: Logger;
  intervalMs: number;
  /** Orders released per transaction batch; a full batch is followed by another at once. */
  batchSize?: number;
}

export interface ReservationSweeper {
  /** Stops scheduling and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Releases expired HELD reservations every `intervalMs`, so stock held by a
 * checkout that never finished goes back on sale. Every replica may run one:
 * a reservation moves out of HELD under its order's lock and only once, so
 * two sweepers never return the same units twice.
 */
export function startReservationSweeper(options: ReservationSweeperOptions): ReservationSweeper {
  const batchSize = options.batchSize ?? 100;
  return startPeriodicTask(options.intervalMs, async (isStopped) => {
    try {
      let released: number;
      do {
        released = await new ReservationService(options.orm.em.fork(), { notifier: options.notifier }).releaseExpired(batchSize);
        if (released > 0) options.logger.info({ released }, 'expired reservations released');
      } while (released === batchSize && !isStopped());
    } catch (error) {
      options.logger.error({ err: error }, 'reservation sweep failed');
    }
  });
}
