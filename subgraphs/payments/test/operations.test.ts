import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { CARDS, PAYMENT_FIELDS, startPayments } from './fixtures.ts';

const TIMEOUT_MS = 300;
let payments: Awaited<ReturnType<typeof startPayments>>;

before(async () => {
  payments = await startPayments({ providerTimeoutMs: TIMEOUT_MS, slowCallMs: 20 * TIMEOUT_MS });
});

after(async () => {
  await payments?.stop();
});

const CAPTURE = `mutation ($orderId: ID!) { capturePayment(orderId: $orderId) { ${PAYMENT_FIELDS} } }`;
const VOID = `mutation ($orderId: ID!) { voidPayment(orderId: $orderId) { ${PAYMENT_FIELDS} } }`;
const REFUND = `mutation ($orderId: ID!, $amount: Int!, $key: String) { refundPayment(orderId: $orderId, amount: $amount, idempotencyKey: $key) { ${PAYMENT_FIELDS} } }`;

async function internal(query: string, variables: Record<string, unknown>) {
  return postGraphQL(payments.url, query, variables, await payments.asService());
}

/** An order of `amount` cents with an authorized payment; returns its ids. */
async function authorizedOrder(amount = 10_000) {
  const customer = randomUUID();
  const orderId = randomUUID();
  const token = await payments.tokenFor(customer);
  const result = await payments.authorize({ orderId, userId: customer, token, amount });
  assert.equal(result.body.data?.authorizePayment.__typename, 'PaymentAuthorized', JSON.stringify(result.body));
  return { customer, orderId, paymentId: result.body.data!.authorizePayment.payment.id as string };
}

async function capturedOrder(amount = 10_000) {
  const order = await authorizedOrder(amount);
  const captured = await internal(CAPTURE, { orderId: order.orderId });
  assert.equal(captured.body.data?.capturePayment.status, 'CAPTURED');
  return order;
}

const codesOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.map((e) => e.extensions?.code);

describe('authorizePayment with the sandbox test cards', () => {
  it('4242 4242 4242 4242 is authorized and recorded as an AUTHORIZED payment', async () => {
    const customer = randomUUID();
    const token = await payments.tokenFor(customer, CARDS.succeeds);
    const result = await payments.authorize({ orderId: randomUUID(), userId: customer, token, amount: 12_345 });
    const payment = result.body.data?.authorizePayment.payment;
    assert.deepEqual(result.body, {
      data: {
        authorizePayment: {
          __typename: 'PaymentAuthorized',
          payment: {
            id: payment?.id,
            status: 'AUTHORIZED',
            amount: { amount: 12_345, currency: 'USD' },
            refunded: { amount: 0, currency: 'USD' },
            card: { brand: 'visa', last4: '4242' },
          },
        },
      },
    });
  });

  it('4000 0000 0000 0002 is declined with card_declined and recorded as a FAILED payment', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer, CARDS.declined);
    const result = await payments.authorize({ orderId, userId: customer, token });
    assert.deepEqual(result.body, {
      data: { authorizePayment: { __typename: 'PaymentDeclined', reason: 'card_declined', message: 'Your card was declined.' } },
    });
    const [row] = await payments.rows('payments', 'order_id = ?', [orderId]);
    assert.deepEqual([row?.status, row?.failure_reason, row?.card_last4], ['FAILED', 'card_declined', '0002']);
  });

  it('4000 0000 0000 9995 is declined with insufficient_funds', async () => {
    const customer = randomUUID();
    const token = await payments.tokenFor(customer, CARDS.insufficientFunds);
    const result = await payments.authorize({ orderId: randomUUID(), userId: customer, token });
    assert.deepEqual(result.body.data?.authorizePayment, {
      __typename: 'PaymentDeclined',
      reason: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  });

  it('4000 0000 0000 0119 outlasts the client timeout: declined as provider_timeout, nothing recorded, the token still unused', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer, CARDS.timesOut);
    const started = Date.now();
    const result = await payments.authorize({ orderId, userId: customer, token });
    const elapsed = Date.now() - started;
    assert.deepEqual(result.body.data?.authorizePayment, {
      __typename: 'PaymentDeclined',
      reason: 'provider_timeout',
      message: 'The payment could not be confirmed in time. Try again.',
    });
    assert.ok(elapsed >= TIMEOUT_MS && elapsed < 10 * TIMEOUT_MS, `answered after ${elapsed} ms`);
    assert.deepEqual(await payments.rows('payments', 'order_id = ?', [orderId]), []);
    const [call] = await payments.rows('provider_calls', 'idempotency_key = ?', [`order:${orderId}:authorize`]);
    assert.deepEqual([call?.status, call?.outcome], ['pending', null], 'the outcome stays unknown, so a retry asks the provider again');
    const [stored] = await payments.rows('sandbox_tokens', 'customer_id = ?', [customer]);
    assert.equal(stored?.used_at, null);
  });
});

