/**
 * A background task that runs every `intervalMs` (after the previous run has
 * finished, so runs never overlap), until stopped. `stop()` waits for a run
 * in progress. Used by sweepers and relays: each run drains what is due.
 */
export interface PeriodicTask {
  stop(): Promise<void>;
}

/** `run` gets `isStopped` to end a drain loop early; errors are the task's to handle. */
export function startPeriodicTask(intervalMs: number, run: (isStopped: () => boolean) => Promise<void>): PeriodicTask {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const isStopped = () => stopped;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run(isStopped).then(schedule, schedule);
    }, intervalMs);
    // Background work never keeps a process alive on its own.
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
