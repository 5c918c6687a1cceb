import { badUserInput, notFound, requireRole, type Viewer } from '@shop/platform';
import type { PrivateAccess } from '../private-access.ts';
import { USER_ROLES, type User, type UserRole } from './user.entity.ts';
import type { UserLoaders } from './user.loaders.ts';
import type { UserRepository } from './user.repository.ts';

export const MAX_EMAIL_LENGTH = 254;
export const MIN_PASSWORD_LENGTH = 8;
/** Bounds the work a single request can ask the hasher for. */
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_NAME_LENGTH = 100;

/** The one spelling of an email address this service stores and compares: trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately loose (one @, a dot in the domain, no spaces): the only real
// check of an address is mail reaching it.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Returns the normalized email, or BAD_USER_INPUT naming `field`. */
export function validateEmail(email: string, field: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(normalized)) {
    throw badUserInput(`"${field}" must be an email address such as name@example.com.`, field);
  }
  return normalized;
}

export function validatePassword(password: string, field: string): string {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw badUserInput(`"${field}" must be at least ${MIN_PASSWORD_LENGTH} characters long.`, field);
  if (length > MAX_PASSWORD_LENGTH) throw badUserInput(`"${field}" must be at most ${MAX_PASSWORD_LENGTH} characters long.`, field);
  return password;
}

/** Returns the trimmed name, or BAD_USER_INPUT naming `field`. */
export function validateName(name: string, field: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badUserInput(`"${field}" must not be empty.`, field);
  if ([...trimmed].length > MAX_NAME_LENGTH) throw badUserInput(`"${field}" must be at most ${MAX_NAME_LENGTH} characters long.`, field);
  return trimmed;
}

export function isUserRole(role: string): role is UserRole {
  return (USER_ROLES as readonly string[]).includes(role);
}

/** Users and who may see what of them. `name` and `role` are public; `email` only for the user and ADMINs. */
export class UserService {
  readonly #repository: UserRepository;
  readonly #loaders: UserLoaders;
  readonly #access: PrivateAccess;
  constructor(repository: UserRepository, loaders: UserLoaders, access: PrivateAccess) {
    this.#repository = repository;
    this.#loaders = loaders;
    this.#access = access;
  }

  /** The signed-in user, or null for an anonymous caller (or a viewer whose account is gone). */
  async me(viewer: Viewer | null): Promise<User | null> {
    return viewer ? this.#loaders.userById.load(viewer.userId) : null;
  }

  /** Admin: any user by id, or null. */
  async findUser(viewer: Viewer | null, id: string): Promise<User | null> {
    requireRole(viewer, 'ADMIN');
    return this.#loaders.userById.load(id);
  }

  /** Null rather than an error for others, so a public page that asks for it (a seller) still renders. */
  emailOf(user: User): string | null {
    return this.#access.allows(user.id) ? user.email : null;
  }

  /** Admin: changes a user's role. Takes effect in access tokens issued from now on (sign-in or refresh). */
  async setRole(viewer: Viewer | null, userId: string, role: string): Promise<User> {
    const admin = requireRole(viewer, 'ADMIN');
    if (!isUserRole(role)) throw badUserInput(`"role" must be one of ${USER_ROLES.join(', ')}.`, 'role');
    // An admin demoting themselves could leave the platform without any admin.
    if (admin.userId === userId) throw badUserInput('You cannot change your own role.', 'userId');
    const user = await this.#repository.updateRole(userId, role);
    if (!user) throw notFound(`No user with id "${userId}".`);
    return user;
  }
}
