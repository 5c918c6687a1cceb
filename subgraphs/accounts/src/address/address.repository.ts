import { sql, type EntityManager } from '@shop/platform';
import { isUuid } from '../uuid.ts';
import { Address } from './address.entity.ts';

export interface NewAddress {
  id: string;
  userId: string;
  fullName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

/** Queries only; every method is one SQL statement. */
export class AddressRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  /** The address books of many users, each in the order the addresses were added. */
  async findByUserIds(userIds: readonly string[]): Promise<Address[]> {
    return this.#em.find(Address, { userId: { $in: [...userIds] } }, { orderBy: { userId: 'asc', createdAt: 'asc', id: 'asc' } });
  }

  async findById(id: string): Promise<Address | null> {
    return isUuid(id) ? this.#em.findOne(Address, { id }) : null;
  }

  async countByUserId(userId: string): Promise<number> {
    return this.#em.count(Address, { userId });
  }

  async insert(address: NewAddress): Promise<Address> {
    const entity = this.#em.create(Address, { ...address, createdAt: new Date() });
    await this.#em.flush();
    return entity;
  }

  /** Clears the user's default flag; run before setting a new default (one default per user is a unique index). */
  async clearDefault(userId: string): Promise<void> {
    await sql(this.#em, `update "${this.#schema}".addresses set is_default = false where user_id = ? and is_default`, [userId]);
  }

  /** Marks one of the user's addresses as the default; null when the user has no address with that id. */
  async markDefault(userId: string, id: string): Promise<Address | null> {
    const [row] = await sql<Record<string, unknown>>(
      this.#em,
      `update "${this.#schema}".addresses set is_default = true where id = ? and user_id = ?
       returning id, user_id, full_name, line1, line2, city, region, postal_code, country, is_default, created_at`,
      [id, userId],
    );
    return row ? this.#em.map(Address, row) : null;
  }
}
