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
 * Runs a batch call whose items answer one by one, with one AbortSignal that
 * fires after `timeoutMs`. Returns each item's settlement, or undefined for
 * an item that had not answered by then (the rest are kept).
 */
async function settleWithin<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>[]): Promise<(PromiseSettledResult<T> | undefined)[]> {
  const controller = new AbortController();
  const settled: (PromiseSettledResult<T> | undefined)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve();
    }, timeoutMs);
  });
  const items = call(controller.signal).map((promise, i) =>
    promise.then(
      (value) => void (settled[i] = { status: 'fulfilled', value }),
      (reason: unknown) => void (settled[i] = { status: 'rejected', reason }),
    ),
  );
  try {
    await Promise.race([Promise.all(items), expired]);
  } finally {
    clearTimeout(timer);
  }
  // A copy: answers that come after the deadline must not change it.
  return Array.from({ length: items.length }, (_, i) => settled[i]);
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

  /**
   * Authorizes each request under its key (keys distinct): one ledger
   * statement opens them all, one provider batch decides the open ones, one
   * ledger statement records the answers. Each answer is the outcome, or
   * that item's error: ProviderTimeoutError when it did not answer in time
   * (its call stays pending), IdempotencyKeyReuseError, or the provider's.
   */
  authorizeMany(requests: readonly { key: string; request: AuthorizeRequest }[]): Promise<(AuthorizeOutcome | Error)[]> {
    const calls = requests.map(({ key, request }) => {
      const tokenHash = createHash('sha256').update(request.token).digest('hex');
      return { key, request, requestHash: hashRequest([request.customerId, request.amount, request.currency, tokenHash]) };
    });
    return this.#onceMany('authorize', calls, (open, signal) =>
      this.#provider.authorizeMany(
        open.map((c) => ({ idempotencyKey: c.key, request: c.request })),
        signal,
      ),
    );
  }

  /** Captures each charge under its key (keys distinct), as authorizeMany does: three statements and one provider batch. */
  captureMany(requests: readonly { key: string; providerRef: string }[]): Promise<(OperationOutcome | Error)[]> {
    const calls = requests.map(({ key, providerRef }) => ({ key, providerRef, requestHash: hashRequest([providerRef]) }));
    return this.#onceMany('capture', calls, (open, signal) =>
      this.#provider.captureMany(
        open.map((c) => ({ idempotencyKey: c.key, providerRef: c.providerRef })),
        signal,
      ),
    );
  }

  void(key: string, providerRef: string): Promise<OperationOutcome> {
    return this.#once(key, 'void', hashRequest([providerRef]), (options) => this.#provider.void(providerRef, options));
  }

  refund(key: string, providerRef: string, amount: number): Promise<OperationOutcome> {
    return this.#once(key, 'refund', hashRequest([providerRef, amount]), (options) => this.#provider.refund(providerRef, amount, options));
  }

  async #onceMany<C extends { key: string; requestHash: string }, T>(
    operation: ProviderOperation,
    calls: readonly C[],
    callMany: (open: readonly C[], signal: AbortSignal) => Promise<T>[],
  ): Promise<(T | Error)[]> {
    if (new Set(calls.map((c) => c.key)).size !== calls.length) throw new Error(`${operation} batch repeats an idempotency key`);
    const rows = await this.#calls.beginMany(operation, calls);
    const answers = new Map<string, T | Error>();
    const open: C[] = [];
    for (const call of calls) {
      const row = rows.get(call.key);
      if (!row) throw new Error(`provider call ${call.key} was not opened`);
      if (row.request_hash !== call.requestHash) answers.set(call.key, new IdempotencyKeyReuseError(call.key));
      else if (row.status === 'completed') answers.set(call.key, row.outcome as T);
      else open.push(call);
    }
    if (open.length > 0) {
      const settled = await settleWithin(this.#timeoutMs, (signal) => callMany(open, signal));
      const outcomes: { key: string; outcome: unknown }[] = [];
      open.forEach((call, i) => {
        const result = settled[i];
        if (!result) answers.set(call.key, new ProviderTimeoutError(this.#timeoutMs));
        else if (result.status === 'rejected') answers.set(call.key, result.reason instanceof Error ? result.reason : new Error(String(result.reason)));
        else outcomes.push({ key: call.key, outcome: result.value });
      });
      for (const [key, outcome] of await this.#calls.completeMany(outcomes)) answers.set(key, outcome as T);
    }
    return calls.map((call) => answers.get(call.key) ?? new Error(`provider call ${call.key} has no outcome`));
  }

  async #once<T>(key: string, operation: ProviderOperation, requestHash: string, call: (options: ProviderCallOptions) => Promise<T>): Promise<T> {
    const row = await this.#calls.begin(key, operation, requestHash);
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReuseError(key);
    if (row.status === 'completed') return row.outcome as T;
    const outcome = await withTimeout(this.#timeoutMs, (signal) => call({ idempotencyKey: key, signal }));
    return (await this.#calls.complete(key, outcome)) as T;
  }
}
