import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createIdentityVerifier,
  createKeyValueStore,
  createLogger,
  createPubSub,
  IDENTITY_HEADER,
  migrateDatabase,
  RedisKeyValueStore,
  sql,
  type AdmissionLimits,
  type MikroORM,
  type Role,
} from '@shop/platform';
import { createTestIdentities, dropSchema, postGraphQL, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSchemaName, type GraphQLResponse } from '@shop/platform/testing';
import { createServer as createInventoryServer, openDatabase as openInventoryDatabase } from '../../inventory/src/server.ts';
import { createServer as createPaymentsServer, openDatabase as openPaymentsDatabase } from '../../payments/src/server.ts';
import { SandboxPaymentProvider } from '../../payments/src/provider/sandbox-provider.ts';
import { createServer as createProductsServer, openDatabase as openProductsDatabase } from '../../products/src/server.ts';
import type { CheckoutBatcherSettings } from '../src/checkout/checkout.batcher.ts';
import type { CheckoutSagaSettings } from '../src/checkout/checkout.saga.ts';
import type { CheckoutServiceSettings } from '../src/checkout/checkout.service.ts';
import { createSagaServices } from '../src/remote/saga-services.ts';
import { createServer as createOrdersServer, openDatabase as openOrdersDatabase } from '../src/server.ts';

/** The sandbox's test cards (see subgraphs/payments/README.md). */
export const CARDS = {
  succeeds: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  timesOut: '4000 0000 0000 0119',
} as const;

export const PLACE_ORDER = `
  mutation PlaceOrder($items: [OrderItemInput!]!, $paymentToken: String!, $idempotencyKey: String!) {
    placeOrder(input: { items: $items, paymentToken: $paymentToken, idempotencyKey: $idempotencyKey }) {
      __typename
      ... on OrderPlaced { order { id status total { amount currency } items { quantity unitPrice { amount currency } variant { sku } } } }
      ... on InsufficientStock { sku available message }
      ... on PaymentDeclined { reason message }
    }
  }`;

export const CANCEL_ORDER = `
  mutation ($id: ID!) { cancelOrder(id: $id) { id status total { amount currency } } }`;

export interface SagaHarnessOptions {
  /** Client timeout of payments' provider calls (PAYMENT_PROVIDER_TIMEOUT_MS); the slow card holds twice as long. */
  providerTimeoutMs?: number;
  /** Timeout of orders' calls to the other services. */
  serviceCallTimeoutMs?: number;
  checkout?: Partial<CheckoutServiceSettings & CheckoutSagaSettings & CheckoutBatcherSettings>;
  admission?: Partial<AdmissionLimits>;
}

interface Service {
  orm: MikroORM;
  schema: string;
  url: string;
}

/**
 * The checkout's whole cast, in-process: the real products, inventory and
 * payments subgraphs (each through its own createServer and openDatabase,
 * on its own schema of the test PostgreSQL, inventory on the test Redis)
 * and the orders subgraph calling them over HTTP. They trust the gateway's
 * key and the orders service's own, which orders signs its SERVICE token
 * with, as in production.
 */
