/** Helpers shared by the benchmarks' load generators (percentiles and CPU readings are in ../load.ts). */

/** Runs `work(0 .. items-1)` with at most `concurrency` at once (a closed loop); results in index order. */
export async function pool<T>(items: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(items);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}
