import { sql, type EntityManager } from '@shop/platform';
import { SigningKey } from './signing-key.entity.ts';

/** Queries only; every method is one SQL statement. */
export class SigningKeyRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** Keys that are not retired, newest first: the first one signs, all are published. */
  async findActive(): Promise<SigningKey[]> {
    return this.#em.find(SigningKey, { retiredAt: null }, { orderBy: { createdAt: 'desc', kid: 'desc' } });
  }

  async findNewestActive(): Promise<SigningKey | null> {
    return this.#em.findOne(SigningKey, { retiredAt: null }, { orderBy: { createdAt: 'desc', kid: 'desc' } });
  }

  async findAll(): Promise<SigningKey[]> {
    return this.#em.find(SigningKey, {}, { orderBy: { createdAt: 'desc', kid: 'desc' } });
  }

  async insert(key: Pick<SigningKey, 'kid' | 'algorithm' | 'privateJwk' | 'publicJwk'>): Promise<SigningKey> {
    const entity = this.#em.create(SigningKey, { ...key, createdAt: new Date(), retiredAt: null });
    await this.#em.flush();
    return entity;
  }

  /** Retires a key; returns it, or null when there is no key with that kid. Retiring twice keeps the first date. */
  async retire(kid: string): Promise<SigningKey | null> {
    const [row] = await sql<Record<string, unknown>>(
      this.#em,
      `update "${this.#schema}".signing_keys set retired_at = coalesce(retired_at, now()) where kid = ?
       returning kid, algorithm, private_jwk, public_jwk, created_at, retired_at`,
      [kid],
    );
    return row ? this.#em.map(SigningKey, row) : null;
  }
}
