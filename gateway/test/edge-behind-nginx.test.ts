import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'undici';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { freePort, ServiceProcess, startTestStack, type TestStack } from '@shop/platform/testing';
import { startCdn, type Cdn } from '../../deploy/nginx/cdn.ts';
import { CARDS, operation } from './shop-client.ts';
import { assertNoLeak, hostileCases, type Answer as HostileAnswer, type HostileRequest } from './hostile-cases.ts';
import { createSubscriber, describe as describeErrors, type Subscriber } from './subscriber.ts';

// The edge as deployed: nginx (the CDN config of deploy/nginx) in front of
// the real gateway and subgraphs. Every client binds an address of its own on
// loopback (127.77.x.y), so nginx sees 500 distinct peers and reports each in
// X-Forwarded-For, exactly as it would for people on the internet. The
// gateway trusts nginx's address alone (127.0.0.1), so a client that connects
// to the gateway itself is a peer it does not trust.
//
// The limits are set low enough that a stack which took every client for
// one (nginx's address, or the gateway's in accounts) would refuse most of
// the crowd at once: 10 anonymous requests a minute per address, 3 sign-in
// or sign-up attempts per address in accounts, 2 WebSocket connections per
// user or address.
const demo = loadDemoData();
const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-queries.json', import.meta.url), 'utf8')) as { operations: { id: string; name: string }[] };
const idOf = (name: string) => manifest.operations.find((op) => op.name === name)!.id;
const CROWD = 500;
const LIMITS = {
  TRUSTED_PROXIES: '127.0.0.1/32',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10',
  RATE_LIMIT_PER_MINUTE: '60',
  RATE_LIMIT_FAILED_CREDENTIALS_PER_MINUTE: '5',
  SIGN_IN_MAX_ATTEMPTS_PER_IP: '3',
  SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: '2',
  SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: '2',
};

let stack: TestStack;
let cdn: Cdn;
let rssBefore: number;
const subscribers: Subscriber[] = [];

/** A client at its own loopback address: 127.77.<i / 250>.<i % 250 + 1>. */
const addressOf = (i: number) => `127.77.${Math.floor(i / 250)}.${(i % 250) + 1}`;
let nextAddress = CROWD;
const freshAddress = () => addressOf(nextAddress++);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** HTTP from one address, over one kept-alive connection (undici Pool). */
class AddressedClient {
  readonly address: string;
  readonly #pool: Pool;
  constructor(origin: string, address: string) {
    this.address = address;
    this.#pool = new Pool(origin, { connections: 1, localAddress: address });
  }
  async post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await this.#pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
  }
  /** Any request on /graphql, its answer as text (the hostile corpus). */
  async send(request: HostileRequest): Promise<HostileAnswer> {
    const response = await this.#pool.request({
      path: `/graphql${request.search ?? ''}`,
      method: (request.method ?? 'POST') as 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
    });
    return { status: response.statusCode, text: await response.body.text() };
  }
  query(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    return this.post({ query, variables }, headers);
  }
  as(token: string) {
    return { authorization: `Bearer ${token}` };
  }
  close() {
    return this.#pool.close();
  }
}

const viaNginx = (address: string) => new AddressedClient(cdn.url, address);
const direct = (address: string) => new AddressedClient(new URL(stack.url).origin, address);

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachConcurrently<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** A service's resident memory, from /proc (it runs as a child of this test). */
function rssOf(service: ServiceProcess): number {
  const status = readFileSync(`/proc/${service.child!.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}
const gatewayRss = () => rssOf(stack.gateway);

/** A gateway metric summed over its series. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${stack.gateway.metricsUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function signUp(client: AddressedClient, email = `${randomUUID()}@crowd.test`) {
  const answer = await client.query(operation('SignUp'), { email, password: 'correct-horse-battery', name: 'Crowd' });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.errors, undefined, `${client.address}: ${JSON.stringify(answer.body.errors)}`);
  return { email, token: answer.body.data.signUp.accessToken as string, userId: answer.body.data.signUp.user.id as string };
}

async function signIn(client: AddressedClient, email: string, password = 'correct-horse-battery'): Promise<string> {
  const answer = await client.query(operation('SignIn'), { email, password });
  assert.equal(answer.body.errors, undefined, `${client.address}: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data.signIn.accessToken;
}

function stockSubscriber(url: string, options: Parameters<typeof createSubscriber>[1]) {
  const subscriber = createSubscriber(url, options);
  subscribers.push(subscriber);
  return subscriber;
}

const stockChanged = (data: any) => data?.stockChanged as { sku: string; available: number } | undefined;

before(async () => {
  stack = await startTestStack(LIMITS);
  cdn = await startCdn({ port: await freePort(), gateway: new URL(stack.url).host });
  // Memory is measured from a warm gateway: plans cached, connections to subgraphs open.
  const warm = viaNginx(freshAddress());
  for (let i = 0; i < 3; i++) await warm.query('{ products(first: 5) { edges { node { id name variants { sku } } } } }');
  await warm.close();
  rssBefore = gatewayRss();
});
after(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await cdn?.stop();
  await stack?.stop();
});