export async function startSagaHarness(options: SagaHarnessOptions = {}) {
  const identities = await createTestIdentities();
  const signer = identities.gateway;
  const identity = await createIdentityVerifier(identities.callers);
  const logger = createLogger('orders-saga-test', 'silent');
  const stops: (() => Promise<void>)[] = [];

  async function database(name: string, open: (o: { url: string; schema: string }) => Promise<MikroORM>) {
    const schema = uniqueSchemaName(name);
    const orm = await open({ url: TEST_DATABASE_URL, schema });
    stops.push(async () => {
      await orm.close();
      await dropSchema(schema);
    });
    await migrateDatabase(orm, schema, TEST_DATABASE_URL);
    return { orm, schema };
  }

  try {
    const productsDb = await database('saga_products', openProductsDatabase);
    const productsServer = await createProductsServer({ orm: productsDb.orm, logger, identity });
    stops.push(() => productsServer.close());
    const products: Service = { ...productsDb, url: `http://127.0.0.1:${await productsServer.listen(0, '127.0.0.1')}/graphql` };

    const inventoryDb = await database('saga_inventory', openInventoryDatabase);
    const store = createKeyValueStore(TEST_REDIS_URL, 'orders-saga-test:inventory');
    if (store instanceof RedisKeyValueStore && store.redis.status !== 'ready') await once(store.redis, 'ready');
    const pubsub = createPubSub(TEST_REDIS_URL, 'orders-saga-test:inventory');
    stops.push(async () => {
      await store.close();
      await pubsub.close();
    });
    const inventoryApp = await createInventoryServer({ orm: inventoryDb.orm, logger, store, pubsub, identity });
    stops.push(() => inventoryApp.close());
    const inventory: Service = { ...inventoryDb, url: `${await inventoryApp.listen({ port: 0, host: '127.0.0.1' })}/graphql` };

    const paymentsDb = await database('saga_payments', openPaymentsDatabase);
    const providerTimeoutMs = options.providerTimeoutMs ?? 2_000;
    const paymentsServer = await createPaymentsServer({
      orm: paymentsDb.orm,
      logger,
      identity,
      provider: new SandboxPaymentProvider(paymentsDb.orm, { slowCallMs: providerTimeoutMs * 2 }),
      providerTimeoutMs,
    });
    stops.push(() => paymentsServer.close());
    const payments: Service = { ...paymentsDb, url: `http://127.0.0.1:${await paymentsServer.listen(0, '127.0.0.1')}/graphql` };

    const ordersDb = await database('saga_orders', openOrdersDatabase);
    const services = createSagaServices({
      productsUrl: products.url,
      inventoryUrl: inventory.url,
      paymentsUrl: payments.url,
      timeoutMs: options.serviceCallTimeoutMs ?? 3_000,
      signer: identities.orders,
    });
    // The tests of the one-order saga pin mode `naive` (the whole saga before the answer);
    // test/batched-checkout.test.ts covers the batched path with its settler.
    const checkout = { mode: 'naive' as const, ...options.checkout };
    const ordersServer = await createOrdersServer({ orm: ordersDb.orm, logger, identity, services, checkout, admission: options.admission });
    stops.push(() => ordersServer.close());
    const orders: Service = { ...ordersDb, url: `http://127.0.0.1:${await ordersServer.listen(0, '127.0.0.1')}/graphql` };

    const as = async (userId: string, ...roles: Role[]) => ({ [IDENTITY_HEADER]: await signer.sign({ userId, roles: roles.length ? roles : ['CUSTOMER'] }) });
    const run = `${randomBytes(4).toString('hex').toUpperCase()}`;
    const call = async <T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
      const result: GraphQLResponse<T> = await postGraphQL<T>(url, query, variables, headers);
      return result;
    };
    const must = async <T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
      const result = await call<T>(url, query, variables, headers);
      if (result.body.errors || !result.body.data) throw new Error(`${url}: ${JSON.stringify(result.body.errors)}`);
      return result.body.data;
    };
    const rows = <T = Record<string, any>>(service: Service, query: string, params: unknown[] = []) =>
      sql<T>(service.orm.em.fork(), query.replaceAll('$schema', `"${service.schema}"`), params);

    return {
      logger,
      products,
      inventory,
      payments,
      orders,
      /** The orders server's saga (to stop a checkout between steps, as a crash would). */
      saga: ordersServer.saga,
      services,
      ordersSigner: identities.orders,
      as,
      /** A sku unique to this run: inventory's Redis cache is shared by every test file. */
      sku: (name: string) => `SAGA-${run}-${name}`,
      /** Creates and publishes a product with these variants (prices in USD cents) through the products API; returns its id and seller. */
      async createProduct(variants: { sku: string; price: number }[]) {
        const sellerId = randomUUID();
        const seller = await as(sellerId, 'SELLER');
        const created = await must<{ createProduct: { id: string } }>(
          products.url,
          `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
          {
            input: {
              name: `Saga product ${randomBytes(3).toString('hex')}`,
              price: { amount: variants[0]?.price ?? 1000, currency: 'USD' },
              variants: variants.map((v) => ({ sku: v.sku, name: v.sku, price: { amount: v.price, currency: 'USD' } })),
            },
          },
          seller,
        );
        const id = created.createProduct.id;
        await must(products.url, `mutation ($id: ID!) { publishProduct(id: $id) { id } }`, { id }, seller);
        return { id, sellerId, seller };
      },
      /** Adds units through inventory's restock, as an admin. */
      async addStock(sku: string, quantity: number) {
        await must(inventory.url, `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { available } }`, { sku, quantity }, await as(randomUUID(), 'ADMIN'));
      },
      /** The stock row in inventory's table: units on sale and units held. */
      async stock(sku: string) {
        const [row] = await rows<{ available: number; reserved: number }>(inventory, 'select available, reserved from $schema.stock where sku = ?', [sku]);
        return row ?? null;
      },
      async reservations(orderId: string) {
        return rows<{ sku: string; quantity: number; status: string }>(inventory, 'select sku, quantity, status from $schema.reservations where order_id = ? order by sku', [orderId]);
      },
      /** Payments recorded for an order, and what the sandbox provider did. */
      async paymentsOf(orderId: string) {
        return rows<{ id: string; status: string; amount: number; refunded_amount: number; user_id: string }>(
          payments,
          'select id, status, amount, refunded_amount, user_id from $schema.payments where order_id = ?',
          [orderId],
        );
      },
      async paymentsOfUser(userId: string) {
        return rows<{ id: string; status: string; amount: number; order_id: string }>(payments, 'select id, status, amount, order_id from $schema.payments where user_id = ?', [userId]);
      },
      /** What the sandbox provider itself recorded: every charge it made for the customer. */
      async chargesOfCustomer(customerId: string) {
        return rows<{ status: string; amount: number; authorize_key: string }>(
          payments,
          'select status, amount, authorize_key from $schema.sandbox_charges where customer_id = ?',
          [customerId],
        );
      },
      async ordersOfUser(userId: string) {
        return rows<{ id: string; status: string; saga_step: string; total_amount: number }>(
          orders,
          'select id, status, saga_step, total_amount from $schema.orders where user_id = ?',
          [userId],
        );
      },
      async order(orderId: string) {
        const [row] = await rows<{ id: string; status: string; saga_step: string; total_amount: number; outcome: unknown }>(
          orders,
          'select id, status, saga_step, total_amount, outcome from $schema.orders where id = ?',
          [orderId],
        );
        return row ?? null;
      },
      async history(orderId: string) {
        const list = await rows<{ from_status: string | null; to_status: string; reason: string | null }>(
          orders,
          'select from_status, to_status, reason from $schema.order_status_history where order_id = ? order by id',
          [orderId],
        );
        return list.map((h) => [h.from_status, h.to_status]);
      },
      async events(orderId: string) {
        return rows<{ id: string; type: string; payload: Record<string, any> }>(
          orders,
          `select id, type, payload from $schema.outbox where payload->>'orderId' = ? order by created_at, id`,
          [orderId],
        );
      },
      /** Runs any SQL on the orders schema. */
      ordersSql: <T = Record<string, any>>(query: string, params: unknown[] = []) => rows<T>(orders, query, params),
      async tokenFor(customerId: string, number: string = CARDS.succeeds): Promise<string> {
        const data = await must<{ createPaymentToken: { token: string } }>(
          payments.url,
          `mutation ($number: String!) { createPaymentToken(card: { number: $number, expMonth: 12, expYear: ${new Date().getUTCFullYear() + 3}, cvc: "123" }) { token } }`,
          { number },
          await as(customerId),
        );
        return data.createPaymentToken.token;
      },
      async placeOrder(customerId: string | null, input: { items: { sku: string; quantity: number }[]; paymentToken: string; idempotencyKey?: string }, query = PLACE_ORDER) {
        const headers = customerId ? await as(customerId) : {};
        return call(orders.url, query, { idempotencyKey: randomUUID(), ...input }, headers);
      },
      async cancelOrder(orderId: string, headers: Record<string, string>) {
        return call(orders.url, CANCEL_ORDER, { id: orderId }, headers);
      },
      /** The payment of an order as the payments subgraph serves it through `Order @key` (what the gateway fetches). */
      async paymentOfOrder(orderId: string, customerId: string) {
        const data = await must<{ _entities: ({ payment: { id: string; status: string; amount: { amount: number } } | null } | null)[] }>(
          payments.url,
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Order { payment { id status amount { amount } } } } }`,
          { r: [{ __typename: 'Order', id: orderId }] },
          await as(customerId),
        );
        return data._entities[0]?.payment ?? null;
      },
      async stop() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

export type SagaHarness = Awaited<ReturnType<typeof startSagaHarness>>;
