import type { Logger, MikroORM } from '@shop/platform';
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const sweep = async () => {
    try {
      let released: number;
      do {
        released = await new ReservationService(options.orm.em.fork(), { notifier: options.notifier }).releaseExpired(batchSize);
        if (released > 0) options.logger.info({ released }, 'expired reservations released');
      } while (released === batchSize && !stopped);
    } catch (error) {
      options.logger.error({ err: error }, 'reservation sweep failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep().then(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
