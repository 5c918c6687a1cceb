import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { countStatements, postGraphQL, type GraphQLResponse } from '@shop/platform/testing';
import { CARDS, PAYMENT_FIELDS, startPayments } from './fixtures.ts';

let payments: Awaited<ReturnType<typeof startPayments>>;

before(async () => {
  payments = await startPayments();
});

after(async () => {
  await payments?.stop();
});

const AUTHORIZE_RESULT = `
  __typename
  ... on PaymentAuthorized { payment { ${PAYMENT_FIELDS} } }
  ... on PaymentDeclined { reason message }`;

const AUTHORIZE_BATCH = `
  mutation ($requests: [AuthorizePaymentInput!]!) { authorizePayments(requests: $requests) { ${AUTHORIZE_RESULT} } }`;
const CAPTURE = `mutation ($orderId: ID!) { capturePayment(orderId: $orderId) { ${PAYMENT_FIELDS} } }`;
const CAPTURE_BATCH = `mutation ($orderIds: [ID!]!) { capturePayments(orderIds: $orderIds) { ${PAYMENT_FIELDS} } }`;
const VOID = `mutation ($orderId: ID!) { voidPayment(orderId: $orderId) { status } }`;

interface AuthorizeRequest {
  orderId: string;
  userId: string;
  token: string;
  amount: number;
  currency: string;
}

async function internal(query: string, variables: Record<string, unknown>) {
  return postGraphQL(payments.url, query, variables, await payments.asService());
}

/** One answer of a list or single mutation: the item, or the code of its error. */
type Answer = { item: Record<string, any> | null; code?: unknown };

function batchAnswers(body: GraphQLResponse['body'], field: string): Answer[] {
  const items: (Record<string, any> | null)[] = body.data?.[field] ?? [];
  return items.map((item, i) => {
    const error = body.errors?.find((e) => e.path?.[0] === field && e.path?.[1] === i);
    return error ? { item, code: error.extensions?.code } : { item };
  });
}

function singleAnswer(body: GraphQLResponse['body'], field: string): Answer {
  return body.errors ? { item: null, code: body.errors[0]?.extensions?.code } : { item: body.data?.[field] };
}

/** An answer without the payment's id (each run makes its own payments). */
function withoutIds(answer: Answer): Answer {
  const strip = (item: Record<string, any>) => {
    const { id: _id, ...rest } = item;
    return rest;
  };
  if (!answer.item) return answer;
  const item = answer.item.payment ? { ...answer.item, payment: strip(answer.item.payment) } : 'status' in answer.item ? strip(answer.item) : answer.item;
  return { ...answer, item };
}

const request = (userId: string, token: string, amount = 10_000): AuthorizeRequest => ({ orderId: randomUUID(), userId, token, amount, currency: 'USD' });

/**
 * Fresh customers and tokens for every kind of authorization: approved,
 * declined by the issuer (two ways), a token of another customer, an order
 * authorized before (repeated), the same token for two orders, an argument
 * that is not valid, the same request twice, and an order authorized before
 * asked again for another amount.
 */
async function authorizeMix(): Promise<{ requests: AuthorizeRequest[]; earlier: AuthorizeRequest }> {
  const [ann, bob, cy, dee, eve, fay] = Array.from({ length: 6 }, () => randomUUID()) as [string, string, string, string, string, string];
  const approved = request(ann, await payments.tokenFor(ann));
  const earlier = request(fay, await payments.tokenFor(fay), 7_000);
  const first = await payments.authorize(earlier);
  assert.equal(first.body.data?.authorizePayment.__typename, 'PaymentAuthorized');
  const shared = await payments.tokenFor(eve);
  return {
    earlier,
    requests: [
      approved,
      request(bob, await payments.tokenFor(bob, CARDS.declined)),
      request(bob, await payments.tokenFor(bob, CARDS.insufficientFunds)),
      request(cy, await payments.tokenFor(dee)),
      earlier,
      request(eve, shared),
      request(eve, shared),
      { ...request(ann, 'tok_x'), orderId: 'order-1' },
      approved,
      { ...earlier, amount: 8_000 },
    ],
  };
}

