import { BrokenCircuitError, CircuitState, circuitBreaker, handleWhen, SamplingBreaker, type CircuitBreakerPolicy } from 'cockatiel';
import { circuitBreakerRefusals, circuitBreakerState } from './instruments.ts';
import type { Logger } from './logger.ts';

/**
 * When a dependency counts as down. The defaults: more than half of the
 * calls of the last 10 s failed, with at least 20 calls in those 10 s (a
 * quiet service with two failed calls is not an outage); then every call is
 * refused at once for 5 s, after which one trial call goes through: a success
 * closes the circuit, a failure opens it for another 5 s.
 */
export interface CircuitBreakerSettings {
  /** Share of failed calls (0 < ratio < 1) over `windowMs` above which the circuit opens. */
  failureRatio: number;
  windowMs: number;
  /** Calls per second over the window below which the circuit never opens. */
  minimumRps: number;
  /** How long an open circuit refuses every call before it lets one trial call through (ms). */
  halfOpenAfterMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER_SETTINGS: CircuitBreakerSettings = { failureRatio: 0.5, windowMs: 10_000, minimumRps: 2, halfOpenAfterMs: 5_000 };

/** A call refused without being made: the circuit to `target` is open (or a trial call is on its way). */
export class CircuitOpenError extends Error {
  readonly target: string;
  constructor(target: string) {
    super(`${target} is failing; calls are refused for a few seconds while it recovers`);
    this.name = 'CircuitOpenError';
    this.target = target;
  }
}

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  readonly target: string;
  readonly state: CircuitStateName;
  /**
   * Runs `call` unless the circuit is open. A rejection that `isFailure`
   * accepts counts against the dependency; any other outcome (a success, a
   * refusal that says the dependency is working) counts for it. Throws
   * CircuitOpenError without calling while the circuit is open, and while its
   * one trial call is in flight (callers fail fast instead of queueing behind it).
   */
  run<T>(call: () => Promise<T>): Promise<T>;
}

export interface CircuitBreakerOptions {
  /** The dependency's name: a subgraph, a service (metrics label `target`). */
  target: string;
  /** True for an error that says the dependency is down or too slow (unreachable, timeout, 5xx); false for an answer, even a refusal. */
  isFailure: (error: unknown) => boolean;
  settings?: Partial<CircuitBreakerSettings>;
  logger?: Logger;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * A circuit breaker per dependency, on cockatiel's CircuitBreakerPolicy with
 * its SamplingBreaker (failure ratio over a sliding window, with a minimum
 * throughput). cockatiel is TypeScript-native with no dependencies; its
 * half-open state lets callers wait for the trial call, which here they do
 * not: they are refused at once, as while the circuit is open.
 *
 * The state is a gauge (`circuit_breaker_state`: 0 closed, 1 open, 2
 * half-open) and each refusal a count (`circuit_breaker_refusals_total`),
 * both by `target`; every change of state is logged.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const settings = { ...DEFAULT_CIRCUIT_BREAKER_SETTINGS, ...options.settings };
  const { target, logger } = options;
  const policy: CircuitBreakerPolicy = circuitBreaker(handleWhen(options.isFailure), {
    halfOpenAfter: settings.halfOpenAfterMs,
    breaker: new SamplingBreaker({ threshold: settings.failureRatio, duration: settings.windowMs, minimumRps: settings.minimumRps }),
  });
  circuitBreakerState().set({ target }, CircuitState.Closed);
  policy.onStateChange((state) => {
    circuitBreakerState().set({ target }, state === CircuitState.Isolated ? CircuitState.Open : state);
    const level = state === CircuitState.Closed ? 'info' : 'warn';
    logger?.[level]({ target, state: STATE_NAMES[state] }, `circuit to ${target} ${STATE_NAMES[state]}`);
  });
  const refuse = () => {
    circuitBreakerRefusals().inc({ target });
    return new CircuitOpenError(target);
  };
  return {
    target,
    get state() {
      return STATE_NAMES[policy.state];
    },
    async run(call) {
      if (policy.state === CircuitState.HalfOpen) throw refuse();
      try {
        return await policy.execute(call);
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw refuse();
        throw error;
      }
    },
  };
}
