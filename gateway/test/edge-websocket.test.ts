import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import WebSocket from 'ws';
import { createLogger, generateIdentityKeys } from '@shop/platform';
import { TEST_REDIS_URL } from '@shop/platform/testing';
import { readConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';

// The HTTP edge controls on the WebSocket path, against in-process gateways
// over the committed supergraph. Refusals happen before anything is planned
// or opened upstream, so no subgraph runs (inventory's URL is a dead port).
const ISSUER = 'https://accounts.test';
type Gateway = Awaited<ReturnType<typeof createServer>>;
const gateways: Gateway[] = [];
let jwks: Server;
let signingKey: { privateKey: CryptoKey; publicKey: CryptoKey };
let open: string;
let strict: string;
let strictReplica: string;
let safelist: string;
let production: string;

async function startGateway(env: Record<string, string>): Promise<string> {
  const config = readConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: TEST_REDIS_URL,
    JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    JWT_ISSUER: ISSUER,
    INVENTORY_URL: 'http://127.0.0.1:1/graphql',
    ...env,
  });
  const server = await createServer({ config, logger: createLogger('gateway-test', 'silent') });
  gateways.push(server);
  const port = await server.listen(0, '127.0.0.1');
  // The supergraph loads asynchronously; subscriptions need it.
  for (let i = 0; i < 100 && (await fetch(`http://127.0.0.1:${port}/ready`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
  return `ws://127.0.0.1:${port}/graphql`;
}

before(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  signingKey = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(signingKey.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  jwks = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  open = await startGateway({});
  strict = await startGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4', SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: '2' });
  // A second replica of the same gateway: the limits live in the Redis they share.
  strictReplica = await startGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4', SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: '2' });
  safelist = await startGateway({ OPERATION_MODE: 'safelist' });
  production = await startGateway({ NODE_ENV: 'production', INTERNAL_IDENTITY_PRIVATE_KEY: (await generateIdentityKeys()).privateKey });
});
after(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  jwks?.close();
});

function uniqueAddress(): string {
  return `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;
}

interface Socket {
  ws: WebSocket;
  /** The next message of a type (or for an id). */
  next(match: (message: any) => boolean): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Socket> {
  const ws = new WebSocket(url, 'graphql-transport-ws', { headers });
  const messages: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiters.find((w) => w.match(message));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else messages.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        closed,
        send: (message) => ws.send(JSON.stringify(message)),
        next: (match) => {
          const queued = messages.find(match);
          if (queued) {
            messages.splice(messages.indexOf(queued), 1);
            return Promise.resolve(queued);
          }
          // A message that never comes fails the test instead of hanging it.
          return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no matching message within 10 s')), 10_000);
            waiters.push({ match, resolve: (message) => (clearTimeout(timer), resolve(message)) });
          });
        },
      }),
    );
  });
}

/** Connects and completes graphql-ws's handshake; resolves to the socket, or to the close if the server refuses. */
async function initialized(url: string, options: { headers?: Record<string, string>; payload?: Record<string, unknown> } = {}) {
  const socket = await connect(url, options.headers);
  socket.send({ type: 'connection_init', payload: options.payload ?? {} });
  const outcome = await Promise.race([socket.next((m) => m.type === 'connection_ack').then(() => 'ack' as const), socket.closed]);
  return { socket, outcome };
}

/** Sends a subscribe message and returns the error codes the server answered it with. */
async function subscribeErrors(socket: Socket, query: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const id = randomUUID();
  socket.send({ id, type: 'subscribe', payload: { query, variables } });
  const reply = await socket.next((m) => m.id === id && (m.type === 'error' || m.type === 'next'));
  if (reply.type === 'next') return (reply.payload.errors ?? []).map((e: any) => e.extensions?.code);
  return reply.payload.map((e: any) => e.extensions?.code);
}

function nestedStock(levels: number): string {
  let selection = 'sku';
  for (let i = 0; i < levels; i++) selection = `variant { stock { ${selection} } }`;
  return `subscription { stockChanged(skus: ["A"]) { ${selection} } }`;
}

describe('WebSocket edge controls', () => {
  it('refuses a depth bomb with OPERATION_LIMIT_EXCEEDED before anything is opened upstream', async () => {
    const { socket } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() } });
    assert.deepEqual(await subscribeErrors(socket, nestedStock(8)), ['OPERATION_LIMIT_EXCEEDED']);
    socket.ws.close();
  });

  it('refuses an alias bomb and a directive flood', async () => {
    const { socket } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() } });
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: sku`).join(' ');
    assert.deepEqual(await subscribeErrors(socket, `subscription { stockChanged(skus: ["A"]) { ${aliases} } }`), ['OPERATION_LIMIT_EXCEEDED']);
    const spreads = Array.from({ length: 60 }, () => '... on StockLevel @include(if: true) { sku }').join(' ');
    const flood = `subscription { stockChanged(skus: ["A"]) { ${spreads} } }`;
    assert.deepEqual(await subscribeErrors(socket, flood), ['OPERATION_LIMIT_EXCEEDED']);
    socket.ws.close();
  });

  it('refuses documents that do not parse, do not validate or are not subscriptions', async () => {
    const { socket } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() } });
    assert.deepEqual(await subscribeErrors(socket, 'subscription {'), ['GRAPHQL_PARSE_FAILED']);
    assert.deepEqual(await subscribeErrors(socket, 'subscription { nope }'), ['GRAPHQL_VALIDATION_FAILED']);
    assert.deepEqual(await subscribeErrors(socket, '{ __typename }'), ['BAD_REQUEST']);
    socket.ws.close();
  });

  it('answers a misspelled field with "Did you mean" in development and without it in production', async () => {
    const typo = 'subscription { stockChangd(skus: ["A"]) { sku } }';
    const messages = async (url: string) => {
      const { socket } = await initialized(url, { headers: { 'x-forwarded-for': uniqueAddress() } });
      const id = randomUUID();
      socket.send({ id, type: 'subscribe', payload: { query: typo } });
      const reply = await socket.next((m) => m.id === id);
      socket.ws.close();
      return reply.payload.map((e: any) => [e.message, e.extensions.code]);
    };
    assert.deepEqual(await messages(open), [['Cannot query field "stockChangd" on type "Subscription". Did you mean "stockChanged"?', 'GRAPHQL_VALIDATION_FAILED']]);
    assert.deepEqual(await messages(production), [['Cannot query field "stockChangd" on type "Subscription".', 'GRAPHQL_VALIDATION_FAILED']]);
  });

  it('refuses a NUL byte in a variable with BAD_USER_INPUT before anything is opened upstream', async () => {
    const { socket } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() } });
    assert.deepEqual(await subscribeErrors(socket, 'subscription($s: [ID!]!) { stockChanged(skus: $s) { sku } }', { s: ['A\u0000B'] }), ['BAD_USER_INPUT']);
    socket.ws.close();
  });

  it('runs only published operations in safelist mode', async () => {
    const { socket } = await initialized(safelist, { headers: { 'x-forwarded-for': uniqueAddress() } });
    assert.deepEqual(await subscribeErrors(socket, 'subscription { stockChanged(skus: ["A"]) { sku } }'), ['PERSISTED_QUERY_NOT_ALLOWED']);
    socket.ws.close();
  });

  it("counts each subscription against the client's rate limit", async () => {
    const headers = { 'x-forwarded-for': uniqueAddress() };
    // Connecting counts once; the limit is 4 a minute.
    const { socket } = await initialized(strict, { headers });
    const codes: string[][] = [];
    for (let i = 0; i < 4; i++) codes.push(await subscribeErrors(socket, nestedStock(20)));
    assert.deepEqual(codes, [['OPERATION_LIMIT_EXCEEDED'], ['OPERATION_LIMIT_EXCEEDED'], ['OPERATION_LIMIT_EXCEEDED'], ['RATE_LIMITED']]);
    socket.ws.close();
    const again = await initialized(strict, { headers });
    assert.deepEqual(again.outcome, { code: 4429, reason: 'Too many requests' });
  });

  it('limits open connections per address, the address taken behind the trusted proxy', async () => {
    const headers = { 'x-forwarded-for': uniqueAddress() };
    const first = await initialized(strict, { headers });
    const second = await initialized(strict, { headers });
    const third = await initialized(strict, { headers });
    assert.equal(first.outcome, 'ack');
    assert.equal(second.outcome, 'ack');
    assert.deepEqual(third.outcome, { code: 4403, reason: 'Forbidden' });
    const elsewhere = await initialized(strict, { headers: { 'x-forwarded-for': uniqueAddress() } });
    assert.equal(elsewhere.outcome, 'ack');
    for (const { socket } of [first, second, elsewhere]) socket.ws.close();
  });

  it("counts a client's open connections across gateway replicas, and a closed one frees its slot", async () => {
    const headers = { 'x-forwarded-for': uniqueAddress() };
    const first = await initialized(strict, { headers });
    const second = await initialized(strictReplica, { headers });
    const third = await initialized(strict, { headers });
    assert.deepEqual([first.outcome, second.outcome, third.outcome], ['ack', 'ack', { code: 4403, reason: 'Forbidden' }]);
    first.socket.ws.close();
    await first.socket.closed;
    // The slot is released in Redis as the gateway sees the close; wait for that, not for a set time.
    let again = await initialized(strictReplica, { headers });
    for (let i = 0; i < 50 && again.outcome !== 'ack'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await initialized(strictReplica, { headers });
    }
    assert.equal(again.outcome, 'ack');
    for (const { socket } of [second, again]) socket.ws.close();
  });

  it('closes cleanly while an upstream subscription retries against a subgraph that is down', async () => {
    const gateway = await createServer({
      config: readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: TEST_REDIS_URL, INVENTORY_URL: 'http://127.0.0.1:1/graphql' }),
      logger: createLogger('gateway-test', 'silent'),
    });
    const port = await gateway.listen(0, '127.0.0.1');
    let admitted: Awaited<ReturnType<typeof initialized>> | undefined;
    // The supergraph loads asynchronously: until it has, subscriptions are refused as SERVICE_UNAVAILABLE.
    for (let attempt = 0; attempt < 100; attempt++) {
      const { socket } = await initialized(`ws://127.0.0.1:${port}/graphql`, { headers: { 'x-forwarded-for': uniqueAddress() } });
      socket.send({ id: 'stock', type: 'subscribe', payload: { query: 'subscription { stockChanged(skus: ["A"]) { sku } }' } });
      const refusal = await Promise.race([socket.next((m) => m.id === 'stock'), new Promise((resolve) => setTimeout(() => resolve(undefined), 500))]);
      if (!refusal) {
        admitted = { socket, outcome: 'ack' };
        break;
      }
      socket.ws.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(admitted, 'the subscription was admitted and is waiting for inventory');
    await assert.doesNotReject(gateway.close());
    assert.notEqual((await admitted.socket.closed).code, undefined);
  });

  it('refuses a subscribe message before connection_init', async () => {
    const socket = await connect(open, { 'x-forwarded-for': uniqueAddress() });
    socket.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { stockChanged(skus: ["A"]) { sku } }' } });
    assert.equal((await socket.closed).code, 4401);
  });

  it('refuses a bad access token at connection_init with 4403', async () => {
    const { outcome } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() }, payload: { authorization: 'Bearer not-a-token' } });
    assert.deepEqual(outcome, { code: 4403, reason: 'Forbidden' });
  });

  it('closes the connection with 4401 when the access token that opened it expires', async () => {
    const token = await new SignJWT({ roles: ['CUSTOMER'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject(`user-${randomUUID()}`)
      .setIssuer(ISSUER)
      .setAudience('shop-gateway')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(signingKey.privateKey);
    const { socket, outcome } = await initialized(open, { headers: { 'x-forwarded-for': uniqueAddress() }, payload: { authorization: `Bearer ${token}` } });
    assert.equal(outcome, 'ack');
    assert.deepEqual(await socket.closed, { code: 4401, reason: 'Access token expired' });
  });
});
