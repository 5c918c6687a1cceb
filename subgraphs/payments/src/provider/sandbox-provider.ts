import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@shop/platform';
import { validateCard } from './card.ts';
import {
  eachItem,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CardDetails,
  type CardToken,
  type DeclineReason,
  type KeyedAuthorizeRequest,
  type KeyedCaptureRequest,
  type OperationOutcome,
  type PaymentProvider,
  type ProviderCallOptions,
} from './payment-provider.ts';
import { SandboxRepository, type RoundCall, type RoundRow, type SandboxChargeRow, type SandboxScenario } from './sandbox.repository.ts';

/**
 * Test cards, as in the big providers' test modes. Any other number that
 * passes the card checks is approved.
 *
 * 4000 0000 0000 0119 is the slow provider: its authorization does not
 * answer for `slowCallMs`, which is always longer than the client's timeout,
 * so the client sees a timeout. When the client gives up first the call is
 * dropped before it does anything (the token stays unused); if anyone waits
 * it out, it ends as a `processing_error` decline.
 */
export const SANDBOX_TEST_CARDS: Readonly<Record<string, SandboxScenario>> = {
  '4242424242424242': 'approve',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000119': 'timeout',
};

export const TOKEN_TTL_MS = 15 * 60 * 1000;

const DECLINE_MESSAGES: Readonly<Record<DeclineReason, string>> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  processing_error: 'An error occurred while processing your card. Try again.',
  invalid_token: 'The payment token is not valid.',
  token_expired: 'The payment token has expired; create a new one.',
  token_already_used: 'The payment token has already been used; create a new one.',
};

