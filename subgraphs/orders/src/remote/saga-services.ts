import { createCachedSigner, createCircuitBreaker, type CircuitBreakerSettings, type IdentitySigner, type Logger, type Viewer } from '@shop/platform';
import { InventoryClient } from './inventory.client.ts';
import { PaymentsClient } from './payments.client.ts';
import { ProductsClient } from './products.client.ts';
import { createServiceClient, isServiceFailure } from './service-client.ts';

/** The services the checkout saga drives, each behind an authenticated client with a timeout. */
export interface SagaServices {
  products: ProductsClient;
  inventory: InventoryClient;
  payments: PaymentsClient;
}

export interface SagaServicesOptions {
  productsUrl: string;
  inventoryUrl: string;
  paymentsUrl: string;
  /** Per call: a service that has not answered by then counts as unavailable. */
  timeoutMs: number;
  /** Signs the orders service's own identity (`{ userId: 'orders', roles: ['SERVICE'] }`). */
  signer: IdentitySigner;
  /** One circuit breaker per service with these settings (CIRCUIT_BREAKER_*); none when absent. */
  circuitBreaker?: Partial<CircuitBreakerSettings>;
  /** Logs the breakers' changes of state. */
  logger?: Logger;
}

/** The orders service's internal identity, as the other subgraphs see it. */
export function ordersServiceViewer(): Viewer {
  return { userId: 'orders', roles: ['SERVICE'] };
}

export function createSagaServices(options: SagaServicesOptions): SagaServices {
  // One token serves every call for half its lifetime: signing stays off the hot path.
  const signer = createCachedSigner(options.signer, { max: 1 });
  const identity = { token: () => signer.sign(ordersServiceViewer()) };
  const client = (service: string, url: string) =>
    createServiceClient({
      service,
      url,
      timeoutMs: options.timeoutMs,
      identity,
      breaker: options.circuitBreaker && createCircuitBreaker({ target: service, isFailure: isServiceFailure, settings: options.circuitBreaker, logger: options.logger }),
    });
  return {
    products: new ProductsClient(client('products', options.productsUrl)),
    inventory: new InventoryClient(client('inventory', options.inventoryUrl)),
    payments: new PaymentsClient(client('payments', options.paymentsUrl)),
  };
}
