import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page, type WebSocket } from 'playwright-core';
import { createLogger, DEMO_PASSWORD, generateIdentityKeys, loadDemoData } from '@shop/platform';
import { postGraphQL, startTestStack, type TestStack } from '@shop/platform/testing';
import { readConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';

// The schema explorer as a frontend developer uses it: a real headless
// Chromium on the gateway's /graphql, in front of the five subgraphs and real
// PostgreSQL and Redis. Then the same gateway in production mode, where the
// explorer and introspection must be off.

// As in gateway/src/main.ts: otherwise @apollo/gateway reports to Apollo's servers.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
// Monaco, the workers and the first introspection take a few seconds in a cold browser.
const UI_TIMEOUT = 30_000;

const operation = (name: string) => readFileSync(new URL(`../../schema/operations/${name}.graphql`, import.meta.url), 'utf8');
const demo = loadDemoData();

async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(`Chromium did not start from ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH): ${(error as Error).message}`);
  }
}

/** The text a Monaco editor shows, with its non-breaking spaces made plain. */
async function editorText(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().innerText()).replace(/\u00a0/g, ' ');
}

/** Waits until the result pane shows every fragment; rejects with what it shows after UI_TIMEOUT (or `timeoutMs`). */
async function waitForResult(page: Page, fragments: string[], timeoutMs = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page, '.result-window');
    if (fragments.every((fragment) => text.includes(fragment))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the result pane does not show ${JSON.stringify(fragments)}; it shows:\n${text}`);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${name}$`) }).click();
  // GraphiQL reads the operation name from the editor 100 ms (debounced) after
  // its content changes; running sooner would send the previous tab's name.
  await page.waitForTimeout(400);
}

