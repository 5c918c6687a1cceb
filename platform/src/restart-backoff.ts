/**
 * How long to wait before starting again a process that exited: at once
 * after a run of more than `steadyMs` (a rolling restart, an OOM kill), then
 * 1, 2, 4 ... up to 15 s while it keeps exiting soon after its start, so a
 * process that cannot start does not spin. Shared by the stack's supervisor
 * (one child process per service) and the cluster primary (its workers).
 */
export class RestartBackoff {
  readonly #steadyMs: number;
  #restarts = 0;

  constructor(steadyMs = 30_000) {
    this.#steadyMs = steadyMs;
  }

  /** Restarts in a row, each soon after the previous start. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The delay before the next start of a process that ran for `ranMs`; counts the restart. */
  next(ranMs: number): number {
    if (ranMs > this.#steadyMs) this.#restarts = 0;
    const delay = this.#restarts === 0 ? 0 : Math.min(1000 * 2 ** (this.#restarts - 1), 15_000);
    this.#restarts += 1;
    return delay;
  }

  /** The process is healthy again (it answered ready). */
  reset(): void {
    this.#restarts = 0;
  }
}
