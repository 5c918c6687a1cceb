import { intOr, oneOf, readServiceConfig, type Env, type ServiceConfig } from '@shop/platform';

export interface InventoryConfig extends ServiceConfig {
  /** Apply pending migrations when the process starts (the default; turn off when a release job migrates). */
  readonly migrateOnStart: boolean;
  /** Seed the demo stock levels when the stock table is empty (the embedded stack turns this on). */
  readonly seedDemoData: boolean;
  /** How often the sweeper looks for expired HELD reservations to release (ms). */
  readonly reservationSweepIntervalMs: number;
}

/** The only place the inventory service reads its environment. */
export function readConfig(env: Env): InventoryConfig {
  return Object.freeze({
    ...readServiceConfig(env, 'inventory', 4004),
    migrateOnStart: oneOf(env, 'MIGRATE_ON_START', ['true', 'false'] as const, 'true') === 'true',
    seedDemoData: oneOf(env, 'SEED_DEMO_DATA', ['true', 'false'] as const, 'false') === 'true',
    reservationSweepIntervalMs: intOr(env, 'RESERVATION_SWEEP_INTERVAL_MS', 5_000, { min: 100, max: 3_600_000 }),
  });
}
