import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createOrderLoaders } from '../src/order/order.loaders.ts';
import { OrderRepository } from '../src/order/order.repository.ts';
import { OrderService } from '../src/order/order.service.ts';
import { IllegalOrderTransitionError } from '../src/order/order.state.ts';
import { insertOrder, startOrders } from './fixtures.ts';

let orders: Awaited<ReturnType<typeof startOrders>>;

before(async () => {
  orders = await startOrders();
});

after(async () => {
  await orders?.stop();
});

function service() {
  const repository = new OrderRepository(orders.orm.em.fork());
  return new OrderService(repository, createOrderLoaders(repository));
}

describe('order status transitions', () => {
  it('records every transition with its previous status and reason, in order', async () => {
    const id = await insertOrder(orders.orm, { userId: randomUUID(), status: 'PENDING' });
    await service().transition(id, 'CONFIRMED', 'payment captured');
    await service().transition(id, 'FULFILLED');
    const final = await service().transition(id, 'REFUNDED', 'returned by customer');
    assert.equal(final.status, 'REFUNDED');

    const history = await service().statusHistory(id);
    assert.deepEqual(
      history.map((h) => [h.fromStatus, h.toStatus, h.reason]),
      [
        ['PENDING', 'CONFIRMED', 'payment captured'],
        ['CONFIRMED', 'FULFILLED', null],
        ['FULFILLED', 'REFUNDED', 'returned by customer'],
      ],
    );
    const [stored] = await orders.orm.em.fork().getConnection().execute<{ status: string }[]>(
      `select status from "${orders.orm.config.get('schema')}".orders where id = ?`,
      [id],
    );
    assert.equal(stored?.status, 'REFUNDED');
  });

  it('refuses a transition the state machine forbids and leaves status and history unchanged', async () => {
    const id = await insertOrder(orders.orm, { userId: randomUUID(), status: 'CANCELLED' });
    await assert.rejects(service().transition(id, 'CONFIRMED'), IllegalOrderTransitionError);
    const order = await service().findOrder({ userId: randomUUID(), roles: ['ADMIN'] }, id);
    assert.equal(order?.status, 'CANCELLED');
    assert.deepEqual(await service().statusHistory(id), []);
  });

  it('serializes two concurrent confirmations of one order: one wins, the other is refused', async () => {
    const id = await insertOrder(orders.orm, { userId: randomUUID(), status: 'PENDING' });
    const results = await Promise.allSettled([service().transition(id, 'CONFIRMED'), service().transition(id, 'CONFIRMED')]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(rejected.reason instanceof IllegalOrderTransitionError);
    assert.equal((await service().statusHistory(id)).length, 1);
  });

  it('reports NOT_FOUND for an order that does not exist', async () => {
    await assert.rejects(service().transition(randomUUID(), 'CONFIRMED'), (error: { extensions?: { code?: string } }) => error.extensions?.code === 'NOT_FOUND');
  });
});
