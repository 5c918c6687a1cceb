import { oneOf, readServiceConfig, type Env, type ServiceConfig } from '@shop/platform';

export interface ProductsConfig extends ServiceConfig {
  /** Apply pending migrations when the process starts (the default; turn off when a release job migrates). */
  readonly migrateOnStart: boolean;
  /** Seed the demo catalogue when the catalogue is empty (the embedded stack turns this on). */
  readonly seedDemoData: boolean;
}

/** The only place the products service reads its environment. */
export function readConfig(env: Env): ProductsConfig {
  return Object.freeze({
    ...readServiceConfig(env, 'products', 4002),
    migrateOnStart: oneOf(env, 'MIGRATE_ON_START', ['true', 'false'] as const, 'true') === 'true',
    seedDemoData: oneOf(env, 'SEED_DEMO_DATA', ['true', 'false'] as const, 'false') === 'true',
  });
}
