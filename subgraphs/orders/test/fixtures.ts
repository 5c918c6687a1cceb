import { randomUUID } from 'node:crypto';
import {
  createIdentitySigner,
  createIdentityVerifier,
  createLogger,
  generateIdentityKeys,
  IDENTITY_HEADER,
  migrateDatabase,
  type MikroORM,
  type Role,
} from '@shop/platform';
import { dropSchema, TEST_DATABASE_URL, uniqueSchemaName } from '@shop/platform/testing';
import { Order, OrderItem } from '../src/order/order.entity.ts';
import type { OrderStatus } from '../src/order/order.state.ts';
import { createSagaServices } from '../src/remote/saga-services.ts';
import { createServer, openDatabase } from '../src/server.ts';

export interface OrderFixture {
  userId: string;
  status?: OrderStatus;
  placedAt?: Date;
  items?: { sku: string; quantity: number; unitPriceAmount: number }[];
}

/** Inserts an order and its items straight through the ORM; returns the order id. */
export async function insertOrder(orm: MikroORM, fixture: OrderFixture): Promise<string> {
  const em = orm.em.fork();
  const id = randomUUID();
  const items = fixture.items ?? [{ sku: 'SKU-1', quantity: 1, unitPriceAmount: 1000 }];
  const placedAt = fixture.placedAt ?? new Date();
  const order = em.create(Order, {
    id,
    userId: fixture.userId,
    status: fixture.status ?? 'PENDING',
    totalAmount: items.reduce((sum, item) => sum + item.quantity * item.unitPriceAmount, 0),
    currency: 'USD',
    idempotencyKey: randomUUID(),
    requestHash: 'fixture',
    placedAt,
    updatedAt: placedAt,
  });
  items.forEach((item, position) => em.create(OrderItem, { id: randomUUID(), order, currency: 'USD', position, ...item }));
  await em.flush();
  return id;
}

/**
 * A running orders subgraph on a fresh schema, plus a signer standing in for
 * the gateway so tests can call it as any viewer. Checkout is not what these
 * tests exercise: its services point at a port where nothing listens (the
 * saga tests use saga-harness.ts).
 */
export async function startOrders(options: { onQuery?: (sql: string) => void } = {}) {
  const schema = uniqueSchemaName('orders');
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, onQuery: options.onQuery });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  const keys = await generateIdentityKeys();
  const signer = await createIdentitySigner(keys.privateKey);
  const nowhere = 'http://127.0.0.1:9/graphql';
  const server = await createServer({
    orm,
    logger: createLogger('orders-test', 'silent'),
    identity: await createIdentityVerifier(keys.publicKey),
    services: createSagaServices({ productsUrl: nowhere, inventoryUrl: nowhere, paymentsUrl: nowhere, timeoutMs: 500, signer }),
  });
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  return {
    orm,
    url,
    /** Headers the gateway would send for this viewer. */
    as: async (userId: string, ...roles: Role[]) => ({ [IDENTITY_HEADER]: await signer.sign({ userId, roles: roles.length ? roles : ['CUSTOMER'] }) }),
    async stop() {
      await server.close();
      await orm.close();
      await dropSchema(schema);
    },
  };
}
