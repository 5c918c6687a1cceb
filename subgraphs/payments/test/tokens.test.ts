import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { CARDS, CREATE_TOKEN, startPayments } from './fixtures.ts';

let payments: Awaited<ReturnType<typeof startPayments>>;
const nextYear = new Date().getUTCFullYear() + 1;

before(async () => {
  payments = await startPayments();
});

after(async () => {
  await payments?.stop();
});

describe('createPaymentToken', () => {
  it('turns a test card into a token with brand and last 4, exactly as the contract asks', async () => {
    const result = await postGraphQL(payments.url, CREATE_TOKEN, { number: CARDS.succeeds, expMonth: 12, expYear: nextYear, cvc: '123' }, await payments.as(randomUUID()));
    assert.equal(result.body.errors, undefined);
    const { token, brand, last4 } = result.body.data!.createPaymentToken;
    assert.match(token, /^tok_[\w-]{32}$/);
    assert.deepEqual({ brand, last4 }, { brand: 'visa', last4: '4242' });
  });

  it('keeps only a hash of the token and brand + last 4 of the card, never the number or the CVC', async () => {
    const customer = randomUUID();
    const result = await postGraphQL(payments.url, CREATE_TOKEN, { number: '5555-5555-5555-4444', expMonth: 1, expYear: nextYear, cvc: '987' }, await payments.as(customer));
    const { token } = result.body.data!.createPaymentToken;
    const rows = await payments.rows('sandbox_tokens', 'customer_id = ?', [customer]);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.deepEqual(Object.keys(row).sort(), ['brand', 'created_at', 'customer_id', 'expires_at', 'last4', 'scenario', 'token_hash', 'used_at', 'used_by_key']);
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.deepEqual([row.brand, row.last4], ['mastercard', '4444']);
    for (const value of Object.values(row).map(String)) {
      assert.ok(!value.includes(token) && !value.includes('5555555555554444') && value !== '987', `stored ${value}`);
    }
  });

  it('expires the token 15 minutes after it was created', async () => {
    const customer = randomUUID();
    const token = await payments.tokenFor(customer);
    const [row] = await payments.query<{ ttl_ms: string }>(
      'select extract(epoch from expires_at - created_at) * 1000 as ttl_ms from sandbox_tokens where customer_id = ?',
      [customer],
    );
    assert.equal(Number(row!.ttl_ms), 15 * 60 * 1000);
    assert.ok(token);
  });

  it('requires a signed-in customer', async () => {
    const result = await postGraphQL(payments.url, CREATE_TOKEN, { number: CARDS.succeeds, expMonth: 12, expYear: nextYear, cvc: '123' });
    assert.deepEqual(result.body.data, null);
    assert.deepEqual(result.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
  });

  it('refuses a bad card with BAD_USER_INPUT naming the field', async () => {
    const customer = randomUUID();
    const viewer = await payments.as(customer);
    const tokenizeCallsBefore = payments.provider.calls.tokenize;
    const thisYear = new Date().getUTCFullYear();
    const cases = [
      { card: { number: '4242 4242 4242 4241', expMonth: 12, expYear: nextYear, cvc: '123' }, field: 'card.number' },
      { card: { number: '1234', expMonth: 12, expYear: nextYear, cvc: '123' }, field: 'card.number' },
      { card: { number: CARDS.succeeds, expMonth: 13, expYear: nextYear, cvc: '123' }, field: 'card.expMonth' },
      { card: { number: CARDS.succeeds, expMonth: 12, expYear: thisYear - 1, cvc: '123' }, field: 'card.expYear' },
      { card: { number: CARDS.succeeds, expMonth: 12, expYear: nextYear, cvc: '12' }, field: 'card.cvc' },
    ];
    for (const { card, field } of cases) {
      const result = await postGraphQL(payments.url, CREATE_TOKEN, card, viewer);
      assert.deepEqual(
        result.body.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })),
        [{ code: 'BAD_USER_INPUT', field }],
        JSON.stringify(card),
      );
    }
    assert.equal(payments.provider.calls.tokenize - tokenizeCallsBefore, cases.length, 'the provider validated every card');
    assert.deepEqual(await payments.rows('sandbox_tokens', 'customer_id = ?', [customer]), []);
  });
});

describe('token use', () => {
  it('is single-use: a second order paying with the same token is declined', async () => {
    const customer = randomUUID();
    const token = await payments.tokenFor(customer);
    const first = await payments.authorize({ orderId: randomUUID(), userId: customer, token });
    assert.equal(first.body.data?.authorizePayment.__typename, 'PaymentAuthorized');
    const second = await payments.authorize({ orderId: randomUUID(), userId: customer, token });
    assert.deepEqual(second.body, {
      data: {
        authorizePayment: {
          __typename: 'PaymentDeclined',
          reason: 'token_already_used',
          message: 'The payment token has already been used; create a new one.',
        },
      },
    });
  });

  it('is declined as expired once 15 minutes have passed', async () => {
    const customer = randomUUID();
    const token = await payments.tokenFor(customer);
    payments.advanceClock(15 * 60 * 1000 + 1);
    const result = await payments.authorize({ orderId: randomUUID(), userId: customer, token });
    assert.deepEqual(result.body.data?.authorizePayment, {
      __typename: 'PaymentDeclined',
      reason: 'token_expired',
      message: 'The payment token has expired; create a new one.',
    });
  });

  it("cannot pay for another customer's order, and an unknown token is invalid", async () => {
    const token = await payments.tokenFor(randomUUID());
    for (const candidate of [token, 'tok_made_up']) {
      const result = await payments.authorize({ orderId: randomUUID(), userId: randomUUID(), token: candidate });
      assert.deepEqual(result.body.data?.authorizePayment, {
        __typename: 'PaymentDeclined',
        reason: 'invalid_token',
        message: 'The payment token is not valid.',
      });
    }
  });
});
