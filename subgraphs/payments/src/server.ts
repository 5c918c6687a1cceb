import { createSubgraphService, readSchemaFile, serviceDatabase, type SubgraphDeps } from '@shop/platform';
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { createContext, type Context } from './context.ts';
import { migrations } from './migrations/index.ts';
import { Payment as PaymentEntity, PaymentRefund } from './payment/payment.entity.ts';
import type { PaymentProvider } from './provider/payment-provider.ts';
import { AuthorizePaymentResult } from './resolvers/AuthorizePaymentResult.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Order } from './resolvers/Order.ts';
import { Payment } from './resolvers/Payment.ts';
import { PaymentToken } from './resolvers/PaymentToken.ts';

export const typeDefs = readSchemaFile(new URL('./schema.graphql', import.meta.url));
export const resolvers: Resolvers = { Mutation, Payment, Order, PaymentToken, AuthorizePaymentResult };
export const entities = [PaymentEntity, PaymentRefund];

export interface PaymentsDeps extends SubgraphDeps {
  /** The payment provider adapter (the sandbox, or a real provider's). */
  provider: PaymentProvider;
  /** Client timeout of every provider call. */
  providerTimeoutMs: number;
}

/** Builds the payments subgraph (schema, resolvers, per-request context, HTTP routes); never listens. */
export async function createServer(deps: PaymentsDeps) {
  return createSubgraphService<Context>({
    typeDefs,
    resolvers,
    deps,
    context: (request) => createContext(deps, request),
  });
}

/** The payments service's ORM over its own schema, with its migrations registered. */
export const openDatabase = serviceDatabase(entities, migrations);
