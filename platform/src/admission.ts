import type { Counter } from 'prom-client';
import { admissionRefusals } from './instruments.ts';

/**
 * Admission control for expensive work (a checkout saga): at most
 * `maxInFlight` run at once, up to `maxQueued` more wait their turn for at
 * most `maxWaitMs`, and anything beyond is refused at once. Under a crowd
 * that exceeds capacity, callers get a quick, retryable refusal instead of
 * queueing until their own timeouts fire, and the work admitted keeps a
 * bounded latency. Per process: every replica admits its own share.
 */
export interface AdmissionLimits {
  maxInFlight: number;
  maxQueued: number;
  maxWaitMs: number;
}

export class AdmissionRefused extends Error {
  readonly reason: 'queue-full' | 'waited-too-long';
  constructor(reason: 'queue-full' | 'waited-too-long') {
    super(reason === 'queue-full' ? 'too many requests are waiting' : 'waited too long for a turn');
    this.reason = reason;
  }
}

export class AdmissionGate {
  readonly limits: AdmissionLimits;
  #inFlight = 0;
  readonly #waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];

  readonly #refusals: Counter<'gate' | 'reason'>;
  readonly #gate: string;

  /** `gate` names the gate in `admission_refusals_total`. */
  constructor(limits: AdmissionLimits, gate = 'checkout') {
    this.limits = limits;
    this.#gate = gate;
    this.#refusals = admissionRefusals();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `work` once admitted; throws AdmissionRefused without running it otherwise. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.#enter();
    try {
      return await work();
    } finally {
      this.#leave();
    }
  }

  #enter(): Promise<void> {
    if (this.#inFlight < this.limits.maxInFlight) {
      this.#inFlight += 1;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.limits.maxQueued) return Promise.reject(this.#refuse('queue-full'));
    return new Promise((resolve, reject) => {
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.#waiting.indexOf(entry);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(this.#refuse('waited-too-long'));
        }, this.limits.maxWaitMs),
      };
      this.#waiting.push(entry);
    });
  }

  #refuse(reason: AdmissionRefused['reason']): AdmissionRefused {
    this.#refusals.inc({ gate: this.#gate, reason });
    return new AdmissionRefused(reason);
  }

  #leave(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter; otherwise it is freed.
    if (next) next.admit();
    else this.#inFlight -= 1;
  }
}