const EXPECTED_AUTHORIZATIONS = [
  { item: { __typename: 'PaymentAuthorized', status: 'AUTHORIZED', amount: 10_000 } },
  { item: { __typename: 'PaymentDeclined', reason: 'card_declined' } },
  { item: { __typename: 'PaymentDeclined', reason: 'insufficient_funds' } },
  { item: { __typename: 'PaymentDeclined', reason: 'invalid_token' } },
  { item: { __typename: 'PaymentAuthorized', status: 'AUTHORIZED', amount: 7_000 } },
  { item: { __typename: 'PaymentAuthorized', status: 'AUTHORIZED', amount: 10_000 } },
  { item: { __typename: 'PaymentDeclined', reason: 'token_already_used' } },
  { item: null, code: 'BAD_USER_INPUT' },
  { item: { __typename: 'PaymentAuthorized', status: 'AUTHORIZED', amount: 10_000 } },
  { item: null, code: 'CONFLICT' },
];

/** The gist of an authorization answer, to say what each of the mix gets. */
function gist(answer: Answer) {
  if (!answer.item) return answer;
  const { __typename, payment, reason } = answer.item;
  return { item: payment ? { __typename, status: payment.status, amount: payment.amount.amount } : { __typename, reason } };
}

async function chargesOf(requests: readonly AuthorizeRequest[]): Promise<number> {
  const rows = await payments.rows('sandbox_charges', 'customer_id::text in (?)', [[...new Set(requests.map((r) => r.userId))]]);
  return rows.length;
}

