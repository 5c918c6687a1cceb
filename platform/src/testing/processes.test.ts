import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { claimRedisDatabase } from './processes.ts';

describe('test stacks on a shared Redis', () => {
  it('give every stack running at once a database of its own, never flushing one another stack holds, and free it when released', async () => {
    const first = await claimRedisDatabase();
    const mine = new Redis(first.url);
    try {
      await mine.set('events:{orders}', 'the first stack');
      const others = await Promise.all(Array.from({ length: 5 }, () => claimRedisDatabase()));
      const urls = [first.url, ...others.map((o) => o.url)];
      assert.equal(new Set(urls).size, urls.length, `distinct databases: ${urls.join(', ')}`);
      assert.equal(await mine.get('events:{orders}'), 'the first stack', 'claiming others flushed nothing of the first');
      await mine.del('events:{orders}');
      await Promise.all(others.map((o) => o.release()));
      await first.release();
      assert.equal(await mine.get('__test_stack_owner'), null, 'released');
    } finally {
      mine.disconnect();
    }
  });
});
