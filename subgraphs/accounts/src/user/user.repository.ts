import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { sql, type EntityManager } from '@shop/platform';
import { isUuid } from '../uuid.ts';
import { User, type UserRole } from './user.entity.ts';

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
}

/** Queries only; every method is one SQL statement. */
export class UserRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.#em.find(User, { id: { $in: valid } }) : [];
  }

  /** Locks the user's row until the transaction ends (serializes changes to one user's address book); false when there is no such user. */
  async lock(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await sql(this.#em, `select id from "${this.#schema}".users where id = ? for update`, [id]);
    return rows.length > 0;
  }

  /** `email` must already be normalized. */
  async findByEmail(email: string): Promise<User | null> {
    return this.#em.findOne(User, { email });
  }

  async count(): Promise<number> {
    return this.#em.count(User, {});
  }

  /** Inserts a user; returns null when the email is taken (the unique index decides, so concurrent sign-ups cannot both win). */
  async insert(user: NewUser): Promise<User | null> {
    const entity = this.#em.create(User, { ...user, createdAt: new Date() });
    try {
      await this.#em.flush();
      return entity;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        this.#em.clear();
        return null;
      }
      throw error;
    }
  }

  async insertMany(users: readonly NewUser[]): Promise<void> {
    for (const user of users) this.#em.create(User, { ...user, createdAt: new Date() });
    await this.#em.flush();
  }

  /** Returns the updated user, or null when there is none with that id. */
  async updateRole(id: string, role: UserRole): Promise<User | null> {
    if (!isUuid(id)) return null;
    const [row] = await sql<Record<string, unknown>>(
      this.#em,
      `update "${this.#schema}".users set role = ? where id = ? returning id, email, name, role, password_hash, created_at`,
      [role, id],
    );
    return row ? this.#em.map(User, row) : null;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.#em.nativeUpdate(User, { id }, { passwordHash });
  }
}
