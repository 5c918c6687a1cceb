import { randomUUID } from 'node:crypto';
import {
  createIdentityVerifier,
  createLogger,
  migrateDatabase,
  sql,
  type MikroORM,
  type Role,
} from '@shop/platform';
import { createTestIdentities, dropSchema, postGraphQL, TEST_DATABASE_URL, uniqueSchemaName } from '@shop/platform/testing';
import { Payment } from '../src/payment/payment.entity.ts';
import type { PaymentStatus } from '../src/payment/payment.status.ts';
import type { PaymentProvider } from '../src/provider/payment-provider.ts';
import { SandboxPaymentProvider } from '../src/provider/sandbox-provider.ts';
import { createServer, openDatabase } from '../src/server.ts';

export const CARDS = {
  succeeds: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  timesOut: '4000 0000 0000 0119',
} as const;

type Method = 'tokenize' | 'authorize' | 'capture' | 'void' | 'refund';

/** Wraps a provider and counts the calls that reach it (a batch counts one per item), to prove retries do not. */
export class CountingProvider implements PaymentProvider {
  readonly calls: Record<Method, number> = { tokenize: 0, authorize: 0, capture: 0, void: 0, refund: 0 };
  readonly #inner: PaymentProvider;
  constructor(inner: PaymentProvider) {
    this.#inner = inner;
  }
  tokenize: PaymentProvider['tokenize'] = (...args) => (this.calls.tokenize++, this.#inner.tokenize(...args));
  authorize: PaymentProvider['authorize'] = (...args) => (this.calls.authorize++, this.#inner.authorize(...args));
  authorizeMany: PaymentProvider['authorizeMany'] = (requests, signal) => (
    (this.calls.authorize += requests.length), this.#inner.authorizeMany(requests, signal)
  );
  capture: PaymentProvider['capture'] = (...args) => (this.calls.capture++, this.#inner.capture(...args));
  captureMany: PaymentProvider['captureMany'] = (requests, signal) => ((this.calls.capture += requests.length), this.#inner.captureMany(requests, signal));
  void: PaymentProvider['void'] = (...args) => (this.calls.void++, this.#inner.void(...args));
  refund: PaymentProvider['refund'] = (...args) => (this.calls.refund++, this.#inner.refund(...args));
}

export interface StartOptions {
  providerTimeoutMs?: number;
  slowCallMs?: number;
  onQuery?: (sql: string) => void;
}

/**
 * A running payments subgraph on a fresh schema with the sandbox provider
 * behind a call counter, a clock the test can move, and a signer standing in
 * for the gateway so tests can call it as any viewer.
 */
export async function startPayments(options: StartOptions = {}) {
  const schema = uniqueSchemaName('payments');
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema, onQuery: options.onQuery });
  await migrateDatabase(orm, schema, TEST_DATABASE_URL);
  const identities = await createTestIdentities();
  let offsetMs = 0;
  const provider = new CountingProvider(
    new SandboxPaymentProvider(orm, { clock: () => new Date(Date.now() + offsetMs), slowCallMs: options.slowCallMs ?? 5_000 }),
  );
  const server = await createServer({
    orm,
    logger: createLogger('payments-test', 'silent'),
    identity: await createIdentityVerifier(identities.callers),
    provider,
    providerTimeoutMs: options.providerTimeoutMs ?? 2_000,
  });
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  const as = (userId: string, ...roles: Role[]) => identities.headers({ userId, roles: roles.length ? roles : ['CUSTOMER'] });
  const harness = {
    orm,
    url,
    provider,
    as,
    /** Headers of the orders saga calling in with its internal identity. */
    asService: () => as('00000000-0000-4000-8000-000000000000', 'SERVICE'),
    /** Moves the sandbox's clock forward (token and card expiry). */
    advanceClock: (ms: number) => {
      offsetMs += ms;
    },
    /** Rows of a table in this test's schema. */
    rows: <T = Record<string, unknown>>(table: string, where = 'true', params: unknown[] = []) =>
      sql<T>(orm.em.fork(), `select * from "${schema}".${table} where ${where}`, params),
    /** Any query, with this test's schema on the search path. */
    query: async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
      orm.em.fork().transactional(async (em) => {
        await sql(em, `set local search_path to "${schema}"`);
        return sql<T>(em, text, params);
      }),
    async tokenFor(customerId: string, number: string = CARDS.succeeds): Promise<string> {
      const result = await postGraphQL(url, CREATE_TOKEN, { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123' }, await as(customerId));
      if (result.body.errors) throw new Error(JSON.stringify(result.body.errors));
      return result.body.data!.createPaymentToken.token;
    },
    async authorize(args: { orderId: string; userId: string; token: string; amount?: number; currency?: string }, headers?: Record<string, string>) {
      return postGraphQL(url, AUTHORIZE, { amount: 10_000, currency: 'USD', ...args }, headers ?? (await harness.asService()));
    },
    async stop() {
      await server.close();
      await orm.close();
      await dropSchema(schema);
    },
  };
  return harness;
}

export const CREATE_TOKEN = `
  mutation CreatePaymentToken($number: String!, $expMonth: Int!, $expYear: Int!, $cvc: String!) {
    createPaymentToken(card: { number: $number, expMonth: $expMonth, expYear: $expYear, cvc: $cvc }) {
      token
      brand
      last4
    }
  }`;

export const PAYMENT_FIELDS = 'id status amount { amount currency } refunded { amount currency } card { brand last4 }';

export const AUTHORIZE = `
  mutation ($orderId: ID!, $userId: ID!, $token: String!, $amount: Int!, $currency: String!) {
    authorizePayment(orderId: $orderId, userId: $userId, token: $token, amount: $amount, currency: $currency) {
      __typename
      ... on PaymentAuthorized { payment { ${PAYMENT_FIELDS} } }
      ... on PaymentDeclined { reason message }
    }
  }`;

export interface PaymentFixture {
  userId: string;
  orderId?: string;
  status?: PaymentStatus;
  amount?: number;
  createdAt?: Date;
}

/** Inserts a payment straight through the ORM; returns it. */
export async function insertPayment(orm: MikroORM, fixture: PaymentFixture) {
  const em = orm.em.fork();
  const createdAt = fixture.createdAt ?? new Date();
  const payment = em.create(Payment, {
    id: randomUUID(),
    orderId: fixture.orderId ?? randomUUID(),
    userId: fixture.userId,
    status: fixture.status ?? 'CAPTURED',
    amount: fixture.amount ?? 2500,
    refundedAmount: 0,
    currency: 'USD',
    cardBrand: 'visa',
    cardLast4: '4242',
    providerRef: `ch_fixture_${randomUUID()}`,
    failureReason: fixture.status === 'FAILED' ? 'card_declined' : null,
    failureMessage: fixture.status === 'FAILED' ? 'Your card was declined.' : null,
    createdAt,
    updatedAt: createdAt,
  });
  await em.flush();
  return payment;
}