describe('idempotency', () => {
  it('authorizing the same order twice returns the same payment and charges the card once', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer);
    const before = payments.provider.calls.authorize;
    const first = await payments.authorize({ orderId, userId: customer, token });
    const second = await payments.authorize({ orderId, userId: customer, token });
    assert.equal(first.body.data?.authorizePayment.__typename, 'PaymentAuthorized');
    assert.deepEqual(second.body, first.body);
    assert.equal(payments.provider.calls.authorize - before, 1);
    assert.equal((await payments.rows('sandbox_charges', 'customer_id = ?', [customer])).length, 1);
  });

  it('a retry after the payment row was lost (crash after the provider answered) gets the first charge from the ledger', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer);
    const first = await payments.authorize({ orderId, userId: customer, token });
    assert.equal(first.body.data?.authorizePayment.__typename, 'PaymentAuthorized');
    const [lost] = await payments.rows<{ provider_ref: string }>('payments', 'order_id = ?', [orderId]);
    await payments.query('delete from payments where order_id = ?', [orderId]);
    const before = payments.provider.calls.authorize;

    const retry = await payments.authorize({ orderId, userId: customer, token });
    assert.equal(retry.body.data?.authorizePayment.__typename, 'PaymentAuthorized', JSON.stringify(retry.body));
    assert.equal(payments.provider.calls.authorize, before, 'the ledger answered without calling the provider');
    const [restored] = await payments.rows<{ provider_ref: string }>('payments', 'order_id = ?', [orderId]);
    assert.equal(restored?.provider_ref, lost?.provider_ref);
  });

  it('two concurrent authorizations of one order agree on one payment and make one charge', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer);
    const [a, b] = await Promise.all([payments.authorize({ orderId, userId: customer, token }), payments.authorize({ orderId, userId: customer, token })]);
    assert.equal(a.body.data?.authorizePayment.__typename, 'PaymentAuthorized', JSON.stringify(a.body));
    assert.deepEqual(b.body, a.body);
    assert.equal((await payments.rows('sandbox_charges', 'customer_id = ?', [customer])).length, 1);
  });

  it('a repeated declined authorization is declined the same way without another charge attempt', async () => {
    const customer = randomUUID();
    const orderId = randomUUID();
    const token = await payments.tokenFor(customer, CARDS.declined);
    const first = await payments.authorize({ orderId, userId: customer, token });
    const before = payments.provider.calls.authorize;
    const second = await payments.authorize({ orderId, userId: customer, token });
    assert.deepEqual(second.body, first.body);
    assert.equal(payments.provider.calls.authorize, before);
  });

  it('refuses to authorize an order again for a different amount with CONFLICT', async () => {
    const { customer, orderId } = await authorizedOrder(5_000);
    const token = await payments.tokenFor(customer);
    const result = await payments.authorize({ orderId, userId: customer, token, amount: 6_000 });
    assert.deepEqual(codesOf(result.body), ['CONFLICT']);
  });

  it('capturing twice returns the same captured payment and captures at the provider once', async () => {
    const { orderId, paymentId } = await authorizedOrder();
    const before = payments.provider.calls.capture;
    const first = await internal(CAPTURE, { orderId });
    const second = await internal(CAPTURE, { orderId });
    assert.deepEqual(first.body, {
      data: {
        capturePayment: {
          id: paymentId,
          status: 'CAPTURED',
          amount: { amount: 10_000, currency: 'USD' },
          refunded: { amount: 0, currency: 'USD' },
          card: { brand: 'visa', last4: '4242' },
        },
      },
    });
    assert.deepEqual(second.body, first.body);
    assert.equal(payments.provider.calls.capture - before, 1);
  });
});

