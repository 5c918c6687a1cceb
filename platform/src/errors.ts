import { GraphQLError } from 'graphql';

/**
 * Error codes clients can switch on (`extensions.code`). Expected business
 * outcomes are result-union members, not errors; these are for bad input,
 * missing records and auth failures.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  /** A dependency (the database) cannot be reached right now; the same request may succeed shortly (`extensions.retryable`). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Bad input; `field` names the argument path that is wrong (e.g. "first" or "input.variants[0].sku"). */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function unauthenticated(message = 'You must be signed in to do this.'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export function forbidden(message = 'You are not allowed to do this.'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/**
 * Error codes that say a dependency cannot be reached right now, not that the
 * request is wrong: PostgreSQL's connection exceptions (SQLSTATE class 08)
 * and shutdown states (57P01 admin shutdown, 57P02 crash shutdown, 57P03
 * starting up or cannot connect now), and socket errors. MikroORM's
 * DriverException keeps the driver's `code`.
 */
const UNAVAILABLE_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** True when `error`, or an error it wraps (`originalError`, `cause`), says a dependency is unreachable right now (by code). */
export function isDependencyUnavailable(error: unknown): boolean {
  let current = error as { code?: unknown; originalError?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    if (typeof current.code === 'string' && UNAVAILABLE_CODES.has(current.code)) return true;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return false;
}
