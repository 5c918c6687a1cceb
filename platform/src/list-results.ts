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

/**
 * A batch mutation's answers as list items: an Error is completed as null
 * at its index with its own error (the contract of settleListItems).
 */
export function listItems<T>(answers: readonly (T | Error)[]): T[] {
  // The cast is settleListItems' contract: graphql-js accepts an Error where an item is expected.
  return answers as T[];
}

/**
 * How a batch of requests keyed by order (or any id) is decided as if each
 * ran alone, one after another: the first request of each key leads; a
 * repeat that is `same` as its leader follows (it gets the leader's answer,
 * as it would running right after it); any other repeat goes to a `later`
 * round, decided against what the leader did.
 */
export function splitByKey<T>(items: readonly T[], keyOf: (item: T) => string, same: (a: T, b: T) => boolean) {
  const leaders: T[] = [];
  const followers: [follower: T, leader: T][] = [];
  const later: T[] = [];
  const leaderOf = new Map<string, T>();
  for (const item of items) {
    const leader = leaderOf.get(keyOf(item));
    if (leader === undefined) {
      leaderOf.set(keyOf(item), item);
      leaders.push(item);
    } else if (same(leader, item)) {
      followers.push([item, leader]);
    } else {
      later.push(item);
    }
  }
  return { leaders, followers, later };
}
