import { badUserInput } from './errors.ts';

/**
 * Relay cursor helpers. A cursor is an opaque base64url string that wraps the
 * keyset position (e.g. `[createdAt, id]`), never an offset, so that a page
 * stays stable while rows are added before it.
 */
export function encodeCursor(position: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument = 'after'): unknown[] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded)) return decoded;
  } catch {
    // fall through to the user-facing error
  }
  throw badUserInput(`"${argument}" is not a cursor returned by this API.`, argument);
}

/**
 * Cursor parts a forged cursor could abuse: a cursor is client input, so each
 * part is checked to be what PostgreSQL will accept before it reaches SQL
 * (BAD_USER_INPUT, never a database error).
 */
export function isCursorTimestamp(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** A PostgreSQL `integer` (32-bit). */
export function isCursorInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -2_147_483_648 && (value as number) <= 2_147_483_647;
}

export const MAX_PAGE_SIZE = 100;

/** Validates a `first` argument: 1..max, with an error that names the argument. */
export function pageSize(first: number, max = MAX_PAGE_SIZE): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badUserInput(`"first" must be between 1 and ${max}, got ${first}.`, 'first');
  }
  return first;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Builds a connection from `first + 1` fetched rows: the extra row only tells
 * whether another page exists.
 */
export function toConnection<T>(rows: readonly T[], first: number, positionOf: (row: T) => readonly unknown[]): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(positionOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
