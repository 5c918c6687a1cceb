import { oneOf, readServiceConfig, type Env, type ServiceConfig } from '@shop/platform';

export interface OrdersConfig extends ServiceConfig {
  /** Apply pending migrations when the process starts (the default; turn off when a release job migrates). */
  readonly migrateOnStart: boolean;
}

/** The only place the orders service reads its environment. */
export function readConfig(env: Env): OrdersConfig {
  return Object.freeze({
    ...readServiceConfig(env, 'orders', 4003),
    migrateOnStart: oneOf(env, 'MIGRATE_ON_START', ['true', 'false'] as const, 'true') === 'true',
  });
}