describe('behind nginx, a crowd of clients at distinct addresses', () => {
  const sku = demo.stock[0]!.sku;

  it(`lets ${CROWD} clients each sign up, sign in and subscribe to live stock over graphql-ws through the proxy`, async () => {
    const crowd = Array.from({ length: CROWD }, (_, i) => viaNginx(addressOf(i)));
    const tokens: string[] = [];
    await eachConcurrently(crowd, 25, async (client, i) => {
      const { email } = await signUp(client);
      tokens[i] = await signIn(client, email);
      await client.close();
    });
    assert.equal(tokens.filter(Boolean).length, CROWD);

    const subscriptions = crowd.map((client, i) =>
      stockSubscriber(`${cdn.url}/graphql`, { localAddress: client.address, connectionParams: { authorization: `Bearer ${tokens[i]}` } }).subscribe(
        operation('StockChanged'),
        { skus: [sku] },
        stockChanged,
      ),
    );
    const first = await Promise.all(subscriptions.map((s) => s.next(undefined, 60_000)));
    assert.ok(first.every((event) => event.sku === sku));
    assert.deepEqual(
      subscriptions.flatMap((s) => s.errors),
      [],
    );
  });

  it('limits one client alone: its 11th anonymous request in a minute is refused with 429 while its neighbours pass', async () => {
    const client = viaNginx(freshAddress());
    const neighbour = viaNginx(freshAddress());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.query('{ __typename }')).status);
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    const refused = await client.query('{ __typename }');
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await neighbour.query('{ __typename }')).status, 200);
    await Promise.all([client.close(), neighbour.close()]);
  });

  it("limits one client's sign-ups in accounts by the address nginx reported: its 4th attempt is RATE_LIMITED, its neighbour's first is not", async () => {
    const client = viaNginx(freshAddress());
    const neighbour = viaNginx(freshAddress());
    for (let i = 0; i < 3; i++) await signUp(client);
    const fourth = await client.query(operation('SignUp'), { email: `${randomUUID()}@crowd.test`, password: 'correct-horse-battery', name: 'Script' });
    assert.equal(fourth.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED', JSON.stringify(fourth.body));
    await signUp(neighbour);
    await Promise.all([client.close(), neighbour.close()]);
  });

  it('keeps counting a client behind the proxy by its own address whatever it writes into X-Forwarded-For', async () => {
    const client = viaNginx(freshAddress());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.query('{ __typename }', {}, { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    await client.close();
  });

  it('does not let a client that talks to the gateway directly choose its address with X-Forwarded-For or Forwarded', async () => {
    const client = direct(freshAddress());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await client.query('{ __typename }', {}, { 'x-forwarded-for': `203.0.113.${i + 1}`, forwarded: `for=198.51.100.${i + 1}` })).status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    await client.close();
  });

  it('counts WebSocket connections by the real address too: a direct client forging X-Forwarded-For gets no third connection', async () => {
    const address = freshAddress();
    const open = (forged: string) =>
      stockSubscriber(stack.url, { localAddress: address, headers: { 'x-forwarded-for': forged } }).subscribe(operation('StockChanged'), { skus: [sku] }, stockChanged);
    const [first, second] = [open('203.0.113.1'), open('203.0.113.2')];
    await Promise.all([first.next(), second.next()]);
    const third = open('203.0.113.3');
    assert.equal(await third.settled(), 'error');
    assert.equal((third.errors[0] as { code?: number }).code, 4403);
  });
});

