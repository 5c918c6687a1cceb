import { intOr, oneOf, readServiceConfig, stringOr, type Env, type ServiceConfig } from '@shop/platform';

export interface PaymentsConfig extends ServiceConfig {
  /** Which provider adapter to use; only the sandbox exists so far. */
  readonly paymentProvider: 'sandbox';
  /** How long a call to the provider may take before it counts as timed out (and is retried under its key). */
  readonly providerTimeoutMs: number;
  /** Redis Stream the outbox relay publishes payment events to (PAYMENTS_EVENTS_STREAM). */
  readonly eventsStream: string;
}

/** The only place the payments service reads its environment. */
export function readConfig(env: Env): PaymentsConfig {
  return Object.freeze({
    ...readServiceConfig(env, 'payments', 4005),
    paymentProvider: oneOf(env, 'PAYMENT_PROVIDER', ['sandbox'] as const, 'sandbox'),
    providerTimeoutMs: intOr(env, 'PAYMENT_PROVIDER_TIMEOUT_MS', 2_000, { min: 100, max: 60_000 }),
    eventsStream: stringOr(env, 'PAYMENTS_EVENTS_STREAM', 'events:payments'),
  });
}
