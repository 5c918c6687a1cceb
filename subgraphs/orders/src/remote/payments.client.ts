import { ServiceCallError, type ServiceClient } from './service-client.ts';

export type AuthorizeResult = { kind: 'authorized'; paymentId: string } | { kind: 'declined'; reason: string; message: string };

/** A payment as payments answers an operation on it: its id and status (CAPTURED after a capture). */
export interface PaymentState {
  id: string;
  status: string;
}

/** The decline reason payments gives when its provider did not answer in time. */
export const PROVIDER_TIMEOUT_REASON = 'provider_timeout';

const AUTHORIZE = `
  mutation OrdersAuthorizePayment($orderId: ID!, $userId: ID!, $token: String!, $amount: Int!, $currency: String!) {
    authorizePayment(orderId: $orderId, userId: $userId, token: $token, amount: $amount, currency: $currency) {
      __typename
      ... on PaymentAuthorized { payment { id } }
      ... on PaymentDeclined { reason message }
    }
  }`;

const AUTHORIZE_BATCH = `
  mutation OrdersAuthorizePayments($requests: [AuthorizePaymentInput!]!) {
    authorizePayments(requests: $requests) {
      __typename
      ... on PaymentAuthorized { payment { id } }
      ... on PaymentDeclined { reason message }
    }
  }`;

type RawAuthorizeResult = { __typename: string; payment?: { id: string }; reason?: string; message?: string };

function toAuthorizeResult(r: RawAuthorizeResult): AuthorizeResult {
  if (r.__typename === 'PaymentAuthorized') return { kind: 'authorized', paymentId: r.payment!.id };
  return { kind: 'declined', reason: r.reason!, message: r.message! };
}

export interface AuthorizeArgs {
  orderId: string;
  userId: string;
  token: string;
  amount: number;
  currency: string;
}

const PAYMENT_OF_ORDER = `
  query OrdersPaymentOfOrder($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Order { payment { id status } } }
  }`;

const CAPTURE = `mutation OrdersCapturePayment($orderId: ID!) { capturePayment(orderId: $orderId) { id status } }`;
const CAPTURE_BATCH = `mutation OrdersCapturePayments($orderIds: [ID!]!) { capturePayments(orderIds: $orderIds) { id status } }`;
const VOID = `mutation OrdersVoidPayment($orderId: ID!) { voidPayment(orderId: $orderId) { id status } }`;
const REFUND = `
  mutation OrdersRefundPayment($orderId: ID!, $amount: Int!, $idempotencyKey: String) {
    refundPayment(orderId: $orderId, amount: $amount, idempotencyKey: $idempotencyKey) { id status }
  }`;

/** The payments subgraph's internal API, idempotent per order, called with the orders SERVICE identity. */
export class PaymentsClient {
  readonly #client: ServiceClient;
  constructor(client: ServiceClient) {
    this.#client = client;
  }

  async authorize(args: AuthorizeArgs): Promise<AuthorizeResult> {
    const { authorizePayment } = await this.#client.request<{ authorizePayment: RawAuthorizeResult }>(AUTHORIZE, { ...args });
    return toAuthorizeResult(authorizePayment);
  }

  /** `authorize` for many orders in one call; answers in request order, an item that failed on its own as a ServiceCallError. */
  async authorizeMany(requests: readonly AuthorizeArgs[]): Promise<(AuthorizeResult | ServiceCallError)[]> {
    const { data, failed } = await this.#client.requestItems<{ authorizePayments: (RawAuthorizeResult | null)[] }>(AUTHORIZE_BATCH, { requests });
    return requests.map((_, i) => {
      const raw = data.authorizePayments[i];
      return raw ? toAuthorizeResult(raw) : (failed.get(i) ?? new ServiceCallError('payments', 'unavailable', `no answer for request ${i}`));
    });
  }

  /** The order's payment as payments has it now (null when the order has none). */
  async paymentOfOrder(orderId: string): Promise<PaymentState | null> {
    const { _entities } = await this.#client.request<{ _entities: ({ payment: PaymentState | null } | null)[] }>(PAYMENT_OF_ORDER, {
      representations: [{ __typename: 'Order', id: orderId }],
    });
    const payment = _entities[0]?.payment;
    return payment ? { id: payment.id, status: payment.status } : null;
  }

  /** Takes the authorized amount; a captured payment is returned as it is. */
  async capture(orderId: string): Promise<void> {
    await this.#client.request(CAPTURE, { orderId });
  }

  /**
   * `capture` for many orders in one call; answers in request order: the
   * captured payment's status, or a ServiceCallError for an order that failed
   * on its own (NOT_FOUND without a payment, CONFLICT when not capturable).
   * A call that failed as a whole throws.
   */
  async captureMany(orderIds: readonly string[]): Promise<(PaymentState | ServiceCallError)[]> {
    const { data, failed } = await this.#client.requestItems<{ capturePayments: (PaymentState | null)[] }>(CAPTURE_BATCH, { orderIds });
    return orderIds.map((_, i) => {
      const raw = data.capturePayments[i];
      return raw ? { id: raw.id, status: raw.status } : (failed.get(i) ?? new ServiceCallError('payments', 'unavailable', `no answer for order ${i}`));
    });
  }

  /** Releases an authorization; harmless when the order has no payment or it was declined. */
  async void(orderId: string): Promise<void> {
    await this.#client.request(VOID, { orderId });
  }

  /** Pays back `amount` of the captured payment, once per `idempotencyKey`. */
  async refund(orderId: string, amount: number, idempotencyKey: string): Promise<void> {
    await this.#client.request(REFUND, { orderId, amount, idempotencyKey });
  }
}