describe('partner API keys through the proxy', () => {
  const PARTNER = { 'x-api-key': 'demo-partner-key' };
  const stockLevels = { extensions: { persistedQuery: { version: 1, sha256Hash: idOf('StockLevels') } }, variables: { skus: [demo.stock[0]!.sku] } };

  it('runs only published operations by id: a document sent with the key is refused with 403 PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const partner = viaNginx(freshAddress());
    const answer = await partner.query('{ products(first: 100) { edges { node { id } } } }', {}, PARTNER);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_ALLOWED');
    const unpublished = await partner.post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, PARTNER);
    assert.equal(unpublished.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_ALLOWED');
    await partner.close();
  });

  it("applies the key's policy on the WebSocket: a partner may not subscribe with a document of its own", async () => {
    const subscription = stockSubscriber(`${cdn.url}/graphql`, { localAddress: freshAddress(), connectionParams: PARTNER }).subscribe(
      operation('StockChanged'),
      { skus: [demo.stock[0]!.sku] },
      stockChanged,
    );
    assert.equal(await subscription.settled(), 'error');
    assert.equal(describeErrors(subscription.errors), '[PERSISTED_QUERY_NOT_ALLOWED: Partner keys may only run published operations by id (extensions.persistedQuery.sha256Hash), without a document.]');
  });
  it('counts a partner key against its own limit whichever address it comes from, without touching those addresses', async () => {
    const addresses = [viaNginx(freshAddress()), viaNginx(freshAddress())];
    const statuses: number[] = [];
    for (let i = 0; i < 70 && !statuses.includes(429); i++) statuses.push((await addresses[i % 2]!.post(stockLevels, PARTNER)).status);
    assert.equal(statuses.at(-1), 429, 'the key is limited');
    assert.ok(statuses.slice(0, -1).every((s) => s === 200) && statuses.length > 50, `statuses ${statuses}`);
    // Anonymous traffic from the same addresses has budgets of its own.
    for (const client of addresses) assert.equal((await client.query('{ __typename }')).status, 200);
    await Promise.all(addresses.map((c) => c.close()));
  });

  it('refuses unknown keys with 401 INVALID_API_KEY, then stops the address with 429 before looking keys up', async () => {
    const client = viaNginx(freshAddress());
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await client.post(stockLevels, { 'x-api-key': `guess-${randomUUID()}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    await client.close();
  });

});

describe("another customer's data through the gateway (IDOR)", () => {
  let owner: { token: string; userId: string; orderId: string; lineId: string; addressId: string };
  let intruder: AddressedClient;
  let intruderToken: string;
  let ownerClient: AddressedClient;

  before(async () => {
    ownerClient = viaNginx(freshAddress());
    intruder = viaNginx(freshAddress());
    const { token, userId } = await signUp(ownerClient);
    intruderToken = (await signUp(intruder)).token;
    const as = ownerClient.as(token);
    const sku = demo.stock.find((s) => s.available > 5)!.sku;
    const card = await ownerClient.query(operation('CreatePaymentToken'), { number: CARDS.success, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' }, as);
    const placed = await ownerClient.query(operation('PlaceOrder'), { items: [{ sku, quantity: 1 }], paymentToken: card.body.data.createPaymentToken.token, idempotencyKey: randomUUID() }, as);
    assert.equal(placed.body.data?.placeOrder.__typename, 'OrderPlaced', JSON.stringify(placed.body));
    const cart = await ownerClient.query(operation('AddToCart'), { sku, quantity: 1 }, as);
    const address = await ownerClient.query(
      'mutation($input: AddressInput!) { addAddress(input: $input) { id } }',
      { input: { fullName: 'Owner', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } },
      as,
    );
    owner = { token, userId, orderId: placed.body.data.placeOrder.order.id, lineId: cart.body.data.addToCart.lines[0].id, addressId: address.body.data.addAddress.id };
  });
  after(() => Promise.all([ownerClient?.close(), intruder?.close()]));

  const codes = (answer: Answer) => (answer.body.errors ?? []).map((e: any) => e.extensions?.code);

  it("reads no other customer's order or its payment", async () => {
    const answer = await intruder.query(`{ order(id: "${owner.orderId}") { id total { amount } payment { id status } } }`, {}, intruder.as(intruderToken));
    assert.deepEqual(answer.body, { data: { order: null } });
  });

  it("cannot cancel another customer's order, which stays as it was", async () => {
    const answer = await intruder.query(`mutation { cancelOrder(id: "${owner.orderId}") { id status } }`, {}, intruder.as(intruderToken));
    assert.equal(answer.body.data, null);
    assert.ok(['NOT_FOUND', 'FORBIDDEN'].includes(codes(answer)[0]), JSON.stringify(answer.body));
    const mine = await ownerClient.query(`{ order(id: "${owner.orderId}") { status } }`, {}, ownerClient.as(owner.token));
    assert.notEqual(mine.body.data.order.status, 'CANCELLED');
  });

  it("cannot change another customer's cart line, which stays in their cart", async () => {
    const answer = await intruder.query(operation('SetCartLineQuantity'), { lineId: owner.lineId, quantity: 0 }, intruder.as(intruderToken));
    assert.deepEqual(codes(answer), ['NOT_FOUND']);
    const cart = await ownerClient.query('{ me { cart { lines { id } } } }', {}, ownerClient.as(owner.token));
    assert.deepEqual(cart.body.data.me.cart.lines, [{ id: owner.lineId }]);
  });

  it("cannot make another customer's address their default, nor read another user", async () => {
    const address = await intruder.query(`mutation { setDefaultAddress(id: "${owner.addressId}") { id } }`, {}, intruder.as(intruderToken));
    assert.deepEqual(codes(address), ['NOT_FOUND']);
    const user = await intruder.query(`{ user(id: "${owner.userId}") { email addresses { line1 } } }`, {}, intruder.as(intruderToken));
    assert.deepEqual(codes(user), ['FORBIDDEN']);
    assert.equal(JSON.stringify(user.body).includes('Main St'), false);
  });

  it('reaches no entity or internal field around the API: _entities and the payments saga fields are not in the public schema', async () => {
    const entities = await intruder.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }', { r: [{ __typename: 'User', id: owner.userId }] }, intruder.as(intruderToken));
    assert.equal(entities.status, 400);
    assert.deepEqual(new Set(codes(entities)), new Set(['GRAPHQL_VALIDATION_FAILED']));
    const capture = await intruder.query(`mutation { capturePayment(orderId: "${owner.orderId}") { id } }`, {}, intruder.as(intruderToken));
    assert.equal(capture.status, 400);
    assert.deepEqual(codes(capture), ['GRAPHQL_VALIDATION_FAILED']);
    const refund = await intruder.query(`mutation { refundOrder(orderId: "${owner.orderId}") { __typename } }`, {}, intruder.as(intruderToken));
    assert.deepEqual(codes(refund), ['FORBIDDEN']);
  });
});

describe('WebSocket connections counted across gateway replicas', () => {
  it("stops counting a crashed replica's connections once their leases run out", async () => {
    const replica = new ServiceProcess({ ...stack.gateway.spec, port: await freePort() }, { ...stack.gateway.env, SUBSCRIPTION_CONNECTION_LEASE_MS: '1000' });
    await replica.start();
    const client = viaNginx(freshAddress());
    const { token } = await signUp(client);
    await client.close();
    const sku = demo.stock[2]!.sku;
    const open = (url: string) =>
      stockSubscriber(url, { localAddress: client.address, connectionParams: { authorization: `Bearer ${token}` } }).subscribe(operation('StockChanged'), { skus: [sku] }, stockChanged);
    try {
      // The user's two connections (the limit) are on the replica; the main gateway refuses a third.
      await Promise.all([open(replica.url).next(), open(replica.url).next()]);
      const third = open(stack.url);
      assert.equal(await third.settled(), 'error');
      assert.equal(describeErrors(third.errors), '[close 4403 Forbidden]');
    } finally {
      await replica.stop('SIGKILL');
    }
    // Its slots stay in Redis until their leases (1 s here) end; then the user is let in again.
    let outcome = 'refused';
    for (let attempt = 0; attempt < 100 && outcome === 'refused'; attempt++) {
      const subscription = open(stack.url);
      outcome = await Promise.race([subscription.next().then(() => 'served'), subscription.settled().then(() => 'refused')]);
      if (outcome === 'refused') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(outcome, 'served');
  });
});

describe('the hostile-input corpus through nginx, against a production gateway and the real services', () => {
  // A second gateway process in production mode (no stack traces, no
  // introspection, log-unknown), behind an nginx of its own, over the same
  // subgraphs: the test stack's accounts hashes passwords at a cost that
  // production refuses, which the crowd above needs.
  let gateway: ServiceProcess;
  let proxy: Cdn;
  before(async () => {
    gateway = new ServiceProcess({ ...stack.gateway.spec, port: await freePort() }, { ...stack.gateway.env, NODE_ENV: 'production' });
    await gateway.start();
    proxy = await startCdn({ port: await freePort(), gateway: new URL(gateway.url).host });
  });
  after(async () => {
    await proxy?.stop();
    await gateway?.stop();
  });

  it('answers every case, three times over, with no 5xx and nothing internal, and the gateway grows by less than 200 MB', async () => {
    // Each case from an address of its own, so that the per-address limits stay out of the cases that are not about them.
    const cases = hostileCases(async (request) => {
      const client = new AddressedClient(proxy.url, freshAddress());
      try {
        return await client.send(request);
      } finally {
        await client.close();
      }
    });
    const failures: string[] = [];
    const runAll = (rounds: number) =>
      eachConcurrently(Array.from({ length: rounds }, () => cases).flat(), 8, async ([name, run, expected]) => {
        try {
          assertNoLeak(await run(), expected);
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message.slice(0, 400)}`);
        }
      });
    // The first round warms the gateway up (plans, connections); memory is measured from there.
    await runAll(1);
    const before = rssOf(gateway);
    await runAll(3);
    const growth = rssOf(gateway) - before;
    console.log(`production gateway RSS ${Math.round(before / 2 ** 20)} MB after one round of the corpus, ${Math.round((before + growth) / 2 ** 20)} MB after three more`);
    assert.deepEqual(failures, []);
    assert.ok(growth < 200 * 2 ** 20, `the gateway grew by ${Math.round(growth / 2 ** 20)} MB`);
    assert.equal((await fetch(`${gateway.metricsUrl}/ready`)).status, 200);
  });
});

