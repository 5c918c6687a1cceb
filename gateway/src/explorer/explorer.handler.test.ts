import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { createHttpService, createLogger, sendJson, type HttpService } from '@shop/platform';
import type { BundleFile, ExplorerBundle } from './explorer-bundle.ts';
import { createExplorerRoutes } from './explorer.handler.ts';
import { SETTINGS_ELEMENT_ID, type ExampleTab, type ExplorerSettings } from './explorer-settings.ts';

// The explorer's HTTP side with a stand-in bundle: which requests get the
// page, how the bundle's files are served, and what happens when it cannot be
// built. The real bundle in a real browser is gateway/test/explorer.test.ts.

const text = (contentType: string, body: string, compressible = true): BundleFile => ({ contentType, body: Buffer.from(body), compressible });
const SCRIPT = 'console.log("explorer");\n'.repeat(200);
const BUNDLE: ExplorerBundle = {
  id: 'b1d0000000000001',
  files: new Map([
    ['app.js', text('text/javascript; charset=utf-8', SCRIPT)],
    ['app.css', text('text/css; charset=utf-8', 'body{margin:0}')],
    ['editor.worker.js', text('text/javascript; charset=utf-8', 'self.onmessage=()=>{}')],
    ['json.worker.js', text('text/javascript; charset=utf-8', 'self.onmessage=()=>{}')],
    ['graphql.worker.js', text('text/javascript; charset=utf-8', 'self.onmessage=()=>{}')],
    ['icons.woff2', text('font/woff2', 'wOF2', false)],
  ]),
};
const TABS: ExampleTab[] = [{ query: '# </script><script>alert(1)</script>\nquery ProductList { products { edges { cursor } } }\n', variables: '{"first": 10}' }];
const logger = createLogger('explorer-test', 'silent');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request (fetch would decompress bodies and hide content-encoding). */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function serve(build: () => Promise<ExplorerBundle>, explorer = true): Promise<{ http: HttpService; port: number }> {
  const routes = createExplorerRoutes({ explorer }, { logger, tabs: TABS, build });
  const http = createHttpService({ logger, readiness: [] });
  // Stands in for Apollo: says what it was asked.
  http.route('/graphql', routes.graphql((req, res) => sendJson(res, 200, { graphql: `${req.method} ${req.url}` })));
  for (const [path, handler] of Object.entries(routes.routes)) http.route(path, handler);
  return { http, port: await http.listen(0, '127.0.0.1') };
}

