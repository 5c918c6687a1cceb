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

/** The parts of one request's context built so far (see OrdersContext). */
interface Built {
  em?: EntityManager;
  repository?: OrderRepository;
  loaders?: OrderLoaders;
  orders?: OrderService;
  checkout?: CheckoutService;
  commerce?: ReturnType<typeof createCommerceParts>;
}

const BUILT = Symbol('built');
const DEPS = Symbol('deps');

/**
 * A request's context, each part built the first time a resolver asks for
 * it: a placeOrder uses the checkout service and nothing else, and in a live
 * sale that is most requests (a fork of the EntityManager and a dozen
 * services per request otherwise, about 5% of orders' CPU in a flash sale).
 * What is built lives in one object under a symbol: Apollo Server copies the
 * context's own properties for each operation (keeping its prototype), so
 * every copy shares it. No #private members: a copy would not have them.
 */
class OrdersContext implements Context {
  readonly viewer: Context['viewer'];
  readonly payments: SagaServices['payments'];
  readonly [DEPS]: ContextDeps;
  readonly [BUILT]: Built = {};

  constructor(deps: ContextDeps, request: RequestScope) {
    this[DEPS] = deps;
    this.viewer = request.viewer;
    this.payments = deps.services.payments;
  }

  get em(): EntityManager {
    return (this[BUILT].em ??= this[DEPS].orm.em.fork());
  }
  get repository(): OrderRepository {
    return (this[BUILT].repository ??= new OrderRepository(this.em));
  }
  get loaders(): OrderLoaders {
    return (this[BUILT].loaders ??= createOrderLoaders(this.repository));
  }
  get orders(): OrderService {
    return (this[BUILT].orders ??= new OrderService(this.repository, this.loaders));
  }
  get checkout(): CheckoutService {
    const deps = this[DEPS];
    const context = this;
    return (this[BUILT].checkout ??= new CheckoutService({
      // The repository too only once the checkout needs one (a batched checkout answered from its batch does not).
      get repository() {
        return context.repository;
      },
      admission: deps.admission,
      products: deps.services.products,
      saga: deps.saga,
      batcher: deps.batcher,
      settings: deps.checkout,
    }));
  }
  get commerce(): ReturnType<typeof createCommerceParts> {
    return (this[BUILT].commerce ??= createCommerceParts(this.em, this.repository, this.checkout, this[DEPS]));
  }
  get cart(): CartService {
    return this.commerce.cart;
  }
  get fulfilment(): FulfilmentService {
    return this.commerce.fulfilment;
  }
  get fulfilmentLoaders(): FulfilmentLoaders {
    return this.commerce.fulfilmentLoaders;
  }
  get refunds(): RefundService {
    return this.commerce.refunds;
  }
  get refundLoaders(): RefundLoaders {
    return this.commerce.refundLoaders;
  }
  get webhooks(): WebhookService {
    return this.commerce.webhooks;
  }
  get webhookLoaders(): WebhookLoaders {
    return this.commerce.webhookLoaders;
  }
}

export function createContext(deps: ContextDeps, request: RequestScope): Context {
  return new OrdersContext(deps, request);
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
