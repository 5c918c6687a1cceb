import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createSlidingWindow, type KeyValueStore, type SlidingWindow } from '@shop/platform';

export const RATE_LIMITED = 'RATE_LIMITED';

/** Too many attempts; `retryAfter` (seconds) says when the current window ends. */
export function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: RATE_LIMITED, retryAfter: retryAfterSeconds } });
}

export interface SignInLimits {
  /** Failed sign-ins per account (email) per window. */
  maxFailuresPerAccount: number;
  /** Sign-in and sign-up attempts per client IP per window. */
  maxAttemptsPerIp: number;
  windowSeconds: number;
}

/** Counter keys never hold an email in clear text. */
function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email).digest('base64url')}`;
}

/**
 * Brute-force protection for credentials, in sliding windows counted in the
 * shared key-value store (Redis in production, so every replica counts
 * together). Per address, every attempt counts; per account, only failures
 * count (a successful sign-in clears them), so a user is not paused by their
 * own successful sign-ins. Checks run before the password hash is computed,
 * so a flood costs no scrypt time.
 */
export class SignInLimiter {
  readonly #window: SlidingWindow;
  readonly #limits: SignInLimits;
  constructor(store: KeyValueStore, limits: SignInLimits, now: () => number = Date.now) {
    this.#window = createSlidingWindow(store, { prefix: 'accounts:sign-in', windowMs: limits.windowSeconds * 1000, now });
    this.#limits = limits;
  }

  /** Counts an attempt from `ip`; RATE_LIMITED once the address has used up its window. */
  async countAttemptFromIp(ip: string | undefined): Promise<void> {
    if (!ip) return;
    const result = await this.#window.hit(`ip:${ip}`, this.#limits.maxAttemptsPerIp);
    if (!result.allowed) throw rateLimited('Too many attempts from this address; try again later.', result.retryAfterSeconds);
  }

  /** RATE_LIMITED when the account has failed too often in the window. */
  async assertAccountNotPaused(email: string): Promise<void> {
    const result = await this.#window.peek(accountKey(email), this.#limits.maxFailuresPerAccount);
    if (!result.allowed) throw rateLimited('Too many failed sign-ins for this account; try again later.', result.retryAfterSeconds);
  }

  async recordFailure(email: string): Promise<void> {
    await this.#window.hit(accountKey(email), this.#limits.maxFailuresPerAccount);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.#window.reset(accountKey(email));
  }
}
