import type { EntityManager, MikroORM, RequestContext, RequestScope } from '@shop/platform';
import { createPaymentLoaders, type PaymentLoaders } from './payment/payment.loaders.ts';
import { PaymentRepository } from './payment/payment.repository.ts';
import { PaymentService } from './payment/payment.service.ts';
import { PaymentTokenService } from './payment/payment-token.service.ts';
import type { PaymentProvider } from './provider/payment-provider.ts';
import { ProviderCallRepository } from './provider/provider-call.repository.ts';
import { PaymentProviderClient } from './provider/provider-client.ts';

/** What the per-request context is built from: the process-wide provider and its client timeout. */
export interface ContextDeps {
  orm: MikroORM;
  provider: PaymentProvider;
  providerTimeoutMs: number;
}

/** Everything a resolver may use, built fresh for each request. */
export interface Context extends RequestContext {
  loaders: PaymentLoaders;
  payments: PaymentService;
  tokens: PaymentTokenService;
}

function createPaymentService(deps: ContextDeps, em: EntityManager) {
  const repository = new PaymentRepository(em);
  const loaders = createPaymentLoaders(repository);
  const provider = new PaymentProviderClient(deps.provider, new ProviderCallRepository(em), deps.providerTimeoutMs);
  return { loaders, provider, payments: new PaymentService(repository, loaders, provider) };
}

export function createContext(deps: ContextDeps, request: RequestScope): Context {
  const { viewer } = request;
  const em = deps.orm.em.fork();
  const { loaders, provider, payments } = createPaymentService(deps, em);
  return {
    em,
    viewer,
    loaders,
    payments,
    tokens: new PaymentTokenService(provider),
  };
}
