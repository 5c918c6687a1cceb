import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { insertPayment, startPayments } from './fixtures.ts';

const statements: string[] = [];
let payments: Awaited<ReturnType<typeof startPayments>>;

before(async () => {
  payments = await startPayments({ onQuery: (sql) => statements.push(sql) });
});

after(async () => {
  await payments?.stop();
});

const PAYMENT_ENTITY = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Payment { id status amount { amount currency } refunded { amount currency } card { brand last4 } createdAt }
    }
  }`;

const ORDER_PAYMENT = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Order { id payment { id status card { brand last4 } } }
    }
  }`;

describe('Payment entity', () => {
  it('resolves a payment for its customer with amount, refunded amount, card and creation time', async () => {
    const customer = randomUUID();
    const payment = await insertPayment(payments.orm, { userId: customer, amount: 4200, createdAt: new Date('2026-04-04T04:04:04.404Z') });
    const result = await postGraphQL(payments.url, PAYMENT_ENTITY, { representations: [{ __typename: 'Payment', id: payment.id }] }, await payments.as(customer));
    assert.deepEqual(result.body, {
      data: {
        _entities: [
          {
            id: payment.id,
            status: 'CAPTURED',
            amount: { amount: 4200, currency: 'USD' },
            refunded: { amount: 0, currency: 'USD' },
            card: { brand: 'visa', last4: '4242' },
            createdAt: '2026-04-04T04:04:04.404Z',
          },
        ],
      },
    });
  });

  it("returns null for another customer's payment, for anonymous callers and for forged identity headers", async () => {
    const payment = await insertPayment(payments.orm, { userId: randomUUID() });
    const forged = { 'x-user-id': payment.userId, 'x-viewer-token': 'forged' };
    for (const headers of [await payments.as(randomUUID()), {}, forged]) {
      const result = await postGraphQL(payments.url, PAYMENT_ENTITY, { representations: [{ __typename: 'Payment', id: payment.id }] }, headers);
      assert.deepEqual(result.body, { data: { _entities: [null] } });
    }
  });

  it('returns null for an unknown payment id and for an id that is not a UUID', async () => {
    const result = await postGraphQL(
      payments.url,
      PAYMENT_ENTITY,
      { representations: [{ __typename: 'Payment', id: randomUUID() }, { __typename: 'Payment', id: 'pay_1' }] },
      await payments.as(randomUUID(), 'ADMIN'),
    );
    assert.deepEqual(result.body, { data: { _entities: [null, null] } });
  });
});

describe('Order.payment', () => {
  it("adds the order's payment for its customer, null for an order without one", async () => {
    const customer = randomUUID();
    const payment = await insertPayment(payments.orm, { userId: customer, status: 'AUTHORIZED' });
    const unpaid = randomUUID();
    const result = await postGraphQL(
      payments.url,
      ORDER_PAYMENT,
      { representations: [{ __typename: 'Order', id: payment.orderId }, { __typename: 'Order', id: unpaid }] },
      await payments.as(customer),
    );
    assert.deepEqual(result.body, {
      data: {
        _entities: [
          { id: payment.orderId, payment: { id: payment.id, status: 'AUTHORIZED', card: { brand: 'visa', last4: '4242' } } },
          { id: unpaid, payment: null },
        ],
      },
    });
  });

  it("hides another customer's payment behind null and shows it to an ADMIN", async () => {
    const payment = await insertPayment(payments.orm, { userId: randomUUID() });
    const ref = { representations: [{ __typename: 'Order', id: payment.orderId }] };
    const stranger = await postGraphQL(payments.url, ORDER_PAYMENT, ref, await payments.as(randomUUID()));
    assert.deepEqual(stranger.body, { data: { _entities: [{ id: payment.orderId, payment: null }] } });
    const admin = await postGraphQL(payments.url, ORDER_PAYMENT, ref, await payments.as(randomUUID(), 'ADMIN'));
    assert.equal(admin.body.data?._entities[0].payment.id, payment.id);
  });

  it('loads the payments of many orders with one statement', async () => {
    const customer = randomUUID();
    const orderIds: string[] = [];
    for (let i = 0; i < 5; i++) orderIds.push((await insertPayment(payments.orm, { userId: customer })).orderId);
    statements.length = 0;
    const result = await postGraphQL(
      payments.url,
      ORDER_PAYMENT,
      { representations: orderIds.map((id) => ({ __typename: 'Order', id })) },
      await payments.as(customer),
    );
    assert.equal(result.body.data?._entities.filter((o: { payment: unknown }) => o.payment).length, 5);
    assert.equal(statements.length, 1, statements.join('\n'));
  });
});
