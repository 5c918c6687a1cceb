import { randomUUID } from 'node:crypto';
import { conflict, unauthenticated } from '@shop/platform';
import type { PrivateAccess } from '../private-access.ts';
import type { Repositories, Transaction } from '../repositories.ts';
import { SessionService, type SessionOptions } from '../session/session.service.ts';
import { SigningKeyService, type AccessTokenOptions, type SigningKeyCache } from '../signing-key/signing-key.service.ts';
import type { PasswordHasher } from '../user/password.ts';
import type { User } from '../user/user.entity.ts';
import { normalizeEmail, validateEmail, validateName, validatePassword } from '../user/user.service.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

export interface SignInInput {
  email: string;
  password: string;
}

/** What a successful sign-up, sign-in or refresh returns (the GraphQL `AuthPayload`). */
export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: User;
}

/** The one answer for every credential failure: it must not tell an unknown email from a wrong password. */
export const INVALID_CREDENTIALS = 'Invalid email or password.';
export const INVALID_REFRESH_TOKEN = 'The refresh token is not valid; sign in again.';

export interface AuthDeps {
  repositories: Repositories;
  transaction: Transaction;
  hasher: PasswordHasher;
  limiter: SignInLimiter;
  keyCache: SigningKeyCache;
  accessTokens: AccessTokenOptions;
  sessions: SessionOptions;
  /** Lets the signed-in user's AuthPayload show their private fields. */
  access: PrivateAccess;
  /** The caller's address as the gateway reported it; undefined when unknown. */
  clientIp: string | undefined;
}

/** Credentials and sessions: sign-up, sign-in, refresh, sign-out. */
export class AuthService {
  readonly #deps: AuthDeps;
  constructor(deps: AuthDeps) {
    this.#deps = deps;
  }

  #sessionsIn(repositories: Repositories): SessionService {
    return new SessionService(repositories.refreshTokens, this.#deps.sessions);
  }

  /** Starts a session for `user` and signs its first access token, on the given repositories (a transaction's, when in one). */
  async #issue(repositories: Repositories, user: User, refreshToken?: string): Promise<AuthPayload> {
    const signingKeys = new SigningKeyService(repositories.signingKeys, this.#deps.keyCache, this.#deps.accessTokens);
    const access = await signingKeys.signAccessToken({ id: user.id, roles: [user.role] });
    this.#deps.access.grant(user.id);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refreshToken ?? (await this.#sessionsIn(repositories).start(user.id)),
      user,
    };
  }

  /** A new CUSTOMER account, signed in. CONFLICT when the email is taken. */
  async signUp(input: SignUpInput): Promise<AuthPayload> {
    await this.#deps.limiter.countAttemptFromIp(this.#deps.clientIp);
    const email = validateEmail(input.email, 'input.email');
    const password = validatePassword(input.password, 'input.password');
    const name = validateName(input.name, 'input.name');
    const passwordHash = await this.#deps.hasher.hash(password);
    return this.#deps.transaction(async (tx) => {
      const user = await tx.users.insert({ id: randomUUID(), email, name, role: 'CUSTOMER', passwordHash });
      if (!user) throw conflict('An account with this email already exists; sign in instead.');
      return this.#issue(tx, user);
    });
  }

  /**
   * Checks the password; every failure is the same UNAUTHENTICATED answer
   * and, for an unknown email, costs the same hashing time as a wrong
   * password. Limited per IP and per account (RATE_LIMITED with retryAfter).
   */
  async signIn(input: SignInInput): Promise<AuthPayload> {
    const { limiter, hasher, repositories } = this.#deps;
    const email = normalizeEmail(input.email);
    await limiter.countAttemptFromIp(this.#deps.clientIp);
    await limiter.assertAccountNotPaused(email);
    const user = await repositories.users.findByEmail(email);
    const valid = user ? await hasher.verify(input.password, user.passwordHash) : (await hasher.verifyNothing(input.password), false);
    if (!user || !valid) {
      await limiter.recordFailure(email);
      throw unauthenticated(INVALID_CREDENTIALS);
    }
    await limiter.recordSuccess(email);
    if (hasher.needsRehash(user.passwordHash)) {
      // The cost was raised since this hash was made: upgrade it while the plain password is at hand.
      await repositories.users.updatePasswordHash(user.id, await hasher.hash(input.password));
    }
    return this.#issue(repositories, user);
  }

  /**
   * Exchanges a refresh token for a new access token and a new refresh token
   * (the old one is spent). The access token carries the user's current role.
   * Replaying a spent token revokes its session: UNAUTHENTICATED from then on.
   */
  async refreshSession(refreshToken: string): Promise<AuthPayload> {
    const payload = await this.#deps.transaction(async (tx) => {
      const rotated = await this.#sessionsIn(tx).rotate(refreshToken);
      if (!rotated) return null;
      const [user] = await tx.users.findByIds([rotated.userId]);
      return user ? this.#issue(tx, user, rotated.refreshToken) : null;
    });
    if (payload) return payload;
    await this.#sessionsIn(this.#deps.repositories).revokeIfReplayed(refreshToken);
    throw unauthenticated(INVALID_REFRESH_TOKEN);
  }

  /** Ends the session the refresh token belongs to. False when the token is unknown. */
  async signOut(refreshToken: string): Promise<boolean> {
    return this.#sessionsIn(this.#deps.repositories).end(refreshToken);
  }
}