describe('schema explorer in a browser, on the full stack', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let gatewayOrigin: string;
  const requests: string[] = [];
  const failures: string[] = [];
  const policyViolations: string[] = [];
  const sockets: WebSocket[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Sign-in attempts are counted per address in the shared Redis, and every
    // test signs in from 127.0.0.1: without this, earlier test files (or runs)
    // would leave this one rate-limited.
    stack = await startTestStack({ SIGN_IN_MAX_ATTEMPTS_PER_IP: '1000000' });
    gatewayOrigin = new URL(stack.url).origin;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    page.on('websocket', (socket) => sockets.push(socket));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads the page and every asset from the gateway alone, with no failed request', async () => {
    const response = await page.goto(stack.url);
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-type'] ?? '', /^text\/html/);
    // The schema has arrived by introspection once the docs can list the root types.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer-root-type').first().waitFor({ timeout: UI_TIMEOUT });

    await until(() => ['app.js', 'app.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js'].every((file) => requests.some((url) => url.endsWith(`/${file}`))), 'the bundle and all three Monaco workers are loaded');

    const fetched = requests.filter((url) => /^(https?|wss?):/.test(url));
    assert.deepEqual(
      fetched.filter((url) => new URL(url).origin !== gatewayOrigin),
      [],
      'every request goes to the gateway',
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(policyViolations, []);
  });

  it('lists Query.products in the documentation explorer', async () => {
    // The first Query link is the root type's, above the list of all types.
    await page.locator('.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await page.locator('.graphiql-doc-explorer-title', { hasText: /^Query$/ }).waitFor({ timeout: UI_TIMEOUT });
    await page.locator('.graphiql-doc-explorer-field-name', { hasText: /^products$/ }).waitFor({ timeout: UI_TIMEOUT });
  });

  it('opens with one tab per contract operation, ProductList first with {"first": 10}', async () => {
    const titles = await page.locator('.graphiql-tab-button').allInnerTexts();
    assert.deepEqual(titles.slice(0, 3), ['ProductList', 'ProductPage', 'StockLevels']);
    assert.ok(titles.includes('StockChanged') && titles.includes('PlaceOrder'), `tabs: ${titles.join(', ')}`);
    assert.deepEqual(JSON.parse(await editorText(page, '.graphiql-editor-tool .view-lines')), { first: 10 });
  });

  it('runs ProductList from its tab over HTTP POST and shows the products', async () => {
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().postDataJSON()?.operationName === 'ProductList');
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    assert.equal(response.status(), 200, 'the POST passes CSRF prevention');
    assert.match(response.request().headers()['content-type'] ?? '', /^application\/json/);
    const body = (await response.json()) as { data?: { products: { edges: { node: { name: string } }[] } }; errors?: unknown };
    assert.equal(body.errors, undefined);
    assert.equal(body.data?.products.edges.length, 10);

    const newest = [...demo.products].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    await waitForResult(page, ['"products"', `"name": "${newest.name}"`]);
    await page.screenshot({ path: new URL('explorer.png', ARTIFACTS).pathname });
    assert.deepEqual(failures, []);
  });

  it('sends the headers editor as request headers: MyOrders answers for the signed-in customer', async () => {
    const customer = demo.users.find((u) => u.role === 'CUSTOMER')!;
    const signIn = await postGraphQL(stack.url, operation('SignIn'), { email: customer.email, password: DEMO_PASSWORD });
    const accessToken = signIn.body.data?.signIn.accessToken as string;
    assert.ok(accessToken, `sign-in failed: ${JSON.stringify(signIn.body.errors)}`);

    await openTab(page, 'MyOrders');
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
    // insertText, not typing: Monaco would otherwise auto-close the braces and quotes.
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${accessToken}` }));
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().postDataJSON()?.operationName === 'MyOrders');
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    assert.equal(response.request().headers().authorization, `Bearer ${accessToken}`);
    await waitForResult(page, [`"name": "${customer.name}"`]);
  });

  it('streams a StockChanged event over graphql-ws after a restock', async (t) => {
    const introspection = await postGraphQL(stack.url, '{ __type(name: "Subscription") { fields { name } } }');
    const subscriptionFields = (introspection.body.data?.__type?.fields ?? []) as { name: string }[];
    if (!subscriptionFields.some((f) => f.name === 'stockChanged')) {
      t.skip('Subscription.stockChanged is not in the supergraph yet (inventory has not published it)');
      return;
    }
    const admin = demo.users.find((u) => u.role === 'ADMIN')!;
    const signIn = await postGraphQL(stack.url, operation('SignIn'), { email: admin.email, password: DEMO_PASSWORD });
    const adminToken = signIn.body.data?.signIn.accessToken as string;
    assert.ok(adminToken, `admin sign-in failed: ${JSON.stringify(signIn.body.errors)}`);

    // A sku of the last demo product, which no other test reads: stock levels
    // are cached in the shared Redis for a while, so a restock is visible to
    // any test stack that starts soon after this one.
    const product = demo.products.at(-1)!;
    const sku = product.variants[0]!.sku;

    await openTab(page, 'StockChanged');
    await page.getByRole('button', { name: 'Variables', exact: true }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').first().click();
    // Cleared first: with text selected, Monaco would wrap the selection in the brackets and quotes it sees.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(JSON.stringify({ skus: [sku] }));
    let socket: WebSocket | undefined;
    const watch = (candidate: WebSocket) => candidate.on('framesent', (frame) => String(frame.payload).includes('"subscribe"') && (socket = candidate));
    sockets.forEach(watch);
    page.on('websocket', watch);
    await page.locator('.graphiql-execute-button').click();
    await until(() => socket !== undefined, 'the explorer sends a graphql-ws subscribe message');
    assert.ok(socket);
    assert.equal(new URL(socket.url()).origin.replace(/^ws/, 'http'), gatewayOrigin, 'the subscription goes to the gateway');
    assert.equal(new URL(socket.url()).pathname, '/graphql');

    // The upstream subscription opens asynchronously: restock until an event shows the level it produced.
    let shown = false;
    for (let attempt = 0; attempt < 10 && !shown; attempt++) {
      const restock = await postGraphQL(stack.url, operation('Restock'), { sku, quantity: 1 }, { authorization: `Bearer ${adminToken}` });
      assert.equal(restock.body.errors, undefined, JSON.stringify(restock.body.errors));
      const available = restock.body.data?.restock.available as number;
      shown = await waitForResult(page, [`"sku": "${sku}"`, `"available": ${available}`], 3000).then(
        () => true,
        () => false,
      );
    }
    assert.ok(shown, 'an event for the restocked sku appeared in the result pane');
    // Enriched by the gateway with a field products owns.
    await waitForResult(page, [`"name": "${product.name}"`]);
    await page.screenshot({ path: new URL('explorer-subscription.png', ARTIFACTS).pathname });
    assert.deepEqual(failures, []);
  });
});

describe('schema explorer in production', () => {
  async function startGateway(env: Record<string, string>) {
    const keys = await generateIdentityKeys();
    const config = readConfig({ NODE_ENV: 'production', INTERNAL_IDENTITY_PRIVATE_KEY: keys.privateKey, LOG_LEVEL: 'silent', ...env });
    const server = await createServer({ config, logger: createLogger('gateway', 'silent') });
    const port = await server.listen(0, '127.0.0.1');
    return { server, url: `http://127.0.0.1:${port}/graphql` };
  }
  const browserGet = (url: string) => fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
  const introspect = (url: string) => postGraphQL(url, '{ __schema { queryType { name } } }');

  it('refuses the page, its assets and introspection when NODE_ENV=production', async () => {
    const { server, url } = await startGateway({});
    try {
      const page = await browserGet(url);
      assert.doesNotMatch(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(page.status, 400, 'a GET without a query gets Apollo’s normal answer');
      assert.equal((await fetch(`${url}/explorer/any/app.js`)).status, 404);

      const result = await introspect(url);
      assert.equal(result.body.data, undefined);
      assert.equal(result.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.match(result.body.errors?.[0]?.message ?? '', /introspection/i);
    } finally {
      await server.close();
    }
  });

  it('serves the page and introspection in production when ENABLE_INTROSPECTION and ENABLE_EXPLORER say so', async () => {
    const { server, url } = await startGateway({ ENABLE_INTROSPECTION: 'true', ENABLE_EXPLORER: 'true' });
    try {
      const page = await browserGet(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const script = /src="([^"]+\/app\.js)"/.exec(await page.text())?.[1];
      assert.ok(script, 'the page names its script');
      assert.equal((await fetch(new URL(script, url))).status, 200);
      assert.equal((await introspect(url)).body.data?.__schema.queryType.name, 'Query');
    } finally {
      await server.close();
    }
  });

  it('defaults the explorer to the introspection setting and rejects an explorer without introspection', async () => {
    const keys = await generateIdentityKeys();
    const production = { NODE_ENV: 'production', INTERNAL_IDENTITY_PRIVATE_KEY: keys.privateKey };
    assert.equal(readConfig(production).explorer, false);
    assert.equal(readConfig({ ...production, ENABLE_INTROSPECTION: 'true' }).explorer, true, 'the explorer follows introspection by default');
    assert.equal(readConfig({ ...production, ENABLE_INTROSPECTION: 'true', ENABLE_EXPLORER: 'false' }).explorer, false);
    assert.throws(() => readConfig({ ...production, ENABLE_EXPLORER: 'true' }), /ENABLE_EXPLORER needs ENABLE_INTROSPECTION=true/);
    assert.equal(readConfig({}).explorer, true, 'on in development');
  });
});
