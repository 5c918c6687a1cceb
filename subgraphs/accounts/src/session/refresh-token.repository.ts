import { sql, type EntityManager } from '@shop/platform';
import { RefreshToken } from './refresh-token.entity.ts';

export interface NewRefreshToken {
  id: string;
  tokenHash: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
}

/** Queries only; every method is one SQL statement. */
export class RefreshTokenRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  async insert(token: NewRefreshToken): Promise<void> {
    this.#em.create(RefreshToken, { ...token, createdAt: new Date(), spentAt: null, revokedAt: null });
    await this.#em.flush();
  }

  /**
   * Refresh rotation in one statement: spends the live token and inserts its
   * successor in the same family, so two requests presenting the same token
   * cannot both succeed and a spent token always has a successor. Returns the
   * user, or null when the token is unknown, spent, revoked or expired.
   */
  async rotate(tokenHash: string, next: Omit<NewRefreshToken, 'familyId' | 'userId'>): Promise<{ familyId: string; userId: string } | null> {
    const [row] = await sql<{ family_id: string; user_id: string }>(
      this.#em,
      `with spent as (
         update "${this.#schema}".refresh_tokens set spent_at = now()
          where token_hash = ? and spent_at is null and revoked_at is null and expires_at > now()
          returning family_id, user_id
       )
       insert into "${this.#schema}".refresh_tokens (id, token_hash, family_id, user_id, expires_at)
       select ?, ?, family_id, user_id, ? from spent
       returning family_id, user_id`,
      [tokenHash, next.id, next.tokenHash, next.expiresAt],
    );
    return row ? { familyId: row.family_id, userId: row.user_id } : null;
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.#em.findOne(RefreshToken, { tokenHash });
  }

  /** Revokes every live token of a family (a session). Returns how many were still live. */
  async revokeFamily(familyId: string): Promise<number> {
    const rows = await sql<{ id: string }>(
      this.#em,
      `update "${this.#schema}".refresh_tokens set revoked_at = now() where family_id = ? and revoked_at is null returning id`,
      [familyId],
    );
    return rows.length;
  }
}