export interface SandboxOptions {
  /** Time source for token expiry and card expiry (tests move it forward). */
  clock?: () => Date;
  /** How long the slow test card holds an authorization; keep it above the client timeout. */
  slowCallMs?: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function reference(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function declined(reason: DeclineReason, charge: SandboxChargeRow | null = null): AuthorizeOutcome {
  return {
    status: 'declined',
    reason,
    message: DECLINE_MESSAGES[reason],
    charge: charge && { providerRef: charge.ref, brand: charge.brand, last4: charge.last4 },
  };
}

function outcomeOf(charge: SandboxChargeRow): AuthorizeOutcome {
  if (charge.status === 'declined') return declined(charge.decline_code as DeclineReason, charge);
  return { status: 'authorized', providerRef: charge.ref, brand: charge.brand, last4: charge.last4 };
}

const NOT_CAPTURABLE: OperationOutcome = { status: 'failed', reason: 'charge_not_capturable', message: 'Only an authorized charge can be captured.' };

function capturedOutcome(providerRef: string): OperationOutcome {
  return { status: 'succeeded', providerRef };
}

/** A call of a batch that the slow test card answers (alone, see authorizeMany). */
const SLOW = Symbol('slow');
/** A call whose token a concurrent call consumed while its round ran. */
const RACED = Symbol('raced');

/**
 * The outcome of one call of an authorization round: the same checks, in
 * the same order, as `authorize` makes alone.
 */
function roundOutcome(row: RoundRow): AuthorizeOutcome | typeof SLOW | typeof RACED {
  if (row.ref) {
    return outcomeOf({ ref: row.ref, status: row.status!, decline_code: row.decline_code, brand: row.brand!, last4: row.last4! });
  }
  if (!row.token_owned) return declined('invalid_token');
  if (row.token_scenario === 'timeout') return SLOW;
  if (row.token_used) return declined('token_already_used');
  if (row.token_expired) return declined('token_expired');
  return RACED;
}

/**
 * A payment provider that behaves like a real one, without a network: its
 * vault and charges live in the payments database (so any replica can use a
 * token another replica issued), tokens are single-use, expire after 15
 * minutes and are stored only as hashes, and each operation happens at most
 * once per idempotency key.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly #orm: MikroORM;
  readonly #clock: () => Date;
  readonly #slowCallMs: number;
  constructor(orm: MikroORM, options: SandboxOptions = {}) {
    this.#orm = orm;
    this.#clock = options.clock ?? (() => new Date());
    this.#slowCallMs = options.slowCallMs ?? 30_000;
  }

  #repository(): SandboxRepository {
    return new SandboxRepository(this.#orm.em.fork());
  }

  async tokenize(card: CardDetails, customerId: string): Promise<CardToken> {
    const now = this.#clock();
    const valid = validateCard(card, now);
    const token = `tok_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
    await this.#repository().insertToken({
      hash: hashToken(token),
      customerId,
      brand: valid.brand,
      last4: valid.last4,
      scenario: SANDBOX_TEST_CARDS[valid.number] ?? 'approve',
      createdAt: now,
      expiresAt,
    });
    return { token, brand: valid.brand, last4: valid.last4, expiresAt };
  }

  async authorize(request: AuthorizeRequest, options: ProviderCallOptions): Promise<AuthorizeOutcome> {
    const repository = this.#repository();
    const earlier = await repository.findChargeByAuthorizeKey(options.idempotencyKey);
    if (earlier) return outcomeOf(earlier);
    const hash = hashToken(request.token);
    const token = await repository.findToken(hash, this.#clock());
    if (!token || token.customer_id !== request.customerId) return declined('invalid_token');
    if (token.scenario === 'timeout') await sleep(this.#slowCallMs, undefined, { signal: options.signal });

    // The token row lock serializes every use of one token, and the charge
    // lookup under it sees a concurrent call with the same key that won.
    return repository.transactional(async (tx) => {
      const now = this.#clock();
      const locked = await tx.findToken(hash, now, { lock: true });
      const replay = await tx.findChargeByAuthorizeKey(options.idempotencyKey);
      if (replay) return outcomeOf(replay);
      if (!locked) return declined('invalid_token');
      if (locked.used) return declined('token_already_used');
      if (locked.expired) return declined('token_expired');
      await tx.markTokenUsed(hash, now, options.idempotencyKey);
      const declineCode: DeclineReason | null =
        locked.scenario === 'approve' ? null : locked.scenario === 'timeout' ? 'processing_error' : locked.scenario;
      const charge: SandboxChargeRow = {
        ref: reference('ch'),
        status: declineCode ? 'declined' : 'authorized',
        decline_code: declineCode,
        brand: locked.brand,
        last4: locked.last4,
      };
      await tx.insertCharge({
        ref: charge.ref,
        authorizeKey: options.idempotencyKey,
        customerId: request.customerId,
        status: declineCode ? 'declined' : 'authorized',
        declineCode,
        amount: request.amount,
        currency: request.currency,
        brand: locked.brand,
        last4: locked.last4,
      });
      return outcomeOf(charge);
    });
  }

  /**
   * A batch of authorizations, as if each were sent alone one after another
   * in request order, in one statement per round (see
   * SandboxRepository.authorizeRound); a batch needs a second round only for
   * a key or token that comes twice, or a token a concurrent call consumed
   * under this round. Calls with the slow test card run alone
   * (`authorize`), so they hold back nobody else's answer.
   */
  authorizeMany(requests: readonly KeyedAuthorizeRequest[], signal: AbortSignal): Promise<AuthorizeOutcome>[] {
    const answers = this.#authorizeRounds(requests).then((outcomes) => {
      const slow = outcomes.flatMap((outcome, i) => (outcome === SLOW ? [i] : []));
      const slowAnswers = eachItem(
        slow.map((i) => requests[i]!),
        signal,
        (item, options) => this.authorize(item.request, options),
      );
      const slowByIndex = new Map(slow.map((i, j) => [i, slowAnswers[j]!]));
      return outcomes.map((outcome, i) => (outcome === SLOW ? slowByIndex.get(i)! : Promise.resolve(outcome)));
    });
    return requests.map((_, i) => answers.then((all) => all[i]!));
  }

  async #authorizeRounds(requests: readonly KeyedAuthorizeRequest[]): Promise<(AuthorizeOutcome | typeof SLOW)[]> {
    const outcomes: (AuthorizeOutcome | typeof SLOW | undefined)[] = new Array(requests.length);
    let waiting = requests.map((_, i) => i);
    const repository = this.#repository();
    while (waiting.length > 0) {
      const round: number[] = [];
      const later: number[] = [];
      const keys = new Set<string>();
      const tokens = new Set<string>();
      for (const i of waiting) {
        const { idempotencyKey, request } = requests[i]!;
        const hash = hashToken(request.token);
        if (keys.has(idempotencyKey) || tokens.has(hash)) later.push(i);
        else {
          keys.add(idempotencyKey);
          tokens.add(hash);
          round.push(i);
        }
      }
      const calls: RoundCall[] = round.map((i) => {
        const { idempotencyKey, request } = requests[i]!;
        return {
          key: idempotencyKey,
          tokenHash: hashToken(request.token),
          customerId: request.customerId,
          amount: request.amount,
          currency: request.currency,
          ref: reference('ch'),
        };
      });
      const rows = await repository.authorizeRound(calls, this.#clock());
      round.forEach((i, j) => {
        const outcome = roundOutcome(rows[j]!);
        // Consumed under this round by a concurrent call: decided again next round, against what it did.
        if (outcome === RACED) later.push(i);
        else outcomes[i] = outcome;
      });
      waiting = later.sort((a, b) => a - b);
    }
    return outcomes as (AuthorizeOutcome | typeof SLOW)[];
  }

  // Capture and void are idempotent by state: repeating one finds the charge
  // already where the first call left it.
  async capture(providerRef: string, _options: ProviderCallOptions): Promise<OperationOutcome> {
    const moved = await this.#repository().moveCharge(providerRef, ['authorized', 'captured'], 'captured');
    return moved ? capturedOutcome(providerRef) : NOT_CAPTURABLE;
  }

  /** A batch of captures in one statement; each is what `capture` would answer. */
  captureMany(requests: readonly KeyedCaptureRequest[], _signal: AbortSignal): Promise<OperationOutcome>[] {
    const captured = this.#repository().captureCharges(requests.map((r) => r.providerRef));
    return requests.map(async ({ providerRef }) => ((await captured).has(providerRef) ? capturedOutcome(providerRef) : NOT_CAPTURABLE));
  }

  async void(providerRef: string, _options: ProviderCallOptions): Promise<OperationOutcome> {
    const moved = await this.#repository().moveCharge(providerRef, ['authorized', 'voided'], 'voided');
    return moved
      ? { status: 'succeeded', providerRef }
      : { status: 'failed', reason: 'charge_not_voidable', message: 'Only an authorized, uncaptured charge can be voided.' };
  }

  async refund(providerRef: string, amount: number, options: ProviderCallOptions): Promise<OperationOutcome> {
    return this.#repository().transactional(async (tx) => {
      if (!(await tx.lockCharge(providerRef))) return { status: 'failed', reason: 'no_such_charge', message: 'There is no such charge.' };
      const earlier = await tx.findRefundByKey(options.idempotencyKey);
      if (earlier) {
        return earlier.charge_ref === providerRef && earlier.amount === amount
          ? { status: 'succeeded', providerRef: earlier.ref }
          : { status: 'failed', reason: 'idempotency_key_reused', message: 'This idempotency key was used for a different refund.' };
      }
      const ref = reference('re');
      const recorded = await tx.insertRefundIfCovered({ ref, key: options.idempotencyKey, chargeRef: providerRef, amount });
      return recorded
        ? { status: 'succeeded', providerRef: ref }
        : { status: 'failed', reason: 'refund_not_covered', message: 'The charge is not captured or has less than that left to refund.' };
    });
  }
}
