import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runLoad } from './load.ts';

// The benchmarks' load generator checks every answer against the expected
// bytes as they arrive: a difference anywhere, a missing or extra byte, or
// another status is a mismatch.
describe('runLoad checks every answer byte for byte', () => {
  const expected = Buffer.alloc(87_600, 'a');
  let reply = expected;
  let status = 200;
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.writeHead(status, { 'content-length': reply.length });
        res.end(reply);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const load = () => runLoad({ url, body: '{}', expected, durationMs: 200, connections: 2 });

  it('counts identical answers as matching', async () => {
    reply = expected;
    status = 200;
    const result = await load();
    assert.ok(result.requests > 0);
    assert.equal(result.mismatches, 0);
    assert.equal(result.failures, 0);
  });

  const last = Buffer.from(expected);
  last[last.length - 1] = 0x62;
  const first = Buffer.from(expected);
  first[0] = 0x62;
  for (const [name, body, code] of [
    ['its last byte differs', last, 200],
    ['its first byte differs', first, 200],
    ['it is one byte short', expected.subarray(0, expected.length - 1), 200],
    ['it has one byte more', Buffer.concat([expected, Buffer.from('a')]), 200],
    ['its status is not 200', expected, 500],
  ] as const) {
    it(`counts an answer as mismatched when ${name}`, async () => {
      reply = body;
      status = code;
      const result = await load();
      assert.ok(result.requests > 0);
      assert.equal(result.mismatches, result.requests);
      assert.match(result.sample ?? '', new RegExp(`^${code} `));
    });
  }

  it('counts a refused connection as a failure', async () => {
    const result = await runLoad({ url: 'http://127.0.0.1:1/', body: '{}', expected, durationMs: 50, connections: 1 });
    assert.equal(result.requests, 0);
    assert.ok(result.failures > 0);
  });
});