describe('WebSocket abuse and what is left afterwards', () => {
  it('holds 20 subscriptions on one connection and refuses the rest of 1,000 with TOO_MANY_SUBSCRIPTIONS, the 20 still served', async () => {
    const client = viaNginx(freshAddress());
    const { token } = await signUp(client);
    await client.close();
    const sku = demo.stock[1]!.sku;
    const clientsBefore = await metric('gateway_subscription_clients');
    const subscriber = stockSubscriber(`${cdn.url}/graphql`, { localAddress: client.address, connectionParams: { authorization: `Bearer ${token}` } });
    const subscriptions = Array.from({ length: 1000 }, () => subscriber.subscribe(operation('StockChanged'), { skus: [sku] }, stockChanged));
    const outcomes = await Promise.all(
      subscriptions.map((s) => Promise.race([s.next(undefined, 30_000).then(() => 'served'), s.settled(30_000).then(() => (s.errors[0] as any)?.extensions?.code)])),
    );
    const counts = outcomes.reduce<Record<string, number>>((all, o) => ({ ...all, [o]: (all[o] ?? 0) + 1 }), {});
    assert.deepEqual(counts, { served: 20, TOO_MANY_SUBSCRIPTIONS: 980 });
    assert.equal((await metric('gateway_subscription_clients')) - clientsBefore, 20);
    await subscriber.close();
    for (let i = 0; i < 50 && (await metric('gateway_subscription_clients')) !== clientsBefore; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await metric('gateway_subscription_clients'), clientsBefore, 'the 20 are released when the client leaves');
  });

  it('leaves every service ready and the gateway within 200 MB of its memory before these tests', async () => {
    for (const service of [stack.gateway, ...Object.values(stack.subgraphs)]) {
      assert.equal((await fetch(`${service.metricsUrl}/ready`)).status, 200, `${service.spec.name} is ready`);
    }
    const growth = gatewayRss() - rssBefore;
    console.log(`gateway RSS ${Math.round(rssBefore / 2 ** 20)} MB before, ${Math.round((rssBefore + growth) / 2 ** 20)} MB after`);
    assert.ok(growth < 200 * 2 ** 20, `the gateway grew by ${Math.round(growth / 2 ** 20)} MB`);
  });
});
