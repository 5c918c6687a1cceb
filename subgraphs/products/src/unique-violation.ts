import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { badUserInput } from '@shop/platform';

/**
 * Uniqueness is checked before writing, for a clear error; two concurrent
 * writers can still both pass the check, and then the database's unique
 * constraint decides. This turns that loss into the same BAD_USER_INPUT.
 */
export async function mapUniqueViolations<T>(fields: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      const constraint = (error as { constraint?: string }).constraint ?? '';
      const field = fields[constraint];
      if (field) throw badUserInput(`"${field}" is already taken.`, field);
    }
    throw error;
  }
}
