import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadDemoData } from '@shop/platform';
import { freePort, ServiceProcess, startTestStack, type TestStack } from '@shop/platform/testing';
import { startCdn, type Cdn } from '../../deploy/nginx/cdn.ts';

// Partners through a real caching proxy: nginx proxy_cache (deploy/nginx) in
// front of the real gateway and subgraphs.
const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-queries.json', import.meta.url), 'utf8')) as {
  operations: { id: string; name: string; body: string }[];
};
const idOf = (name: string) => manifest.operations.find((op) => op.name === name)!.id;
const demo = loadDemoData();
const PARTNER = { 'x-api-key': 'demo-partner-key' };

let stack: TestStack;
let cdn: Cdn;

function persistedUrl(base: string, name: string, variables: Record<string, unknown>): string {
  const search = new URLSearchParams({
    operationName: name,
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf(name) } }),
  });
  return `${base}/graphql?${search}`;
}

async function gatewayRequests(): Promise<number> {
  const text = await (await fetch(`${stack.gateway.metricsUrl}/metrics`)).text();
  return [...text.matchAll(/^gateway_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => null)) as any };
}

before(async () => {
  stack = await startTestStack();
  cdn = await startCdn({ port: await freePort(), gateway: new URL(stack.url).host });
});
after(async () => {
  await cdn?.stop();
  await stack?.stop();
});

