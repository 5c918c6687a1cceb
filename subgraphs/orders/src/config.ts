import { ConfigError, intOr, oneOf, readCircuitBreakerSettings, readServiceConfig, readSigningKey, stringOr, urlOrUndefined, type AdmissionLimits, type CircuitBreakerSettings, type Env, type ServiceConfig } from '@shop/platform';
import { DEFAULT_BATCHER_SETTINGS, type CheckoutBatcherSettings } from './checkout/checkout.batcher.ts';
import { CHECKOUT_MODES, DEFAULT_ADMISSION, type CheckoutMode } from './checkout/checkout.service.ts';
import { DEFAULT_WEBHOOK_SENDER_SETTINGS as WEBHOOK, type WebhookSenderSettings } from './webhook/webhook.sender.ts';

export interface OrdersConfig extends ServiceConfig {
  /** GraphQL endpoints the checkout saga calls directly (not through the gateway). */
  readonly productsUrl: string;
  readonly inventoryUrl: string;
  readonly paymentsUrl: string;
  /**
   * PEM private key (ORDERS_IDENTITY_PRIVATE_KEY) that signs this service's
   * own identity token (`{ userId: 'orders', roles: ['SERVICE'] }`) for those
   * calls. It is the orders service's key alone: the services it calls accept
   * it for that identity only, never for a customer or an admin.
   */
  readonly identityPrivateKey: string | undefined;
  /** Timeout of every call to another service (ms). */
  readonly serviceCallTimeoutMs: number;
  /** One circuit breaker per called service (CIRCUIT_BREAKER_*, as the gateway's per subgraph). */
  readonly circuitBreaker: CircuitBreakerSettings;
  /** How long inventory holds a checkout's stock before releasing it on its own (s). */
  readonly reservationTtlSeconds: number;
  /** How long a request waits for a checkout that is being settled elsewhere before answering CHECKOUT_PENDING (ms). */
  readonly checkoutWaitMs: number;
  /** Admission control of checkouts per process (CHECKOUT_MAX_IN_FLIGHT, CHECKOUT_MAX_QUEUED, CHECKOUT_MAX_QUEUE_WAIT_MS). */
  readonly admission: Readonly<AdmissionLimits>;
  /** How often the sweeper looks for stalled sagas (ms). */
  readonly sagaSweepIntervalMs: number;
  /** A saga that has not moved for this long is taken over by a sweeper (ms). */
  readonly sagaStaleAfterMs: number;
  /** `batched` (group commit, answer after authorization) or `naive` (the whole saga per checkout before its answer). */
  readonly checkoutMode: CheckoutMode;
  /** Group commit of checkouts (CHECKOUT_BATCH_WAIT_MS, CHECKOUT_BATCH_MAX, CHECKOUT_BATCH_PIPELINES, SOLD_OUT_HINT_MS, CHECKOUT_PRICE_MAX_AGE_MS). */
  readonly batching: Readonly<Pick<CheckoutBatcherSettings, 'maxWaitMs' | 'maxBatchSize' | 'pipelines' | 'soldOutHintMs'>>;
  /** Redis Stream the outbox relay publishes order events to. */
  readonly eventsStream: string;
  /**
   * Partner webhook deliveries (WEBHOOK_TIMEOUT_MS, WEBHOOK_MAX_ATTEMPTS,
   * WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_POLL_INTERVAL_MS,
   * WEBHOOK_LOG_RETENTION_DAYS).
   * Loopback and private URLs are allowed only when NODE_ENV is not production.
   */
  readonly webhooks: Readonly<WebhookSenderSettings>;
}

const HTTP = ['http:', 'https:'] as const;

