const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for the textual form of a UUID. IDs arrive from clients as opaque
 * strings; checking them before they reach a `uuid` column turns a malformed
 * id into "not found" instead of a PostgreSQL cast error.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
