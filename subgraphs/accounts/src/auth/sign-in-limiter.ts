import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { KeyValueStore } from '@shop/platform';

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

/** A fixed window: its index names the counter, and its end is the retry-after hint. */
export function currentWindow(nowMs: number, windowSeconds: number): { index: number; retryAfterSeconds: number; ttlMs: number } {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / windowMs);
  const remainingMs = (index + 1) * windowMs - nowMs;
  return { index, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)), ttlMs: remainingMs };
}

/** Counter keys never hold an email in clear text. */
function accountKey(email: string, window: number): string {
  return `accounts:sign-in:account:${createHash('sha256').update(email).digest('base64url')}:${window}`;
}

function ipKey(ip: string, window: number): string {
  return `accounts:sign-in:ip:${ip}:${window}`;
}

/**
 * Brute-force protection for credentials, in fixed windows counted in the
 * shared key-value store (Redis in production, so every replica counts
 * together). Per IP, every attempt counts; per account, only failures count
 * (a successful sign-in clears them), so a user is not paused by their own
 * successful sign-ins. Checks run before the password hash is computed, so a
 * flood costs no scrypt time.
 */
export class SignInLimiter {
  readonly #store: KeyValueStore;
  readonly #limits: SignInLimits;
  readonly #now: () => number;
  constructor(store: KeyValueStore, limits: SignInLimits, now: () => number = Date.now) {
    this.#store = store;
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts an attempt from `ip`; RATE_LIMITED once the IP has used up its window. */
  async countAttemptFromIp(ip: string | undefined): Promise<void> {
    if (!ip) return;
    const window = currentWindow(this.#now(), this.#limits.windowSeconds);
    const attempts = await this.#store.incrWithTtl(ipKey(ip, window.index), window.ttlMs);
    if (attempts > this.#limits.maxAttemptsPerIp) {
      throw rateLimited('Too many attempts from this address; try again later.', window.retryAfterSeconds);
    }
  }

  /** RATE_LIMITED when the account has failed too often in this window. */
  async assertAccountNotPaused(email: string): Promise<void> {
    const window = currentWindow(this.#now(), this.#limits.windowSeconds);
    const failures = Number((await this.#store.get(accountKey(email, window.index))) ?? 0);
    if (failures >= this.#limits.maxFailuresPerAccount) {
      throw rateLimited('Too many failed sign-ins for this account; try again later.', window.retryAfterSeconds);
    }
  }

  async recordFailure(email: string): Promise<void> {
    const window = currentWindow(this.#now(), this.#limits.windowSeconds);
    await this.#store.incrWithTtl(accountKey(email, window.index), window.ttlMs);
  }

  async recordSuccess(email: string): Promise<void> {
    const window = currentWindow(this.#now(), this.#limits.windowSeconds);
    await this.#store.del(accountKey(email, window.index));
  }
}