describe('authorizePayments', () => {
  it('answers a mix of orders exactly as authorizePayment answers them one by one, with as many charges', async () => {
    const batch = await authorizeMix();
    const batched = batchAnswers((await internal(AUTHORIZE_BATCH, { requests: batch.requests })).body, 'authorizePayments');
    const alone = await authorizeMix();
    const oneByOne: Answer[] = [];
    for (const r of alone.requests) oneByOne.push(singleAnswer((await payments.authorize(r)).body, 'authorizePayment'));

    assert.deepEqual(batched.map(gist), EXPECTED_AUTHORIZATIONS);
    assert.deepEqual(batched.map(withoutIds), oneByOne.map(withoutIds));
    // The same request twice is one payment; the repeated order keeps its first payment.
    assert.equal(batched[8]?.item?.payment.id, batched[0]?.item?.payment.id);
    const [earlier] = await payments.rows<{ id: string }>('payments', 'order_id = ?', [batch.earlier.orderId]);
    assert.equal(batched[4]?.item?.payment.id, earlier?.id);
    assert.equal(await chargesOf(batch.requests), await chargesOf(alone.requests));
  });

  it('charges nothing twice when its last statement fails: a retry records the charges the ledger kept', async () => {
    const customers = [randomUUID(), randomUUID(), randomUUID()];
    const requests = await Promise.all(customers.map(async (c) => request(c, await payments.tokenFor(c))));
    await payments.query(`create function fail_payment_insert() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await payments.query('create trigger fail_payment_insert before insert on payments execute function fail_payment_insert()');
    let failed;
    try {
      failed = await internal(AUTHORIZE_BATCH, { requests });
    } finally {
      await payments.query('drop trigger fail_payment_insert on payments');
    }
    assert.equal(failed.body.data, null);
    assert.equal(await chargesOf(requests), 3, 'the provider charged before the failure');
    assert.deepEqual(await payments.rows('payments', 'order_id::text in (?)', [requests.map((r) => r.orderId)]), []);

    const before = payments.provider.calls.authorize;
    const retried = batchAnswers((await internal(AUTHORIZE_BATCH, { requests })).body, 'authorizePayments');
    assert.deepEqual(retried.map(gist), requests.map(() => ({ item: { __typename: 'PaymentAuthorized', status: 'AUTHORIZED', amount: 10_000 } })));
    assert.equal(payments.provider.calls.authorize - before, 0, 'the ledger answered the retry with the first charges');
    assert.equal(await chargesOf(requests), 3);
    const events = await payments.query<{ type: string }>(`select type from outbox where payload->>'userId' in (?)`, [customers]);
    assert.deepEqual(events.map((e) => e.type), ['PaymentAuthorized', 'PaymentAuthorized', 'PaymentAuthorized']);
  });

  it('charges nothing twice when the provider answered but the ledger could not record it: the retry is answered under the same keys', async () => {
    const customers = [randomUUID(), randomUUID()];
    const requests = await Promise.all(customers.map(async (c) => request(c, await payments.tokenFor(c))));
    await payments.query(`create function fail_ledger_update() returns trigger language plpgsql as $$ begin raise exception 'connection lost'; end $$`);
    await payments.query('create trigger fail_ledger_update before update on provider_calls for each row execute function fail_ledger_update()');
    let failed;
    try {
      failed = await internal(AUTHORIZE_BATCH, { requests });
    } finally {
      await payments.query('drop trigger fail_ledger_update on provider_calls');
    }
    assert.equal(failed.body.data, null);
    assert.equal(await chargesOf(requests), 2);

    const before = payments.provider.calls.authorize;
    const retried = batchAnswers((await internal(AUTHORIZE_BATCH, { requests })).body, 'authorizePayments');
    assert.deepEqual(retried.map((a) => a.item?.__typename), ['PaymentAuthorized', 'PaymentAuthorized']);
    assert.equal(payments.provider.calls.authorize - before, 2, 'the pending calls were sent again under their keys');
    assert.equal(await chargesOf(requests), 2, 'and the provider answered them with the first charges');
  });

  it('uses no token when the provider statement fails, and a retry charges each card once', async () => {
    const customers = [randomUUID(), randomUUID()];
    const requests = await Promise.all(customers.map(async (c) => request(c, await payments.tokenFor(c))));
    await payments.query(`create function fail_charge_insert() returns trigger language plpgsql as $$ begin raise exception 'provider down'; end $$`);
    await payments.query('create trigger fail_charge_insert before insert on sandbox_charges execute function fail_charge_insert()');
    let failed;
    try {
      failed = await internal(AUTHORIZE_BATCH, { requests });
    } finally {
      await payments.query('drop trigger fail_charge_insert on sandbox_charges');
    }
    assert.deepEqual(batchAnswers(failed.body, 'authorizePayments'), [
      { item: null, code: 'INTERNAL_SERVER_ERROR' },
      { item: null, code: 'INTERNAL_SERVER_ERROR' },
    ]);
    const tokens = await payments.rows<{ used_at: Date | null }>('sandbox_tokens', 'customer_id::text in (?)', [customers]);
    assert.deepEqual(tokens.map((t) => t.used_at), [null, null]);

    const retried = batchAnswers((await internal(AUTHORIZE_BATCH, { requests })).body, 'authorizePayments');
    assert.deepEqual(retried.map((a) => a.item?.__typename), ['PaymentAuthorized', 'PaymentAuthorized']);
    assert.equal(await chargesOf(requests), 2);
  });

  it('refuses customers (FORBIDDEN) and an empty or oversized batch (BAD_USER_INPUT)', async () => {
    const customer = randomUUID();
    const asCustomer = await postGraphQL(payments.url, AUTHORIZE_BATCH, { requests: [request(customer, 'tok_x')] }, await payments.as(customer));
    assert.deepEqual(asCustomer.body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    const anonymous = await postGraphQL(payments.url, AUTHORIZE_BATCH, { requests: [] });
    assert.deepEqual(anonymous.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED'], 'who asks is checked before what is asked');
    for (const requests of [[], Array.from({ length: 501 }, () => request(customer, 'tok_x'))]) {
      const result = await internal(AUTHORIZE_BATCH, { requests });
      assert.deepEqual(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), [['BAD_USER_INPUT', 'requests']]);
    }
  });
});

/**
 * Orders in every state a capture can meet: authorized, captured before,
 * without a payment, voided, declined, an id that is not one, and the
 * authorized one named twice.
 */
async function captureMix(): Promise<string[]> {
  const authorizedOrder = async (number: string = CARDS.succeeds) => {
    const customer = randomUUID();
    const r = request(customer, await payments.tokenFor(customer, number));
    await payments.authorize(r);
    return r.orderId;
  };
  const authorized = await authorizedOrder();
  const captured = await authorizedOrder();
  assert.equal((await internal(CAPTURE, { orderId: captured })).body.data?.capturePayment.status, 'CAPTURED');
  const voided = await authorizedOrder();
  assert.equal((await internal(VOID, { orderId: voided })).body.data?.voidPayment.status, 'VOIDED');
  const declined = await authorizedOrder(CARDS.declined);
  return [authorized, captured, randomUUID(), voided, declined, 'order-1', authorized];
}

describe('capturePayments', () => {
  it('answers a mix of orders exactly as capturePayment answers them one by one, with one PaymentCaptured event per capture', async () => {
    const batch = await captureMix();
    const before = payments.provider.calls.capture;
    const batched = batchAnswers((await internal(CAPTURE_BATCH, { orderIds: batch })).body, 'capturePayments');
    assert.equal(payments.provider.calls.capture - before, 1, 'only the authorized payment reached the provider');
    const alone = await captureMix();
    const oneByOne: Answer[] = [];
    for (const orderId of alone) oneByOne.push(singleAnswer((await internal(CAPTURE, { orderId })).body, 'capturePayment'));

    assert.deepEqual(
      batched.map((a) => (a.item ? { status: a.item.status } : a)),
      [
        { status: 'CAPTURED' },
        { status: 'CAPTURED' },
        { item: null, code: 'NOT_FOUND' },
        { item: null, code: 'CONFLICT' },
        { item: null, code: 'CONFLICT' },
        { item: null, code: 'NOT_FOUND' },
        { status: 'CAPTURED' },
      ],
    );
    assert.deepEqual(batched.map(withoutIds), oneByOne.map(withoutIds));
    const events = await payments.query<{ type: string; order_id: string }>(
      `select type, payload->>'orderId' as order_id from outbox where type = 'PaymentCaptured' and payload->>'orderId' in (?)`,
      [batch.filter((id) => id !== 'order-1')],
    );
    assert.deepEqual(events.map((e) => e.order_id).sort(), [batch[0], batch[1]].sort());
  });

  it('captures nothing twice when its last statement fails: a retry takes the outcome from the ledger', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const customer = randomUUID();
      const r = request(customer, await payments.tokenFor(customer));
      await payments.authorize(r);
      orderIds.push(r.orderId);
    }
    await payments.query(`create function fail_payment_update() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await payments.query('create trigger fail_payment_update before update on payments execute function fail_payment_update()');
    const before = payments.provider.calls.capture;
    let failed;
    try {
      failed = await internal(CAPTURE_BATCH, { orderIds });
    } finally {
      await payments.query('drop trigger fail_payment_update on payments');
    }
    assert.equal(failed.body.data, null);
    const stored = await payments.rows<{ status: string }>('payments', 'order_id::text in (?)', [orderIds]);
    assert.deepEqual(stored.map((p) => p.status), ['AUTHORIZED', 'AUTHORIZED']);

    const retried = batchAnswers((await internal(CAPTURE_BATCH, { orderIds })).body, 'capturePayments');
    assert.deepEqual(retried.map((a) => a.item?.status), ['CAPTURED', 'CAPTURED']);
    assert.equal(payments.provider.calls.capture - before, 2, 'the retry did not reach the provider');
    const events = await payments.query<{ type: string }>(`select type from outbox where type = 'PaymentCaptured' and payload->>'orderId' in (?)`, [
      orderIds,
    ]);
    assert.equal(events.length, 2);
  });

  it('is refused to customers (FORBIDDEN) and allowed to ADMINs', async () => {
    const [orderId] = await captureMix();
    const asCustomer = await postGraphQL(payments.url, CAPTURE_BATCH, { orderIds: [orderId] }, await payments.as(randomUUID()));
    assert.deepEqual(asCustomer.body.errors?.map((e) => e.extensions?.code), ['FORBIDDEN']);
    const asAdmin = await postGraphQL(payments.url, CAPTURE_BATCH, { orderIds: [orderId] }, await payments.as(randomUUID(), 'ADMIN'));
    assert.equal(asAdmin.body.data?.capturePayments[0].status, 'CAPTURED');
  });
});

describe('statements per batch', () => {
  async function approvals(count: number): Promise<AuthorizeRequest[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const customer = randomUUID();
        return request(customer, await payments.tokenFor(customer));
      }),
    );
  }

  it('authorizing and capturing a batch costs as many statements for 24 orders as for 3', async () => {
    const small = await approvals(3);
    const large = await approvals(24);
    const headers = await payments.asService();
    const counter = countStatements();
    const cost = async (query: string, variables: Record<string, unknown>) => {
      counter.reset();
      const result = await postGraphQL(payments.url, query, variables, headers);
      assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
      return counter.count;
    };
    try {
      const authorizeSmall = await cost(AUTHORIZE_BATCH, { requests: small });
      const authorizeLarge = await cost(AUTHORIZE_BATCH, { requests: large });
      const captureSmall = await cost(CAPTURE_BATCH, { orderIds: small.map((r) => r.orderId) });
      const captureLarge = await cost(CAPTURE_BATCH, { orderIds: large.map((r) => r.orderId) });
      assert.deepEqual([authorizeLarge, captureLarge], [authorizeSmall, captureSmall]);
      // Read, open the ledger, the provider's statement, complete the ledger, write: no transaction needed.
      assert.deepEqual([authorizeLarge, captureLarge], [5, 5]);
    } finally {
      counter.stop();
    }
  });

  it('a lone authorizePayment costs the same five statements', async () => {
    const [one] = await approvals(1);
    const counter = countStatements();
    try {
      const result = await payments.authorize(one!);
      assert.equal(result.body.data?.authorizePayment.__typename, 'PaymentAuthorized');
      assert.equal(counter.count, 5);
    } finally {
      counter.stop();
    }
  });
});
