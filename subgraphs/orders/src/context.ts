import type { AdmissionGate, EntityManager, MikroORM, RequestContext, RequestScope } from '@shop/platform';
import { CartRepository } from './cart/cart.repository.ts';
import { CartService } from './cart/cart.service.ts';
import { createFulfilmentLoaders, type FulfilmentLoaders } from './fulfilment/fulfilment.loaders.ts';
import { FulfilmentRepository } from './fulfilment/fulfilment.repository.ts';
import { FulfilmentService } from './fulfilment/fulfilment.service.ts';
import { createRefundLoaders, type RefundLoaders } from './refund/refund.loaders.ts';
import { RefundRepository } from './refund/refund.repository.ts';
import { RefundService } from './refund/refund.service.ts';
import { createWebhookLoaders, type WebhookLoaders } from './webhook/webhook.loaders.ts';
import { WebhookRepository } from './webhook/webhook.repository.ts';
import { WebhookService, type WebhookPolicy } from './webhook/webhook.service.ts';
import type { CheckoutBatcher } from './checkout/checkout.batcher.ts';
import type { CheckoutSaga } from './checkout/checkout.saga.ts';
import { CheckoutService, type CheckoutServiceSettings } from './checkout/checkout.service.ts';
import { createOrderLoaders, type OrderLoaders } from './order/order.loaders.ts';
import { OrderRepository } from './order/order.repository.ts';
import { OrderService } from './order/order.service.ts';
import type { SagaServices } from './remote/saga-services.ts';

/** The long-lived parts every request's context is built from. */
export interface ContextDeps {
  orm: MikroORM;
  services: SagaServices;
  saga: CheckoutSaga;
  admission: AdmissionGate;
  /** Groups concurrent checkouts (mode `batched`). */
  batcher?: CheckoutBatcher;
  checkout?: Partial<CheckoutServiceSettings>;
  webhooks: WebhookPolicy;
}

/** Everything a resolver may use, built fresh for each request. */
export interface Context extends RequestContext {
  loaders: OrderLoaders;
  orders: OrderService;
  checkout: CheckoutService;
  cart: CartService;
  fulfilment: FulfilmentService;
  fulfilmentLoaders: FulfilmentLoaders;
  refunds: RefundService;
  refundLoaders: RefundLoaders;
  webhooks: WebhookService;
  webhookLoaders: WebhookLoaders;
  /** The payments subgraph, asked for an order's payment where orders provides it but does not know it (see resolvers/Order.ts). */
  payments: SagaServices['payments'];
}

export function createContext(deps: ContextDeps, request: RequestScope): Context {
  const { viewer } = request;
  const em = deps.orm.em.fork();
  const repository = new OrderRepository(em);
  const loaders = createOrderLoaders(repository);
  const checkout = new CheckoutService({ repository, admission: deps.admission, products: deps.services.products, saga: deps.saga, batcher: deps.batcher, settings: deps.checkout });
  return {
    em,
    viewer,
    loaders,
    orders: new OrderService(repository, loaders),
    checkout,
    payments: deps.services.payments,
    ...createCommerceParts(em, repository, checkout, deps),
  };
}

/** The cart, fulfilment, refunds and webhooks over the request's EntityManager. */
function createCommerceParts(em: EntityManager, orders: OrderRepository, checkout: CheckoutService, { services, webhooks }: ContextDeps) {
  const fulfilments = new FulfilmentRepository(em);
  const refunds = new RefundRepository(em);
  const webhookRepository = new WebhookRepository(em);
  return {
    cart: new CartService({ repository: new CartRepository(em), products: services.products, checkout }),
    fulfilment: new FulfilmentService({ repository: fulfilments, orders, products: services.products }),
    fulfilmentLoaders: createFulfilmentLoaders(fulfilments),
    refunds: new RefundService({ repository: refunds, orders, payments: services.payments }),
    refundLoaders: createRefundLoaders(refunds),
    webhooks: new WebhookService(webhookRepository, webhooks),
    webhookLoaders: createWebhookLoaders(webhookRepository),
  };
}
