import type { EntityManager } from '@shop/platform';

/**
 * Raw SQL helpers for the repositories.
 *
 * Tables are always schema-qualified, so a query never depends on the
 * connection's search_path. Lists go to PostgreSQL as ONE json parameter
 * (`jsonList`), read back with `jsonb_array_elements_text` /
 * `jsonb_to_recordset`: the ORM's placeholder formatter would expand a JS
 * array into a comma list, and an empty one into invalid SQL.
 */
export function tableOf(em: EntityManager): (table: string) => string {
  const schema = String(em.config.get('schema'));
  return (table) => `"${schema.replaceAll('"', '""')}".${table}`;
}

export function jsonList(values: readonly unknown[]): string {
  return JSON.stringify(values);
}

/** `column in (...)` over a jsonList parameter, cast to `type`. */
export function inJsonList(column: string, type: 'uuid' | 'text'): string {
  return `${column} in (select value::${type} from jsonb_array_elements_text(?::jsonb))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are opaque to clients; anything that is not a UUID cannot name a row, and must not reach a uuid cast. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function uuidsOnly(values: readonly string[]): string[] {
  return [...new Set(values.filter(isUuid).map((id) => id.toLowerCase()))];
}
