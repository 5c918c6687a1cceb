import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { badUserInput, notFound, requireRole, type Viewer } from '@shop/platform';
import { validateName } from '../user/user.service.ts';
import type { ApiClient } from './api-client.entity.ts';
import type { ApiClientRepository } from './api-client.repository.ts';

/** Every generated key starts with this, so a leaked one is easy to recognise (and to scan for). */
export const API_KEY_PREFIX = 'pk_';
/** How many leading characters of a key are stored and shown, to tell keys apart. */
export const KEY_PREFIX_LENGTH = 8;
export const MAX_ALLOWED_OPERATIONS = 100;
export const MAX_OPERATION_NAME_LENGTH = 100;
/** Longer than any key this service issues; a longer one is not looked up at all. */
export const MAX_API_KEY_LENGTH = 256;
/** A GraphQL operation name (the spec's Name), as persisted-query manifest entries are named. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CreateApiClientInput {
  name: string;
  allowedOperations: string[];
}

/** What `createApiClient` returns: the only time the key itself is ever seen. */
export interface CreatedApiClient {
  apiKey: string;
  apiClient: ApiClient;
}

/** A new partner key: `pk_` and 32 random bytes in base64url (46 characters). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * What is stored instead of the key: its sha256, lower-case hex. A fast hash
 * is enough (unlike passwords) because issued keys carry 256 random bits, so
 * there is nothing to guess from a leaked table; and it keeps the gateway's
 * lookup one indexed equality.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function keyPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** Returns the names once each, in the order given, or BAD_USER_INPUT naming `field` (or the offending element). */
export function validateAllowedOperations(names: readonly string[], field: string): string[] {
  if (names.length === 0) throw badUserInput(`"${field}" must name at least one operation.`, field);
  names.forEach((name, index) => {
    if (name.length > MAX_OPERATION_NAME_LENGTH || !OPERATION_NAME.test(name)) {
      throw badUserInput(`"${field}[${index}]" must be a GraphQL operation name such as ProductList.`, `${field}[${index}]`);
    }
  });
  const unique = [...new Set(names)];
  if (unique.length > MAX_ALLOWED_OPERATIONS) throw badUserInput(`"${field}" may name at most ${MAX_ALLOWED_OPERATIONS} operations.`, field);
  return unique;
}

/**
 * Partner API clients. Admins create, list and revoke them; the gateway
 * (with a SERVICE identity) looks a key up on each partner request to learn
 * which persisted operations it may run. Keys are stored only as hashes.
 */
export class ApiClientService {
  readonly #repository: ApiClientRepository;
  constructor(repository: ApiClientRepository) {
    this.#repository = repository;
  }

  /** Admin: a new client and its key, which is returned here and never again. */
  async create(viewer: Viewer | null, input: CreateApiClientInput): Promise<CreatedApiClient> {
    const admin = requireRole(viewer, 'ADMIN');
    const name = validateName(input.name, 'input.name');
    const allowedOperations = validateAllowedOperations(input.allowedOperations, 'input.allowedOperations');
    const apiKey = generateApiKey();
    const apiClient = await this.#repository.insert({
      id: randomUUID(),
      name,
      keyHash: hashApiKey(apiKey),
      keyPrefix: keyPrefixOf(apiKey),
      allowedOperations,
      createdBy: admin.userId,
    });
    return { apiKey, apiClient };
  }

  /** Admin: the key stops working at once. Idempotent; NOT_FOUND for an unknown id. */
  async revoke(viewer: Viewer | null, id: string): Promise<ApiClient> {
    requireRole(viewer, 'ADMIN');
    const revoked = await this.#repository.revoke(id);
    if (!revoked) throw notFound(`No API client with id "${id}".`);
    return revoked;
  }

  /** Admin: every client, newest first, revoked ones included. */
  async list(viewer: Viewer | null): Promise<ApiClient[]> {
    requireRole(viewer, 'ADMIN');
    return this.#repository.findAll();
  }

  /** SERVICE (the gateway): the client a key belongs to; null when the key is unknown or revoked. */
  async findByKey(viewer: Viewer | null, key: string): Promise<ApiClient | null> {
    requireRole(viewer, 'SERVICE');
    if (!key || key.length > MAX_API_KEY_LENGTH) return null;
    const client = await this.#repository.findByKeyHash(hashApiKey(key));
    return client && !client.revokedAt ? client : null;
  }
}