describe('persisted queries through the CDN', () => {
  const skus = demo.stock.slice(0, 3).map((s) => s.sku);

  it('serves the partner StockLevels GET by id with a 1 s public policy and an ETag, then from the nginx cache without reaching the gateway', async () => {
    const url = persistedUrl(cdn.url, 'StockLevels', { skus });
    const first = await get(url, PARTNER);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { data: { stockLevels: demo.stock.slice(0, 3).map(({ sku, available }) => ({ sku, available })) } });
    assert.equal(first.headers.get('cache-control'), 'public, max-age=1, stale-while-revalidate=5');
    assert.match(first.headers.get('etag') ?? '', /^"[\w-]+"$/);
    assert.equal(first.headers.get('vary'), 'accept, authorization, x-api-key');
    const before = await gatewayRequests();
    const second = await get(url, PARTNER);
    assert.equal(second.headers.get('x-cache-status'), 'HIT');
    assert.deepEqual(second.body, first.body);
    assert.equal(await gatewayRequests(), before, 'the cached GET must not reach the gateway');
  });

  it('revalidates StockLevels with the gateway once the max-age has passed', async () => {
    const url = persistedUrl(cdn.url, 'StockLevels', { skus });
    await get(url, PARTNER);
    // nginx keeps expiry times in whole seconds: max-age=1 is fresh for 1 to 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const before = await gatewayRequests();
    const stale = await get(url, PARTNER);
    assert.ok(['STALE', 'UPDATING', 'REVALIDATED', 'EXPIRED'].includes(stale.headers.get('x-cache-status') ?? ''), `got ${stale.headers.get('x-cache-status')}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok((await gatewayRequests()) > before, 'an expired entry must be refreshed from the gateway');
  });

  it('caches the catalogue query for minutes and serves the repeat from the cache', async () => {
    const url = persistedUrl(cdn.url, 'ProductList', { first: 5 });
    const first = await get(url, PARTNER);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.data.products.edges.length, 5);
    assert.match(first.headers.get('cache-control') ?? '', /^public, max-age=(\d+)/);
    assert.ok(Number(/max-age=(\d+)/.exec(first.headers.get('cache-control')!)![1]) >= 60);
    const before = await gatewayRequests();
    const second = await get(url, PARTNER);
    assert.equal(second.headers.get('x-cache-status'), 'HIT');
    assert.equal(await gatewayRequests(), before);
  });

  it('answers If-None-Match with 304 at the gateway', async () => {
    const url = persistedUrl(stack.url.replace('/graphql', ''), 'StockLevels', { skus });
    const first = await fetch(url, { headers: PARTNER });
    const etag = first.headers.get('etag')!;
    const again = await fetch(url, { headers: { ...PARTNER, 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
  });

  it('never serves a request that carries a user token from the shared cache, and marks its response private', async () => {
    const url = `${cdn.url}/graphql?${new URLSearchParams({ query: '{ products(first: 2) { edges { node { id } } } }' })}`;
    const headers = { authorization: 'Bearer not-checked-here', 'apollo-require-preflight': 'true' };
    await get(url, { 'apollo-require-preflight': 'true' });
    const withToken = await get(url, headers);
    assert.notEqual(withToken.headers.get('x-cache-status'), 'HIT');
    assert.equal(withToken.headers.get('x-cache-status'), 'BYPASS');
  });

  it('never caches a mutation', async () => {
    const body = JSON.stringify({ query: 'mutation { signIn(input: { email: "nobody@demo.shop", password: "wrong-password" }) { accessToken } }' });
    const post = () => fetch(`${cdn.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const first = await post();
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const before = await gatewayRequests();
    const second = await post();
    assert.notEqual(second.headers.get('x-cache-status'), 'HIT');
    assert.equal(await gatewayRequests(), before + 1);
    const viaGet = await fetch(`${cdn.url}/graphql?${new URLSearchParams({ query: 'mutation { signOut(refreshToken: "x") }' })}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    assert.equal(viaGet.status, 405);
  });

  it('does not cache PersistedQueryNotFound', async () => {
    const url = `${cdn.url}/graphql?${new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } }) })}`;
    const first = await get(url, { 'apollo-require-preflight': 'true' });
    assert.equal(first.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND');
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const second = await get(url, { 'apollo-require-preflight': 'true' });
    assert.notEqual(second.headers.get('x-cache-status'), 'HIT');
  });
});

describe('partner safelisting', () => {
  it('refuses a full document sent with a partner key', async () => {
    const url = `${stack.url}?${new URLSearchParams({ query: '{ products(first: 1) { edges { node { id } } } }' })}`;
    const response = await get(url, PARTNER);
    assert.equal(response.status, 403);
    assert.equal(response.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('refuses an id that is not in the manifest', async () => {
    const url = `${stack.url}?${new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }) })}`;
    const response = await get(url, PARTNER);
    assert.equal(response.status, 403);
    assert.equal(response.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('refuses a manifest operation the partner is not allowed to run', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { ...PARTNER, 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { email: 'a@b.c', password: 'password1' }, extensions: { persistedQuery: { version: 1, sha256Hash: idOf('SignIn') } } }),
    });
    const body = (await response.json()) as any;
    assert.equal(response.status, 403);
    assert.equal(body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_ALLOWED');
    assert.match(body.errors[0].message, /SignIn/);
  });

  it('refuses an unknown API key', async () => {
    const response = await get(persistedUrl(stack.url.replace('/graphql', ''), 'StockLevels', { skus: ['X'] }), { 'x-api-key': 'not-a-key' });
    assert.equal(response.status, 401);
    assert.equal(response.body.errors[0].extensions.code, 'INVALID_API_KEY');
  });

  it('lets first-party traffic send full documents', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 1) { edges { node { id } } } }' }),
    });
    assert.equal(response.status, 200);
  });
});

describe('automatic persisted queries across gateway replicas', () => {
  it('knows on a second gateway a hash registered through the first (Redis store)', async () => {
    const second = new ServiceProcess({ ...stack.gateway.spec, port: await freePort() }, stack.gateway.env);
    await second.start();
    try {
      const query = `{ stockLevels(skus: ["${demo.stock[0]!.sku}"]) { sku available } } # apq ${Date.now()}`;
      const { createHash } = await import('node:crypto');
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const headers = { 'content-type': 'application/json' };
      const unknown = await fetch(second.url, { method: 'POST', headers, body: JSON.stringify({ extensions }) });
      assert.equal(((await unknown.json()) as any).errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND');
      const register = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query, extensions }) });
      assert.equal(register.status, 200);
      const byHash = await fetch(`${second.url}?${new URLSearchParams({ extensions: JSON.stringify(extensions) })}`, { headers: { 'apollo-require-preflight': 'true' } });
      assert.deepEqual(await byHash.json(), { data: { stockLevels: [{ sku: demo.stock[0]!.sku, available: demo.stock[0]!.available }] } });
    } finally {
      await second.stop();
    }
  });
});

describe('what the CDN does not serve', () => {
  it('answers /metrics, /health and /ready with 404: they live on each process metrics port, never on the public endpoint', async () => {
    for (const path of ['/metrics', '/health', '/ready']) {
      const response = await fetch(`${cdn.url}${path}`);
      assert.equal(response.status, 404, `${path} through the CDN`);
      assert.doesNotMatch(await response.text(), /# TYPE|"checks"/);
    }
  });
});
