import DataLoader from 'dataloader';

/**
 * A per-request DataLoader over a "fetch many by key" query. The query may
 * return rows in any order and skip missing keys; the loader hands results
 * back in key order with null for keys that have no row, which is what
 * DataLoader and federation's `_entities` both expect.
 */
export function createBatchLoader<K, V>(
  fetchMany: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
  options: { maxBatchSize?: number } = {},
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const rows = await fetchMany(keys);
      const byKey = new Map<K, V>();
      for (const row of rows) byKey.set(keyOf(row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: options.maxBatchSize ?? 500 },
  );
}

/**
 * A per-request DataLoader for a one-to-many child list (e.g. variants of a
 * product): one query for all parents, results grouped by parent key, an
 * empty list for a parent without children.
 */
export function createGroupLoader<K, V>(
  fetchMany: (keys: readonly K[]) => Promise<readonly V[]>,
  parentKeyOf: (value: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetchMany(keys);
    const groups = new Map<K, V[]>();
    for (const row of rows) {
      const key = parentKeyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}
