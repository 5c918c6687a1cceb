/**
 * The adapter every payment provider (the sandbox, or a real one such as
 * Stripe or Adyen) implements. Nothing else in this service knows which
 * provider is behind it.
 *
 * Contract:
 * - Raw card data goes in only through `tokenize`; everything after works on
 *   the single-use token or the provider's reference of the charge.
 * - authorize, capture, void and refund carry an idempotency key: the
 *   provider performs the operation at most once per key and answers a
 *   repeated key with the first outcome (a real provider gets it as its
 *   Idempotency-Key header).
 * - They also carry the caller's AbortSignal. When it fires the caller has
 *   stopped waiting; the outcome is then unknown to the caller, and it must
 *   retry with the same key to learn it.
 * - Business outcomes (a declined card, a refund larger than what is left)
 *   are results; thrown errors mean the call itself failed.
 * - authorizeMany and captureMany are the batch forms of authorize and
 *   capture (the orders service group-commits checkouts, so payments gets
 *   them by the dozen). Each item keeps the single form's contract, its own
 *   idempotency key included; the signal is shared. They return one promise
 *   per item, in request order: an item's failure (or its slow answer) is its
 *   own, and a caller that stops waiting keeps the answers that came. A
 *   provider with batch endpoints, or like the sandbox a store it can
 *   address set-wise, decides a batch in a few requests; one with only
 *   per-call endpoints implements them by calling its single operation for
 *   each item, all at once (`eachItem` below).
 */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface CardToken {
  /** Opaque, single-use, short-lived. */
  token: string;
  brand: string;
  last4: string;
  expiresAt: Date;
}

export interface ProviderCallOptions {
  idempotencyKey: string;
  signal: AbortSignal;
}

export interface AuthorizeRequest {
  token: string;
  /** The customer the token was issued to; a token used for anyone else is invalid. */
  customerId: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
}

/** The card as the provider identified it when it processed a charge. */
export interface ChargeReference {
  providerRef: string;
  brand: string;
  last4: string;
}

/**
 * Why an authorization was refused. The issuer's reasons come with the
 * charge that was attempted; token problems come without one (no charge
 * was attempted).
 */
export type DeclineReason =
  | 'card_declined'
  | 'insufficient_funds'
  | 'processing_error'
  | 'invalid_token'
  | 'token_expired'
  | 'token_already_used';

export type AuthorizeOutcome =
  | ({ status: 'authorized' } & ChargeReference)
  | { status: 'declined'; reason: DeclineReason; message: string; charge: ChargeReference | null };

/** One authorization of a batch, under its own idempotency key. */
export interface KeyedAuthorizeRequest {
  idempotencyKey: string;
  request: AuthorizeRequest;
}

/** One capture of a batch, under its own idempotency key. */
export interface KeyedCaptureRequest {
  idempotencyKey: string;
  providerRef: string;
}

export type OperationOutcome = { status: 'succeeded'; providerRef: string } | { status: 'failed'; reason: string; message: string };

export interface PaymentProvider {
  /** Turns card details into a token for `customerId`; throws InvalidCardError naming the bad field. */
  tokenize(card: CardDetails, customerId: string): Promise<CardToken>;
  /** Holds `amount` on the tokenized card, consuming the token. */
  authorize(request: AuthorizeRequest, options: ProviderCallOptions): Promise<AuthorizeOutcome>;
  /** `authorize` for each item; one promise per item, in request order. */
  authorizeMany(requests: readonly KeyedAuthorizeRequest[], signal: AbortSignal): Promise<AuthorizeOutcome>[];
  /** Takes the whole authorized amount. */
  capture(providerRef: string, options: ProviderCallOptions): Promise<OperationOutcome>;
  /** `capture` for each item; one promise per item, in request order. */
  captureMany(requests: readonly KeyedCaptureRequest[], signal: AbortSignal): Promise<OperationOutcome>[];
  /** Releases an authorization that was not captured. */
  void(providerRef: string, options: ProviderCallOptions): Promise<OperationOutcome>;
  /** Pays back part or all of a captured charge. */
  refund(providerRef: string, amount: number, options: ProviderCallOptions): Promise<OperationOutcome>;
}

/**
 * A batch operation of a provider that has only per-call endpoints: every
 * item is its own call, all sent at once, each under its own key.
 */
export function eachItem<T extends { idempotencyKey: string }, R>(
  items: readonly T[],
  signal: AbortSignal,
  call: (item: T, options: ProviderCallOptions) => Promise<R>,
): Promise<R>[] {
  return items.map((item) => call(item, { idempotencyKey: item.idempotencyKey, signal }));
}
