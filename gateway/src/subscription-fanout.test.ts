import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubscriptionFanout, type FanoutSubscriber } from './subscription-fanout.ts';

/** A client that records what it was sent (payloads decoded) and whether its subscription ended. */
function recorder(options: { refuseAfter?: number } = {}) {
  const received: string[] = [];
  let ended = false;
  const subscriber: FanoutSubscriber = {
    write(payload) {
      if (options.refuseAfter !== undefined && received.length >= options.refuseAfter) return false;
      received.push(payload.toString());
      return true;
    },
    end() {
      ended = true;
    },
  };
  return { subscriber, received, ended: () => ended };
}

const value = (n: number | string) => Buffer.from(String(n));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the subscription fan-out', () => {
  it('serves every client the values in publishing order, fewer under a burst, always ending with the last', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 7 });
    const clients = Array.from({ length: 50 }, () => recorder());
    for (const c of clients) fanout.add(c.subscriber);
    for (let n = 1; n <= 40; n++) {
      fanout.publish('sku-1', value(n));
      if (n % 3 === 0) await turn();
    }
    await fanout.idle();
    for (const c of clients) {
      const numbers = c.received.map(Number);
      assert.equal(numbers.at(-1), 40, 'the last value');
      for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! > numbers[i - 1]!, `in order, no repeats: ${numbers.join(',')}`);
    }
    assert.ok(clients.some((c) => c.received.length < 40), 'values superseded before a client was served are skipped');
  });

  it('gives a value published mid-round to the clients not yet served, without the one it replaces', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 10 });
    const clients = Array.from({ length: 30 }, () => recorder());
    for (const c of clients) fanout.add(c.subscriber);
    fanout.publish('sku-1', value(1)); // the first chunk of 10 is written within this call
    assert.equal(clients.filter((c) => c.received.length === 1).length, 10);
    fanout.publish('sku-1', value(2));
    await fanout.idle();
    assert.deepEqual(clients.slice(0, 10).map((c) => c.received), Array.from({ length: 10 }, () => ['1', '2']));
    assert.deepEqual(clients.slice(10).map((c) => c.received), Array.from({ length: 20 }, () => ['2']));
  });

  it('serves a client at most once per window: a burst reaches it as its first and its last value', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 30, chunk: 100 });
    const clients = Array.from({ length: 5 }, () => recorder());
    for (const c of clients) fanout.add(c.subscriber);
    for (let n = 1; n <= 100; n++) fanout.publish('sku-1', value(n));
    await fanout.idle();
    for (const c of clients) assert.deepEqual(c.received, ['1', '100']);
  });

  it('serves the newest value of every entity that changed, in publishing order', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 100 });
    const early = recorder();
    fanout.add(early.subscriber);
    fanout.publish('a', value('a1'));
    fanout.publish('b', value('b1'));
    await fanout.idle();
    fanout.publish('a', value('a2')); // served within this call
    fanout.publish('c', value('c1'));
    fanout.publish('b', value('b2'));
    fanout.publish('a', value('a3')); // replaces a2, and is now the newest change
    await fanout.idle();
    assert.deepEqual(early.received, ['a1', 'b1', 'a2', 'c1', 'b2', 'a3']);

    const late = recorder();
    fanout.add(late.subscriber);
    await fanout.idle();
    await turn();
    await fanout.idle();
    assert.deepEqual(late.received, ['c1', 'b2', 'a3'], 'a client joining later gets the newest value per entity');
  });

  it('sends an error to the clients present, never to clients joining later, and keeps its place in the order', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 100 });
    const present = recorder();
    fanout.add(present.subscriber);
    fanout.publish('sku-1', value(1));
    fanout.publishTransient(value('error'));
    fanout.publish('sku-1', value(2));
    await fanout.idle();
    assert.deepEqual(present.received.slice(-2), ['error', '2']);

    const later = recorder();
    fanout.add(later.subscriber);
    await turn();
    await fanout.idle();
    assert.deepEqual(later.received, ['2']);
  });

  it('drops a client that is cut off or leaves mid-round and goes on serving the others', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 3 });
    const clients = Array.from({ length: 10 }, (_, i) => recorder(i === 4 ? { refuseAfter: 1 } : {}));
    const members = clients.map((c) => fanout.add(c.subscriber));
    fanout.publish('sku-1', value(1));
    await fanout.idle();
    fanout.publish('sku-1', value(2));
    fanout.remove(members[7]!);
    fanout.publish('sku-1', value(3));
    await fanout.idle();
    assert.equal(fanout.remove(members[7]!), false, 'removed once');
    clients.forEach((c, i) => {
      if (i === 4) assert.deepEqual(c.received, ['1']);
      else if (i === 7) assert.deepEqual(c.received, ['1']);
      else assert.equal(c.received.at(-1), '3');
    });
    assert.equal(fanout.size, 9);
  });

  it('ends every subscription when closed and sends nothing more', async () => {
    const fanout = new SubscriptionFanout({ windowMs: 0, chunk: 2 });
    const clients = Array.from({ length: 6 }, () => recorder());
    for (const c of clients) fanout.add(c.subscriber);
    fanout.publish('sku-1', value(1));
    fanout.close();
    fanout.publish('sku-1', value(2));
    await fanout.idle();
    await turn();
    assert.ok(clients.every((c) => c.ended()));
    assert.ok(clients.every((c) => !c.received.includes('2')));
    assert.equal(fanout.size, 0);
  });
});
