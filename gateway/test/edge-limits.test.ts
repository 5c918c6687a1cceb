import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

async function startGateway(rateLimitPerMinute: string): Promise<string> {
  const config = readConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_PER_MINUTE: rateLimitPerMinute });
  const server = await createServer({ config, logger: createLogger('gateway-test', 'silent') });
  gateways.push(server);
  return `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
}

before(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  url = await startGateway('100000');
  limitedUrl = await startGateway('3');
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

describe('rate limits at the gateway', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client passes its requests per minute', async () => {
    const client = { authorization: `Bearer ${randomUUID()}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postGraphQL(limitedUrl, '{ __typename }', {}, client)).status);
    assert.ok(statuses.every((s) => s !== 429), `first three allowed, got ${statuses}`);
    const limited = await postGraphQL(limitedUrl, '{ __typename }', {}, client);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const other = await postGraphQL(limitedUrl, '{ __typename }', {}, { authorization: `Bearer ${randomUUID()}` });
    assert.notEqual(other.status, 429, 'another client is not affected');
  });
});