describe('void', () => {
  it('releases an authorization, is idempotent, and the voided payment can no longer be captured', async () => {
    const { orderId } = await authorizedOrder();
    const first = await internal(VOID, { orderId });
    const second = await internal(VOID, { orderId });
    assert.equal(first.body.data?.voidPayment.status, 'VOIDED');
    assert.deepEqual(second.body, first.body);
    const capture = await internal(CAPTURE, { orderId });
    assert.deepEqual(codesOf(capture.body), ['CONFLICT']);
  });

  it('returns null for an order without a payment, so compensation before authorization is harmless', async () => {
    const result = await internal(VOID, { orderId: randomUUID() });
    assert.deepEqual(result.body, { data: { voidPayment: null } });
  });

  it('refuses to void a captured payment (it must be refunded)', async () => {
    const { orderId } = await capturedOrder();
    const result = await internal(VOID, { orderId });
    assert.deepEqual(codesOf(result.body), ['CONFLICT']);
  });
});

describe('refund', () => {
  it('refunds part, then the rest: PARTIALLY_REFUNDED then REFUNDED', async () => {
    const { orderId } = await capturedOrder(10_000);
    const partial = await internal(REFUND, { orderId, amount: 3_000 });
    assert.deepEqual(
      [partial.body.data?.refundPayment.status, partial.body.data?.refundPayment.refunded],
      ['PARTIALLY_REFUNDED', { amount: 3_000, currency: 'USD' }],
    );
    const rest = await internal(REFUND, { orderId, amount: 7_000 });
    assert.deepEqual(
      [rest.body.data?.refundPayment.status, rest.body.data?.refundPayment.refunded],
      ['REFUNDED', { amount: 10_000, currency: 'USD' }],
    );
  });

  it('refunds in full in one call', async () => {
    const { orderId } = await capturedOrder(4_200);
    const result = await internal(REFUND, { orderId, amount: 4_200 });
    assert.deepEqual([result.body.data?.refundPayment.status, result.body.data?.refundPayment.refunded.amount], ['REFUNDED', 4_200]);
  });

  it('a repeated refund is applied once; two equal refunds need distinct keys', async () => {
    const { orderId } = await capturedOrder(10_000);
    const before = payments.provider.calls.refund;
    await internal(REFUND, { orderId, amount: 1_000 });
    const repeated = await internal(REFUND, { orderId, amount: 1_000 });
    assert.equal(repeated.body.data?.refundPayment.refunded.amount, 1_000);
    assert.equal(payments.provider.calls.refund - before, 1);
    await internal(REFUND, { orderId, amount: 1_000, key: 'goodwill-1' });
    const second = await internal(REFUND, { orderId, amount: 1_000, key: 'goodwill-2' });
    assert.equal(second.body.data?.refundPayment.refunded.amount, 3_000);
    assert.equal((await payments.rows('sandbox_refunds')).filter((r) => String(r.idempotency_key).startsWith(`order:${orderId}`)).length, 3);
  });

  it('refuses more than is left with BAD_USER_INPUT on amount, and an uncaptured payment with CONFLICT', async () => {
    const captured = await capturedOrder(10_000);
    await internal(REFUND, { orderId: captured.orderId, amount: 9_000 });
    const tooMuch = await internal(REFUND, { orderId: captured.orderId, amount: 1_001 });
    assert.deepEqual(tooMuch.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', 'amount']]);
    const authorized = await authorizedOrder();
    const early = await internal(REFUND, { orderId: authorized.orderId, amount: 100 });
    assert.deepEqual(codesOf(early.body), ['CONFLICT']);
  });

  it('reports NOT_FOUND for an order without a payment', async () => {
    const result = await internal(REFUND, { orderId: randomUUID(), amount: 100 });
    assert.deepEqual(codesOf(result.body), ['NOT_FOUND']);
  });
});

describe('internal mutations', () => {
  it('are refused to customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED), and allowed to ADMINs', async () => {
    const { customer, orderId } = await authorizedOrder();
    const asCustomer = await postGraphQL(payments.url, CAPTURE, { orderId }, await payments.as(customer));
    assert.deepEqual(codesOf(asCustomer.body), ['FORBIDDEN']);
    const anonymous = await postGraphQL(payments.url, CAPTURE, { orderId });
    assert.deepEqual(codesOf(anonymous.body), ['UNAUTHENTICATED']);
    const token = await payments.tokenFor(customer);
    const selfAuthorize = await payments.authorize({ orderId: randomUUID(), userId: customer, token }, await payments.as(customer));
    assert.deepEqual(codesOf(selfAuthorize.body), ['FORBIDDEN']);
    const asAdmin = await postGraphQL(payments.url, CAPTURE, { orderId }, await payments.as(randomUUID(), 'ADMIN'));
    assert.equal(asAdmin.body.data?.capturePayment.status, 'CAPTURED');
  });

  it('validate their arguments with BAD_USER_INPUT naming the field', async () => {
    const customer = randomUUID();
    const cases = [
      { args: { orderId: 'order-1' }, field: 'orderId' },
      { args: { userId: 'me' }, field: 'userId' },
      { args: { amount: 0 }, field: 'amount' },
      { args: { currency: 'usd' }, field: 'currency' },
    ];
    for (const { args, field } of cases) {
      const result = await payments.authorize({ orderId: randomUUID(), userId: customer, token: 'tok_x', ...args });
      assert.deepEqual(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', field]], field);
    }
  });
});

describe('payment events', () => {
  it('records each status change in the outbox with the change itself: authorized, captured, refunded', async () => {
    const order = await capturedOrder(4_000);
    const refunded = await internal(REFUND, { orderId: order.orderId, amount: 1_500, key: 'partial' });
    assert.equal(refunded.body.data?.refundPayment.status, 'PARTIALLY_REFUNDED');
    const events = await payments.query<{ type: string; payload: Record<string, unknown> }>(
      `select type, payload from outbox where payload->>'orderId' = ? order by created_at, id`,
      [order.orderId],
    );
    const base = { paymentId: order.paymentId, orderId: order.orderId, userId: order.customer, amount: { amount: 4_000, currency: 'USD' } };
    assert.deepEqual(events, [
      { type: 'PaymentAuthorized', payload: { ...base, status: 'AUTHORIZED', refunded: 0 } },
      { type: 'PaymentCaptured', payload: { ...base, status: 'CAPTURED', refunded: 0 } },
      { type: 'PaymentRefunded', payload: { ...base, status: 'PARTIALLY_REFUNDED', refunded: 1_500 } },
    ]);
  });

  it('records no event for a capture that changed nothing (a repeated call)', async () => {
    const order = await capturedOrder(2_000);
    await internal(CAPTURE, { orderId: order.orderId });
    const events = await payments.query<{ type: string }>(`select type from outbox where payload->>'orderId' = ?`, [order.orderId]);
    assert.deepEqual(events.map((e) => e.type).sort(), ['PaymentAuthorized', 'PaymentCaptured']);
  });
});