/** The only place the orders service reads its environment. */
export function readConfig(env: Env): OrdersConfig {
  const base = readServiceConfig(env, 'orders', 4003);
  // Without it every call the saga makes is refused: no checkout can work.
  const identityPrivateKey = readSigningKey(env, 'orders', base.nodeEnv);
  const serviceCallTimeoutMs = intOr(env, 'SERVICE_CALL_TIMEOUT_MS', 3_000, { min: 50, max: 60_000 });
  const sagaStaleAfterMs = intOr(env, 'SAGA_STALE_AFTER_MS', 10_000, { min: 100, max: 3_600_000 });
  // A step makes a call, maybe a retry, and a write: the sweeper must not take a saga its driver is still working on.
  if (sagaStaleAfterMs < 3 * serviceCallTimeoutMs) {
    throw new ConfigError('SAGA_STALE_AFTER_MS', `must be at least 3 x SERVICE_CALL_TIMEOUT_MS (${3 * serviceCallTimeoutMs}), got ${sagaStaleAfterMs}`);
  }
  return Object.freeze({
    ...base,
    productsUrl: urlOrUndefined(env, 'PRODUCTS_URL', HTTP) ?? 'http://localhost:4002/graphql',
    inventoryUrl: urlOrUndefined(env, 'INVENTORY_URL', HTTP) ?? 'http://localhost:4004/graphql',
    paymentsUrl: urlOrUndefined(env, 'PAYMENTS_URL', HTTP) ?? 'http://localhost:4005/graphql',
    identityPrivateKey,
    serviceCallTimeoutMs,
    circuitBreaker: readCircuitBreakerSettings(env),
    reservationTtlSeconds: intOr(env, 'RESERVATION_TTL_SECONDS', 600, { min: 60, max: 86_400 }),
    checkoutWaitMs: intOr(env, 'CHECKOUT_WAIT_MS', 8_000, { min: 0, max: 60_000 }),
    admission: Object.freeze({
      maxInFlight: intOr(env, 'CHECKOUT_MAX_IN_FLIGHT', DEFAULT_ADMISSION.maxInFlight, { min: 1, max: 10_000 }),
      maxQueued: intOr(env, 'CHECKOUT_MAX_QUEUED', DEFAULT_ADMISSION.maxQueued, { min: 0, max: 100_000 }),
      maxWaitMs: intOr(env, 'CHECKOUT_MAX_QUEUE_WAIT_MS', DEFAULT_ADMISSION.maxWaitMs, { min: 0, max: 60_000 }),
    }),
    sagaSweepIntervalMs: intOr(env, 'SAGA_SWEEP_INTERVAL_MS', 2_000, { min: 100, max: 600_000 }),
    sagaStaleAfterMs,
    // The hash tag puts the stream and every key named after it (its consumers' dedup and attempt keys, its dead letters) in one Redis Cluster slot.
    eventsStream: stringOr(env, 'ORDERS_EVENTS_STREAM', 'events:{orders}'),
    webhooks: Object.freeze({
      timeoutMs: intOr(env, 'WEBHOOK_TIMEOUT_MS', WEBHOOK.timeoutMs, { min: 100, max: 60_000 }),
      maxAttempts: intOr(env, 'WEBHOOK_MAX_ATTEMPTS', WEBHOOK.maxAttempts, { min: 1, max: 50 }),
      retryBaseMs: intOr(env, 'WEBHOOK_RETRY_BASE_MS', WEBHOOK.retryBaseMs, { min: 10, max: 3_600_000 }),
      retryMaxDelayMs: intOr(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', WEBHOOK.retryMaxDelayMs, { min: 10, max: 86_400_000 }),
      pollIntervalMs: intOr(env, 'WEBHOOK_POLL_INTERVAL_MS', WEBHOOK.pollIntervalMs, { min: 10, max: 60_000 }),
      batchSize: WEBHOOK.batchSize,
      logRetentionMs: intOr(env, 'WEBHOOK_LOG_RETENTION_DAYS', WEBHOOK.logRetentionMs / 86_400_000, { min: 1, max: 3650 }) * 86_400_000,
      allowPrivateUrls: base.nodeEnv !== 'production',
    }),
    checkoutMode: oneOf(env, 'CHECKOUT_MODE', CHECKOUT_MODES, 'batched'),
    batching: Object.freeze({
      maxWaitMs: intOr(env, 'CHECKOUT_BATCH_WAIT_MS', DEFAULT_BATCHER_SETTINGS.maxWaitMs, { min: 0, max: 1_000 }),
      maxBatchSize: intOr(env, 'CHECKOUT_BATCH_MAX', DEFAULT_BATCHER_SETTINGS.maxBatchSize, { min: 1, max: 500 }),
      pipelines: intOr(env, 'CHECKOUT_BATCH_PIPELINES', DEFAULT_BATCHER_SETTINGS.pipelines, { min: 1, max: 64 }),
      soldOutHintMs: intOr(env, 'SOLD_OUT_HINT_MS', DEFAULT_BATCHER_SETTINGS.soldOutHintMs, { min: 0, max: 60_000 }),
      priceMaxAgeMs: intOr(env, 'CHECKOUT_PRICE_MAX_AGE_MS', DEFAULT_BATCHER_SETTINGS.priceMaxAgeMs, { min: 0, max: 60_000 }),
    }),
  });
}
