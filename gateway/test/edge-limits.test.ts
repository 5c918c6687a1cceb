import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@shop/platform';
import { postGraphQL, TEST_REDIS_URL } from '@shop/platform/testing';
import { readConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';

// The gateway's own edge limits, on an in-process gateway over the committed
// supergraph: they answer before any subgraph is asked, so none is running.
type Gateway = Awaited<ReturnType<typeof createServer>>;
const gateways: Gateway[] = [];
let url: string;
let limitedUrl: string;
let untrustingUrl: string;

async function startGateway(env: Record<string, string> = {}): Promise<string> {
  const config = readConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, ...env });
  const server = await createServer({ config, logger: createLogger('gateway-test', 'silent') });
  gateways.push(server);
  return `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
}

before(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  url = await startGateway({ RATE_LIMIT_PER_MINUTE: '100000' });
  limitedUrl = await startGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3', RATE_LIMIT_FAILED_CREDENTIALS_PER_MINUTE: '3' });
  // 127.0.0.1 is not a proxy of this gateway's: the test's requests come straight from a client.
  untrustingUrl = await startGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3', TRUSTED_PROXIES: '10.0.0.0/8' });
});
after(() => Promise.all(gateways.map((g) => g.close())));

function nested(depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = i % 2 === 0 ? `variants { product { ${selection} } }` : selection;
  return `{ product(id: "p") { ${selection} } }`;
}

describe('operation limits at the gateway', () => {
  it('refuses an operation nested deeper than 12 levels, with OPERATION_LIMIT_EXCEEDED and a 400', async () => {
    const response = await postGraphQL(url, nested(14));
    assert.equal(response.status, 400);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'OPERATION_LIMIT_EXCEEDED');
    assert.match(response.body.errors![0]!.message, /levels deep; at most 12/);
  });

  it('refuses alias flooding', async () => {
    const fields = Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ');
    const response = await postGraphQL(url, `{ ${fields} }`);
    assert.equal(response.status, 400);
    assert.match(response.body.errors![0]!.message, /31 aliases; at most 30/);
  });

  it('refuses an operation whose pages multiply past the cost limit, counting `first` from the variables', async () => {
    const query = `query($n: Int!) { products(first: $n) { edges { node { seller { orders(first: $n) { edges { node { id items { quantity } } } } } } } } }`;
    const response = await postGraphQL(url, query, { n: 100 });
    assert.equal(response.status, 400);
    assert.match(response.body.errors![0]!.message, /estimated cost is \d+; at most 20000/);
  });

  it('counts list fields without `first` too: categories nested in categories are refused for their fan-out', async () => {
    const response = await postGraphQL(url, '{ categories { children { children { children { children { name } } } } } }');
    assert.equal(response.status, 400);
    assert.match(response.body.errors![0]!.message, /estimated cost is 111111; at most 20000/);
  });

  it('lets every contract operation through at its largest page (first: 100, 100 skus)', async () => {
    const variables = { first: 100, skus: Array.from({ length: 100 }, (_, i) => `SKU-${i}`) };
    for (const file of readdirSync(new URL('../../schema/operations/', import.meta.url))) {
      const response = await postGraphQL(url, readFileSync(new URL(`../../schema/operations/${file}`, import.meta.url), 'utf8'), variables);
      assert.notEqual(response.body.errors?.[0]?.extensions?.code, 'OPERATION_LIMIT_EXCEEDED', `${file}: ${response.body.errors?.[0]?.message}`);
    }
  });

  it('refuses a document longer than the token limit before validating it', async () => {
    const fields = Array.from({ length: 6000 }, () => '__typename').join(' ');
    const response = await postGraphQL(url, `{ ${fields} }`);
    assert.equal(response.status, 400);
    assert.match(response.body.errors![0]!.message, /tokens/);
  });

  it('lets an ordinary contract-sized operation through the limits', async () => {
    const response = await postGraphQL(url, '{ products(first: 50) { edges { node { id name variants { sku } } } } }');
    assert.notEqual(response.body.errors?.[0]?.extensions?.code, 'OPERATION_LIMIT_EXCEEDED');
  });
});

/** An address from the documentation range, new on every run (counters live in Redis for two minutes). */
function uniqueAddress(): string {
  return `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::${Math.floor(Math.random() * 0xffff).toString(16)}`;
}

describe('rate limits at the gateway', () => {
  it('counts anonymous clients by their own address behind a trusted proxy, with 429 RATE_LIMITED and Retry-After past the limit', async () => {
    const client = uniqueAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postGraphQL(limitedUrl, '{ __typename }', {}, { 'x-forwarded-for': client })).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    const limited = await postGraphQL(limitedUrl, '{ __typename }', {}, { 'x-forwarded-for': client });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const other = await postGraphQL(limitedUrl, '{ __typename }', {}, { 'x-forwarded-for': uniqueAddress() });
    assert.equal(other.status, 200, 'another client behind the same proxy is not affected');
  });

  it('takes the right-most untrusted X-Forwarded-For entry, so a client cannot escape its limit by prepending addresses', async () => {
    const client = uniqueAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await postGraphQL(limitedUrl, '{ __typename }', {}, { 'x-forwarded-for': `${uniqueAddress()}, ${client}, 10.0.0.5` })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: a direct client cannot choose its address', async () => {
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await postGraphQL(untrustingUrl, '{ __typename }', {}, { 'x-forwarded-for': uniqueAddress(), forwarded: `for=${uniqueAddress()}` })).status;
    assert.equal(last, 429);
  });

  it('refuses made-up bearer tokens with 401 without giving each a budget of its own, then stops the address with 429', async () => {
    const client = uniqueAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await postGraphQL(limitedUrl, '{ __typename }', {}, { 'x-forwarded-for': client, authorization: `Bearer ${randomUUID()}` });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  });
});
