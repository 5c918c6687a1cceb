import { createHash } from 'node:crypto';
import type {
  AuthorizeOutcome,
  AuthorizeRequest,
  CardDetails,
  CardToken,
  OperationOutcome,
  PaymentProvider,
  ProviderCallOptions,
} from './payment-provider.ts';
import type { ProviderCallRepository, ProviderOperation } from './provider-call.repository.ts';

/** The provider did not answer within the client timeout: the outcome is unknown until a retry with the same key. */
export class ProviderTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The payment provider did not answer within ${timeoutMs} ms.`);
    this.name = 'ProviderTimeoutError';
  }
}

/** An idempotency key was sent again with different parameters: a caller bug, never retried. */
export class IdempotencyKeyReuseError extends Error {
  constructor(key: string) {
    super(`Idempotency key ${key} was already used for a different request.`);
    this.name = 'IdempotencyKeyReuseError';
  }
}

function hashRequest(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Runs `call` with an AbortSignal that fires after `timeoutMs`, and stops
 * waiting then even if the provider ignores the signal.
 */
async function withTimeout<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ProviderTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How this service calls the provider: every call has a timeout, and every
 * operation on a charge goes through the provider_calls ledger, so a retry
 * with the same key (after a crash, a timeout, or a caller's own retry)
 * returns the first outcome without reaching the provider again. A call
 * that timed out stays pending and is sent again under the same key, which
 * the provider deduplicates.
 */
export class PaymentProviderClient {
  readonly #provider: PaymentProvider;
  readonly #calls: ProviderCallRepository;
  readonly #timeoutMs: number;
  constructor(provider: PaymentProvider, calls: ProviderCallRepository, timeoutMs: number) {
    this.#provider = provider;
    this.#calls = calls;
    this.#timeoutMs = timeoutMs;
  }

  /** Not in the ledger: a repeated tokenization only leaves an unused token that expires. */
  tokenize(card: CardDetails, customerId: string): Promise<CardToken> {
    return withTimeout(this.#timeoutMs, () => this.#provider.tokenize(card, customerId));
  }

  authorize(key: string, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
    const tokenHash = createHash('sha256').update(request.token).digest('hex');
    const requestHash = hashRequest([request.customerId, request.amount, request.currency, tokenHash]);
    return this.#once(key, 'authorize', requestHash, (options) => this.#provider.authorize(request, options));
  }

  capture(key: string, providerRef: string): Promise<OperationOutcome> {
    return this.#once(key, 'capture', hashRequest([providerRef]), (options) => this.#provider.capture(providerRef, options));
  }

  void(key: string, providerRef: string): Promise<OperationOutcome> {
    return this.#once(key, 'void', hashRequest([providerRef]), (options) => this.#provider.void(providerRef, options));
  }

  refund(key: string, providerRef: string, amount: number): Promise<OperationOutcome> {
    return this.#once(key, 'refund', hashRequest([providerRef, amount]), (options) => this.#provider.refund(providerRef, amount, options));
  }

  async #once<T>(key: string, operation: ProviderOperation, requestHash: string, call: (options: ProviderCallOptions) => Promise<T>): Promise<T> {
    const row = await this.#calls.begin(key, operation, requestHash);
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReuseError(key);
    if (row.status === 'completed') return row.outcome as T;
    const outcome = await withTimeout(this.#timeoutMs, (signal) => call({ idempotencyKey: key, signal }));
    return (await this.#calls.complete(key, outcome)) as T;
  }
}
