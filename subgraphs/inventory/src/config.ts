import { intOr, oneOf, readServiceConfig, readSigningKey, stringOr, urlOrUndefined, type Env, type ServiceConfig } from '@shop/platform';

export interface InventoryConfig extends ServiceConfig {
  /** How often the sweeper looks for expired HELD reservations to release (ms). */
  readonly reservationSweepIntervalMs: number;
  /** Merge concurrent single-sku reservations of one sku into one transaction (see ReservationBatcher). */
  readonly reservationBatching: boolean;
  /** How long the first reservation of a batch waits for others (ms; 0: only group commit). */
  readonly reservationBatchWaitMs: number;
  /** The most reservations in one batch. */
  readonly reservationBatchMax: number;
  /** The most reservations waiting for one sku on this replica before new ones are refused. */
  readonly reservationQueueMax: number;
  /** The Redis Stream the outbox relay appends events to. */
  readonly outboxStream: string;
  /** How often the outbox relay polls when the outbox is empty (ms). */
  readonly outboxRelayIntervalMs: number;
  /** The products subgraph's GraphQL endpoint, asked for the seller of a sku when a seller restocks. */
  readonly productsUrl: string;
  /** PEM private key (INVENTORY_IDENTITY_PRIVATE_KEY) that signs inventory's own identity on those lookups; required in production. */
  readonly identityPrivateKey: string | undefined;
}

/** The only place the inventory service reads its environment. */
export function readConfig(env: Env): InventoryConfig {
  const base = readServiceConfig(env, 'inventory', 4004);
  return Object.freeze({
    ...base,
    reservationSweepIntervalMs: intOr(env, 'RESERVATION_SWEEP_INTERVAL_MS', 5_000, { min: 100, max: 3_600_000 }),
    reservationBatching: oneOf(env, 'RESERVATION_BATCHING', ['true', 'false'] as const, 'true') === 'true',
    reservationBatchWaitMs: intOr(env, 'RESERVATION_BATCH_WAIT_MS', 5, { min: 0, max: 1_000 }),
    reservationBatchMax: intOr(env, 'RESERVATION_BATCH_MAX', 100, { min: 1, max: 1_000 }),
    reservationQueueMax: intOr(env, 'RESERVATION_QUEUE_MAX', 10_000, { min: 1, max: 1_000_000 }),
    outboxStream: stringOr(env, 'OUTBOX_STREAM', 'events:inventory'),
    outboxRelayIntervalMs: intOr(env, 'OUTBOX_RELAY_INTERVAL_MS', 250, { min: 10, max: 60_000 }),
    productsUrl: urlOrUndefined(env, 'PRODUCTS_URL', ['http:', 'https:']) ?? 'http://localhost:4002/graphql',
    // Products in production answers only signed callers.
    identityPrivateKey: readSigningKey(env, 'inventory', base.nodeEnv),
  });
}