describe('explorer routes', () => {
  let http: HttpService;
  let port: number;
  before(async () => {
    ({ http, port } = await serve(async () => BUNDLE));
  });
  after(() => http.close());

  it('serves the page to a browser GET and passes every other request to GraphQL', async () => {
    const page = await send(port, 'GET', '/graphql', HTML);
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers.vary, 'accept');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*connect-src 'self'/);

    for (const [method, path, headers] of [
      ['GET', '/graphql', { accept: 'application/json' }],
      ['GET', '/graphql?query=%7B__typename%7D', HTML],
      ['GET', '/graphql?extensions=%7B%7D', HTML],
      ['POST', '/graphql', HTML],
    ] as const) {
      const reply = await send(port, method, path, headers);
      assert.deepEqual(JSON.parse(reply.body.toString()), { graphql: `${method} ${path}` }, `${method} ${path}`);
    }
  });

  it('points the page at the bundle by its id and embeds settings no operation text can break out of', async () => {
    const html = (await send(port, 'GET', '/graphql', HTML)).body.toString();
    assert.match(html, new RegExp(`<script src="/graphql/explorer/${BUNDLE.id}/app\\.js" defer></script>`));
    assert.match(html, new RegExp(`<link rel="stylesheet" href="/graphql/explorer/${BUNDLE.id}/app\\.css">`));
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the page’s own two script elements close');
    const json = new RegExp(`<script type="application/json" id="${SETTINGS_ELEMENT_ID}">(.*?)</script>`).exec(html)?.[1];
    const settings = JSON.parse(json ?? 'null') as ExplorerSettings;
    assert.deepEqual(settings.tabs, TABS);
    assert.equal(settings.endpoint, '/graphql');
    assert.equal(settings.workers.graphql, `/graphql/explorer/${BUNDLE.id}/graphql.worker.js`);
  });

  it('serves the bundle files under its id, compressed when the browser accepts it and cacheable forever', async () => {
    const path = `/graphql/explorer/${BUNDLE.id}/app.js`;
    const br = await send(port, 'GET', path, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(br.headers.vary, 'accept-encoding');
    assert.equal(brotliDecompressSync(br.body).toString(), SCRIPT);
    assert.ok(br.body.byteLength < SCRIPT.length / 10);

    const gzip = await send(port, 'GET', path, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzip.body).toString(), SCRIPT);

    const plain = await send(port, 'GET', path);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), SCRIPT);

    const font = await send(port, 'GET', `/graphql/explorer/${BUNDLE.id}/icons.woff2`, { 'accept-encoding': 'br' });
    assert.equal(font.headers['content-encoding'], undefined, 'already-compressed formats go as they are');
    assert.equal(font.headers['content-type'], 'font/woff2');

    const head = await send(port, 'HEAD', path);
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(SCRIPT)));
    assert.equal(head.body.byteLength, 0);
  });

  it('answers 404 for another build’s id or an unknown file, and 405 for other methods', async () => {
    assert.equal((await send(port, 'GET', '/graphql/explorer/0000000000000000/app.js')).status, 404);
    assert.equal((await send(port, 'GET', `/graphql/explorer/${BUNDLE.id}/missing.js`)).status, 404);
    assert.equal((await send(port, 'GET', `/graphql/explorer/${BUNDLE.id}/../../graphql`)).status, 404);
    assert.equal((await send(port, 'POST', `/graphql/explorer/${BUNDLE.id}/app.js`)).status, 405);
  });

  it('builds the bundle once for the whole process, however many requests arrive while it builds', async () => {
    let count = 0;
    const fresh = await serve(async () => {
      count++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return BUNDLE;
    });
    try {
      const replies = await Promise.all([
        ...Array.from({ length: 5 }, () => send(fresh.port, 'GET', '/graphql', HTML)),
        send(fresh.port, 'GET', `/graphql/explorer/${BUNDLE.id}/app.css`),
      ]);
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
      await send(fresh.port, 'GET', '/graphql', HTML);
      assert.equal(count, 1);
    } finally {
      await fresh.http.close();
    }
  });
});

describe('explorer routes when the bundle cannot be built', () => {
  it('answers 500 without a page and builds again on the next request', async () => {
    let attempts = 0;
    const { http, port } = await serve(async () => {
      attempts++;
      if (attempts === 1) throw new Error('esbuild: Could not resolve "graphiql"');
      return BUNDLE;
    });
    try {
      const failed = await send(port, 'GET', '/graphql', HTML);
      assert.equal(failed.status, 500);
      assert.equal(failed.headers['cache-control'], 'no-store');
      assert.doesNotMatch(failed.body.toString(), /esbuild/, 'build details stay in the log');
      assert.equal((await send(port, 'GET', '/graphql', HTML)).status, 200);
      assert.equal(attempts, 2);
    } finally {
      await http.close();
    }
  });
});

describe('explorer routes when the explorer is off', () => {
  it('adds no route and leaves browsers to GraphQL, without building anything', async () => {
    const { http, port } = await serve(async () => assert.fail('nothing may be built when the explorer is off'), false);
    try {
      const reply = await send(port, 'GET', '/graphql', HTML);
      assert.deepEqual(JSON.parse(reply.body.toString()), { graphql: 'GET /graphql' });
      assert.equal((await send(port, 'GET', `/graphql/explorer/${BUNDLE.id}/app.js`)).status, 404);
    } finally {
      await http.close();
    }
  });
});
