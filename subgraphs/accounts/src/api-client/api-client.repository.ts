import { sql, type EntityManager } from '@shop/platform';
import { isUuid } from '../uuid.ts';
import { ApiClient } from './api-client.entity.ts';

export interface NewApiClient {
  id: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  allowedOperations: string[];
  createdBy: string | null;
}

const COLUMNS = 'id, name, key_hash, key_prefix, allowed_operations, created_by, created_at, revoked_at';

/** Queries only; every method is one SQL statement. */
export class ApiClientRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  async insert(client: NewApiClient): Promise<ApiClient> {
    const entity = this.#em.create(ApiClient, { ...client, createdAt: new Date(), revokedAt: null });
    await this.#em.flush();
    return entity;
  }

  /**
   * Inserts the client unless one with the same key hash exists (revoked or
   * not), so replicas seeding at the same time cannot collide and a revoked
   * key is never brought back. True when it was inserted.
   */
  async insertIfKeyIsNew(client: NewApiClient): Promise<boolean> {
    const rows = await sql<{ id: string }>(
      this.#em,
      `insert into "${this.#schema}".api_clients (id, name, key_hash, key_prefix, allowed_operations, created_by)
       values (?, ?, ?, ?, array[?]::text[], ?)
       on conflict (key_hash) do nothing
       returning id`,
      [client.id, client.name, client.keyHash, client.keyPrefix, client.allowedOperations, client.createdBy],
    );
    return rows.length > 0;
  }

  /** The client whose key hashes to `keyHash`, revoked or not; null when there is none. */
  async findByKeyHash(keyHash: string): Promise<ApiClient | null> {
    return this.#em.findOne(ApiClient, { keyHash });
  }

  /** Every client, newest first. */
  async findAll(): Promise<ApiClient[]> {
    return this.#em.find(ApiClient, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  /** Revokes a client; returns it, or null when there is no client with that id. Revoking twice keeps the first date. */
  async revoke(id: string): Promise<ApiClient | null> {
    if (!isUuid(id)) return null;
    const [row] = await sql<Record<string, unknown>>(
      this.#em,
      `update "${this.#schema}".api_clients set revoked_at = coalesce(revoked_at, now()) where id = ? returning ${COLUMNS}`,
      [id],
    );
    return row ? this.#em.map(ApiClient, row) : null;
  }
}
