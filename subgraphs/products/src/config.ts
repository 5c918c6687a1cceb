import { readServiceConfig, type Env, type ServiceConfig } from '@shop/platform';

/** Products needs only the settings every subgraph shares (see readServiceConfig). */
export type ProductsConfig = ServiceConfig;

/** The only place the products service reads its environment. */
export function readConfig(env: Env): ProductsConfig {
  return readServiceConfig(env, 'products', 4002);
}
