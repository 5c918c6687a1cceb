import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RefreshTokenRepository } from './refresh-token.repository.ts';

export interface SessionOptions {
  /** Lifetime of each refresh token, in days. */
  refreshTokenTtlDays: number;
}

/** An opaque refresh token: 32 random bytes, base64url. */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token: a leaked table holds nothing that can be replayed. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function refreshTokenExpiry(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() + ttlDays * 86_400_000);
}

/**
 * Sessions as refresh-token families. Each refresh spends the presented token
 * and issues its successor; presenting a spent token again means it was
 * copied (by an attacker or a buggy client), so the whole family is revoked
 * and every later refresh in it fails.
 */
export class SessionService {
  readonly #repository: RefreshTokenRepository;
  readonly #options: SessionOptions;
  constructor(repository: RefreshTokenRepository, options: SessionOptions) {
    this.#repository = repository;
    this.#options = options;
  }

  /** Starts a new session (a new family) and returns its first refresh token. */
  async start(userId: string): Promise<string> {
    const token = generateRefreshToken();
    await this.#repository.insert({
      id: randomUUID(),
      tokenHash: hashRefreshToken(token),
      familyId: randomUUID(),
      userId,
      expiresAt: refreshTokenExpiry(new Date(), this.#options.refreshTokenTtlDays),
    });
    return token;
  }

  /** Spends `token` and returns its successor with the session's user; null when the token is not live. */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string } | null> {
    const tokenHash = hashRefreshToken(token);
    const next = generateRefreshToken();
    const rotated = await this.#repository.rotate(tokenHash, {
      id: randomUUID(),
      tokenHash: hashRefreshToken(next),
      expiresAt: refreshTokenExpiry(new Date(), this.#options.refreshTokenTtlDays),
    });
    return rotated ? { userId: rotated.userId, refreshToken: next } : null;
  }

  /**
   * Called when `rotate` refused a token: a token that was already spent is
   * being replayed, so its whole family is revoked. Runs on its own (not in
   * the refused rotation's transaction) so the revocation is committed.
   */
  async revokeIfReplayed(token: string): Promise<boolean> {
    const presented = await this.#repository.findByHash(hashRefreshToken(token));
    if (!presented?.spentAt) return false;
    await this.#repository.revokeFamily(presented.familyId);
    return true;
  }

  /** Signs the session out (revokes its family). False when the token is unknown. */
  async end(token: string): Promise<boolean> {
    const presented = await this.#repository.findByHash(hashRefreshToken(token));
    if (!presented) return false;
    await this.#repository.revokeFamily(presented.familyId);
    return true;
  }
}
