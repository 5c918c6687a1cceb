import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeCursor, createLogger, generateIdentityKeys } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { readConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';

// A hostile-input corpus against a production-mode gateway: every case must
// be refused cleanly (a 4xx, or a GraphQL error with a code), never a 5xx, a
// hang, a stack trace, SQL text or a file path. The subgraphs' URLs point at
// a server that accepts connections and never answers, so the gateway's
// subgraph timeout is exercised by every case that gets that far.
type Gateway = Awaited<ReturnType<typeof createServer>>;
let gateway: Gateway;
let url: string;
let hanging: NetServer;
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

interface Answer {
  status: number;
  text: string;
}

/** Each request from an address of its own, so the rate limits stay out of the cases that are not about them. */
async function send(init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; search?: string }): Promise<Answer> {
  const response = await fetch(`${url}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`, ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}
const post = (body: unknown, headers: Record<string, string> = {}) => send({ body: JSON.stringify(body), headers });
const query = (text: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => post({ query: text, variables }, headers);

/** A clean refusal: no 5xx, and if 200, every error carries a code; nothing internal leaks. */
function assertClean(answer: Answer, expected?: { status?: number; code?: string }) {
  assert.ok(answer.status < 500, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
  assert.doesNotMatch(answer.text, /stacktrace|\bat \S+ \(|node_modules|\/work\/|\.ts:\d+|SELECT |INSERT |syntax for type|out of range/i, answer.text.slice(0, 300));
  if (answer.status === 200 || answer.text.startsWith('{')) {
    const body = JSON.parse(answer.text) as { errors?: { extensions?: { code?: string } }[] };
    assert.ok(body.errors?.length, `expected a refusal, got ${answer.text.slice(0, 200)}`);
    for (const error of body.errors!) assert.ok(error.extensions?.code && error.extensions.code !== 'INTERNAL_SERVER_ERROR', `uncoded error ${answer.text.slice(0, 300)}`);
    if (expected?.code) assert.ok(body.errors!.some((e) => e.extensions?.code === expected.code), `expected ${expected.code}: ${answer.text.slice(0, 300)}`);
  }
  if (expected?.status) assert.equal(answer.status, expected.status, answer.text.slice(0, 300));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsignedToken = (header: Record<string, unknown>, claims: Record<string, unknown>, signature = '') => `${b64(header)}.${b64(claims)}.${signature}`;
const claims = { sub: randomUUID(), roles: ['ADMIN'], iss: 'https://accounts.shop.local', aud: 'shop-gateway', exp: Math.floor(Date.now() / 1000) + 600 };
function nested(levels: number) {
  let selection = 'id';
  for (let i = 0; i < levels; i++) selection = `variants { product { ${selection} } }`;
  return `{ product(id: "p") { ${selection} } }`;
}

const cases: [string, () => Promise<Answer>, { status?: number; code?: string }?][] = [
  // Query-shape bombs
  ['a depth bomb', () => query(nested(10)), { status: 400, code: 'OPERATION_LIMIT_EXCEEDED' }],
  ['a very deep bomb', () => query(nested(200)), { status: 400 }],
  ['an alias bomb', () => query(`{ ${Array.from({ length: 500 }, (_, i) => `a${i}: products(first: 1) { edges { cursor } }`).join(' ')} }`), { status: 400 }],
  ['aliased __typename flooding', () => query(`{ ${Array.from({ length: 100 }, (_, i) => `t${i}: __typename`).join(' ')} }`), { status: 400, code: 'OPERATION_LIMIT_EXCEEDED' }],
  ['10,000 duplicated fields', () => query(`{ ${'__typename '.repeat(10_000)} }`), { status: 400 }],
  ['a fragment cycle', () => query('query { products(first: 1) { ...A } } fragment A on ProductConnection { ...B } fragment B on ProductConnection { ...A }'), { status: 400 }],
  ['fragment fan-out', () => query(`query { ${Array.from({ length: 20 }, (_, i) => `p${i}: products(first: 100) { edges { node { ...F } } }`).join(' ')} } fragment F on Product { variants { product { variants { sku } } } }`)],
  ['a directive flood', () => query(`{ ${Array.from({ length: 80 }, () => '... on Query @include(if: true) { __typename }').join(' ')} }`), { status: 400, code: 'OPERATION_LIMIT_EXCEEDED' }],
  ['a repeated directive', () => query(`{ __typename ${'@skip(if: false) '.repeat(200)} }`), { status: 400 }],
  ['a huge page', () => query('{ products(first: 10000) { edges { node { id variants { sku } } } } }'), { status: 400, code: 'OPERATION_LIMIT_EXCEEDED' }],
  ['a huge page by variable', () => query('query($n: Int!) { products(first: $n) { edges { node { id variants { sku product { variants { sku } } } } } } }', { n: 5000 }), { status: 400 }],
  ['introspection in production', () => query('{ __schema { types { name } } }'), { status: 400 }],
  ['an introspection nesting bomb', () => query(`{ __schema { types { ${'fields { type { '.repeat(20)} name ${'} } '.repeat(20)} } } }`), { status: 400 }],
  ['a field suggestion probe', () => query('{ produts { id } }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' }],
  // Transport abuse
  ['a body that is not JSON', () => send({ body: '{"query": ' }), { status: 400 }],
  ['a JSON body that is a string', () => send({ body: '"hello"' }), { status: 400 }],
  ['a JSON null body', () => send({ body: 'null' }), { status: 400 }],
  ['a query that is a number', () => post({ query: 5 }), { status: 400 }],
  ['variables that are a string', () => post({ query: '{ __typename }', variables: 'x' }), { status: 400 }],
  ['a batch of 1,000', () => post(Array.from({ length: 1000 }, () => ({ query: '{ __typename }' }))), { status: 400 }],
  ['a 10 MB body', () => send({ body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(10_000_000)}` }) }), { status: 413 }],
  ['text/plain (a CSRF-able simple request)', () => send({ body: '{"query":"{ __typename }"}', headers: { 'content-type': 'text/plain' } }), { status: 400 }],
  ['form content', () => send({ body: 'query=%7B__typename%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), { status: 400 }],
  ['a GET mutation', () => send({ method: 'GET', search: `?query=${encodeURIComponent('mutation { signOut(refreshToken: "x") }')}`, headers: { 'apollo-require-preflight': 'true' } }), { status: 405 }],
  ['a GET with an empty content-type', () => send({ method: 'GET', search: `?query=${encodeURIComponent('{ __typename }')}`, headers: { 'content-type': '' } }), { status: 415 }],
  ['a PUT', () => send({ method: 'PUT', body: JSON.stringify({ query: '{ __typename }' }) }), { status: 405 }],
  ['an operationName that names no operation', () => post({ query: '{ __typename }', operationName: 'Nope' }), { status: 400, code: 'BAD_REQUEST' }],
  ['two operations without operationName', () => post({ query: 'query A { __typename } query B { __typename }' }), { status: 400, code: 'BAD_REQUEST' }],
  ['an operationName that is an object', () => post({ query: '{ __typename }', operationName: { a: 1 } }), { status: 400 }],
  ['an empty query', () => post({ query: '' }), { status: 400 }],
  ['APQ with an unknown version', () => post({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }), { status: 400, code: 'BAD_REQUEST' }],
  ['APQ with a hash that does not match', () => post({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), { status: 400, code: 'BAD_REQUEST' }],
  ['APQ with an unknown hash', () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: randomBytes(32).toString('hex') } } }), { code: 'PERSISTED_QUERY_NOT_FOUND' }],
  ['APQ with a hash that is a number', () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } })],
  ['APQ with a 1 MB hash', () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(900_000) } } })],
  ['APQ over GET with broken extensions JSON', () => send({ method: 'GET', search: '?extensions=%7Bnope', headers: { 'apollo-require-preflight': 'true' } }), { status: 400 }],
  // Variable abuse
  ['a variable of the wrong type', () => query('query($n: Int!) { products(first: $n) { edges { cursor } } }', { n: 'ten' }), { status: 400 }],
  ['an Int past 32 bits', () => query('query($n: Int!) { products(first: $n) { edges { cursor } } }', { n: 2 ** 40 }), { status: 400 }],
  ['a negative page', () => query('{ products(first: -5) { edges { cursor } } }')],
  ['a missing required variable', () => query('query($n: Int!) { products(first: $n) { edges { cursor } } }'), { status: 400 }],
  ['10,000 skus', () => query('query($s: [ID!]!) { stockLevels(skus: $s) { sku available } }', { s: Array.from({ length: 10_000 }, (_, i) => `S${i}`) })],
  ['a huge quantity', () => query('mutation($q: Int!) { addToCart(input: { sku: "A", quantity: $q }) { __typename } }', { q: 2_147_483_647 })],
  ['a negative quantity', () => query('mutation($q: Int!) { addToCart(input: { sku: "A", quantity: $q }) { __typename } }', { q: -3 })],
  ['a NUL byte in a sign-up name', () => query('mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { email: 'a@b.c', password: 'long enough pass', name: 'Eve\u0000' } }), { status: 400, code: 'BAD_USER_INPUT' }],
  ['a NUL byte in a literal', () => query('{ products(first: 1, filter: { search: "a\\u0000b" }) { edges { cursor } } }'), { status: 400, code: 'BAD_USER_INPUT' }],
  ['a NUL byte in an object key', () => query('query($s: [ID!]!) { stockLevels(skus: $s) { sku } }', { s: ['A'], ['x\u0000']: 1 }), { status: 400 }],
  ['SQL-looking text', () => query('query($s: String) { products(first: 1, filter: { search: $s }) { edges { cursor } } }', { s: "'; DROP TABLE products; --" })],
  ['a forged cursor', () => query('query($a: String) { products(first: 1, after: $a) { edges { cursor } } }', { a: encodeCursor(['NEWEST', '1', randomUUID()]) })],
  ['a cursor that is not base64', () => query('query($a: String) { products(first: 1, after: $a) { edges { cursor } } }', { a: '%%%' })],
  ['a 100 KB string', () => query('query($s: String) { products(first: 1, filter: { search: $s }) { edges { cursor } } }', { s: 'x'.repeat(100_000) })],
  // Token forgery
  ['alg none', () => query('{ me { id } }', {}, { authorization: `Bearer ${unsignedToken({ alg: 'none', typ: 'JWT' }, claims)}` }), { status: 401 }],
  ['HS256 with a random secret', () => query('{ me { id } }', {}, { authorization: `Bearer ${unsignedToken({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(32).toString('base64url'))}` }), { status: 401 }],
  ['an unknown kid', () => query('{ me { id } }', {}, { authorization: `Bearer ${unsignedToken({ alg: 'EdDSA', kid: randomUUID() }, claims, randomBytes(64).toString('base64url'))}` }), { status: 401 }],
  ['an expired token', () => query('{ me { id } }', {}, { authorization: `Bearer ${unsignedToken({ alg: 'EdDSA', kid: 'k' }, { ...claims, exp: 1 }, 'x')}` }), { status: 401 }],
  ['an oversized token', () => query('{ me { id } }', {}, { authorization: `Bearer ${'a'.repeat(60_000)}` })],
  ['a Basic authorization', () => query('{ me { id } }', {}, { authorization: 'Basic YWRtaW46YWRtaW4=' }), { status: 401 }],
  ['a forged internal identity header', () => query('{ me { id } }', {}, { 'x-viewer-token': unsignedToken({ alg: 'EdDSA', kid: 'gateway' }, claims, 'x'), 'x-user-id': randomUUID() })],
  // Partner-key abuse, IDOR against real data, 1,000 subscriptions on one
  // connection and the gateway's memory afterwards are in the full-stack
  // edge-behind-nginx.test.ts: here accounts hangs, so a key lookup is a 503 by design.
  // IDOR through the gateway
  ['_entities through the gateway', () => query('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'User', id: randomUUID() }] }), { status: 400 }],
  ['_service through the gateway', () => query('{ _service { sdl } }'), { status: 400 }],
  ["another customer's order, anonymously", () => query(`{ order(id: "${randomUUID()}") { id total { amount } } }`)],
];

describe('the hostile-input corpus', () => {
  it(`has at least 60 cases (${cases.length})`, () => assert.ok(cases.length >= 60));
  for (const [name, run, expected] of cases) {
    it(`refuses ${name} cleanly`, async () => assertClean(await run(), expected));
  }

  it('leaves the gateway healthy, its memory bounded, and answers a subgraph that hangs with SUBGRAPH_UNAVAILABLE within the timeout', async () => {
    assert.ok(await isReady(), 'readiness checks pass after the corpus');
    assert.equal((await query('{ __typename }')).status, 200);
    const answer = await query('{ products(first: 1) { edges { cursor } } }');
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.text);
    assert.equal(body.errors[0].extensions.code, 'SUBGRAPH_UNAVAILABLE');
    assert.ok(process.memoryUsage().rss < 1_500_000_000, `rss ${process.memoryUsage().rss}`);
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
