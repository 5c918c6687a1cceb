const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are opaque to clients; anything that is not a uuid cannot name a row, and must not reach a uuid column as a SQL error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
