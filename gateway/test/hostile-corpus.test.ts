import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger, generateIdentityKeys } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { readConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';
import { assertClean, hostileCases, type Answer, type HostileRequest } from './hostile-cases.ts';

// A hostile-input corpus against a production-mode gateway: every case must
// be refused cleanly (a 4xx, or a GraphQL error with a code), never a 5xx, a
// hang, a stack trace, SQL text or a file path. The subgraphs' URLs point at
// a server that accepts connections and never answers, so the gateway's
// subgraph timeout is exercised by every case that gets that far.
type Gateway = Awaited<ReturnType<typeof createServer>>;
let gateway: Gateway;
let url: string;
let hanging: NetServer;
/** The process's resident memory once the gateway is ready (the gateway runs in this process). */
let rssBefore: number;
const sockets: Socket[] = [];

before(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  hanging = createNetServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const dead = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/graphql`;
  const config = readConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    REDIS_URL: TEST_REDIS_URL,
    INTERNAL_IDENTITY_PRIVATE_KEY: (await generateIdentityKeys()).privateKey,
    OPERATION_MODE: 'allow-all',
    SUBGRAPH_TIMEOUT_MS: '300',
    ...Object.fromEntries(['ACCOUNTS', 'PRODUCTS', 'ORDERS', 'INVENTORY', 'PAYMENTS'].map((name) => [`${name}_URL`, dead])),
  });
  gateway = await createServer({ config, logger: createLogger('gateway-test', 'silent') });
  url = `http://127.0.0.1:${await gateway.listen(0, '127.0.0.1')}/graphql`;
  // Readiness is served on the metrics port by the service kit, not by createServer: run its checks directly.
  for (let i = 0; !(await isReady()); i++) {
    if (i >= 200) throw new Error('the gateway did not become ready (supergraph not loaded)');
    await new Promise((r) => setTimeout(r, 50));
  }
  rssBefore = process.memoryUsage().rss;
});

async function isReady(): Promise<boolean> {
  try {
    await Promise.all(gateway.readiness.map(([, check]) => check()));
    return true;
  } catch {
    return false;
  }
}
after(async () => {
  await gateway?.close();
  for (const socket of sockets) socket.destroy();
  hanging?.close();
});

/** Each request from an address of its own, so the rate limits stay out of the cases that are not about them. */
async function send(init: HostileRequest): Promise<Answer> {
  const response = await fetch(`${url}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`, ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}
const query = (text: string) => send({ body: JSON.stringify({ query: text }) });
const cases = hostileCases(send);

describe('the hostile-input corpus', () => {
  it(`has at least 60 cases (${cases.length})`, () => assert.ok(cases.length >= 60));
  for (const [name, run, expected] of cases) {
    it(`refuses ${name} cleanly`, async () => assertClean(await run(), expected));
  }

  it('leaves the gateway healthy, its memory within 200 MB of where it started, and answers a subgraph that hangs with SUBGRAPH_UNAVAILABLE within the timeout', async () => {
    assert.ok(await isReady(), 'readiness checks pass after the corpus');
    assert.equal((await query('{ __typename }')).status, 200);
    const answer = await query('{ products(first: 1) { edges { cursor } } }');
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.text);
    assert.equal(body.errors[0].extensions.code, 'SUBGRAPH_UNAVAILABLE');
    // The process is the gateway and the test's client together: the client's own share is the corpus's bodies (10 MB at most).
    const growth = process.memoryUsage().rss - rssBefore;
    assert.ok(growth < 200 * 2 ** 20, `grew by ${Math.round(growth / 2 ** 20)} MB`);
  });
});

describe('rate limits under a flood', () => {
  it('refuses a flood from one address with 429 while other addresses still pass', async () => {
    const address = `2001:db8:f100d::${randomBytes(2).toString('hex')}`;
    const statuses: number[] = [];
    for (let batch = 0; batch < 62; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => send({ body: JSON.stringify({ query: '{ __typename }' }), headers: { 'x-forwarded-for': address } })));
      statuses.push(...answers.map((a) => a.status));
    }
    assert.ok(statuses.includes(429));
    assert.ok(statuses.every((s) => s === 200 || s === 429));
    assert.equal((await query('{ __typename }')).status, 200);
  });
});
