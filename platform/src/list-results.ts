/**
 * The items of a list field resolved side by side, where one item may fail
 * without failing the others (the internal batch mutations: one call for
 * many orders). graphql-js completes an Error found in a list as null at that
 * index plus an error whose `path` ends with the index, so each failure
 * reaches the caller as its own error; the list's item type must be nullable.
 */
export async function settleListItems<T>(items: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(items);
  // The cast is the contract above: graphql-js accepts an Error where an item is expected.
  return outcomes.map((o) => (o.status === 'fulfilled' ? o.value : ((o.reason instanceof Error ? o.reason : new Error(String(o.reason))) as unknown as T)));
}
