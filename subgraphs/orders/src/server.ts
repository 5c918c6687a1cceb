import { createSubgraphService, AdmissionGate, readSchemaFile, serviceDatabase, type AdmissionLimits, type SubgraphDeps } from '@shop/platform';
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { CheckoutBatcher, type CheckoutBatcherSettings } from './checkout/checkout.batcher.ts';
import { CheckoutSaga, type CheckoutSagaSettings } from './checkout/checkout.saga.ts';
import { DEFAULT_ADMISSION, type CheckoutServiceSettings } from './checkout/checkout.service.ts';
import { createContext, type Context } from './context.ts';
import { migrations } from './migrations/index.ts';
import { Order as OrderEntity, OrderItem as OrderItemEntity, OrderStatusChange } from './order/order.entity.ts';
import type { SagaServices } from './remote/saga-services.ts';
import { Cart } from './resolvers/Cart.ts';
import { CartLine } from './resolvers/CartLine.ts';
import { Fulfilment } from './resolvers/Fulfilment.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Refund } from './resolvers/Refund.ts';
import { Order } from './resolvers/Order.ts';
import { OrderItem } from './resolvers/OrderItem.ts';
import { PlaceOrderResult } from './resolvers/PlaceOrderResult.ts';
import { Query } from './resolvers/Query.ts';
import { User } from './resolvers/User.ts';
import { Webhook } from './resolvers/Webhook.ts';
import { WebhookDelivery } from './resolvers/WebhookDelivery.ts';
import { WebhookDeliveryAttempt } from './resolvers/WebhookDeliveryAttempt.ts';
import type { WebhookPolicy } from './webhook/webhook.service.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers: Resolvers = { Query, Mutation, Order, OrderItem, User, PlaceOrderResult, Cart, CartLine, Fulfilment, Refund, Webhook, WebhookDelivery, WebhookDeliveryAttempt };
export const entities = [OrderEntity, OrderItemEntity, OrderStatusChange];

export interface OrdersDeps extends SubgraphDeps {
  /** Authenticated clients of the services checkout drives (products, inventory, payments). */
  services: SagaServices;
  /** The saga that drives them; built from `services` unless given (main.ts shares one with the sweeper). */
  saga?: CheckoutSaga;
  checkout?: Partial<CheckoutServiceSettings & CheckoutSagaSettings & CheckoutBatcherSettings>;
  /** Admission control of checkouts in this process (DEFAULT_ADMISSION unless given). */
  admission?: Partial<AdmissionLimits>;
  /** Which partner URLs createWebhook accepts; private and loopback ones only outside production unless given. */
  webhooks?: WebhookPolicy;
}

/** Builds the orders subgraph (schema, resolvers, per-request context, HTTP routes); never listens. */
export async function createServer(deps: OrdersDeps) {
  const saga = deps.saga ?? new CheckoutSaga({ orm: deps.orm, services: deps.services, logger: deps.logger, settings: deps.checkout });
  const admission = new AdmissionGate({ ...DEFAULT_ADMISSION, ...deps.admission });
  const webhooks = deps.webhooks ?? { allowPrivateUrls: !deps.production };
  const batcher = new CheckoutBatcher({ orm: deps.orm, services: deps.services, saga, logger: deps.logger, settings: deps.checkout });
  const contextDeps = { orm: deps.orm, services: deps.services, saga, batcher, admission, checkout: deps.checkout, webhooks };
  const service = await createSubgraphService<Context>({
    typeDefs,
    resolvers,
    deps,
    context: (request) => createContext(contextDeps, request),
  });
  return { ...service, saga, batcher };
}

/** The orders service's ORM over its own schema, with its migrations registered. */
export const openDatabase = serviceDatabase(entities, migrations);
