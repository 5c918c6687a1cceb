import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { admissionRefusals } from '@shop/platform';
import { createPurchaseAdmission } from './purchase-admission.ts';

const typeDefs = `
  type Query { ping: String }
  type Mutation { placeOrder(key: String!): String, checkoutCart: String, addToCart: String }
`;

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

/** A real Apollo Server whose purchase mutations wait until released. */
async function serverWith(maxInFlight: number) {
  const gate = deferred();
  const admission = createPurchaseAdmission({ maxInFlight, retryAfterSeconds: 2 });
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: { ping: () => 'pong' },
      Mutation: { placeOrder: async (_: unknown, { key }: { key: string }) => (await gate.done, key), checkoutCart: async () => (await gate.done, 'cart'), addToCart: () => 'added' },
    },
    plugins: [admission.plugin],
  });
  await server.start();
  return { server, gate, admission };
}

async function refusalsCounted(): Promise<number> {
  const metric = await admissionRefusals().get();
  return metric.values.find((v) => v.labels.gate === 'gateway-purchase')?.value ?? 0;
}

describe('purchase admission at the gateway', () => {
  it('runs at most maxInFlight purchases and refuses the next at once with 503, Retry-After and a retryable SERVICE_UNAVAILABLE', async () => {
    const { server, gate, admission } = await serverWith(2);
    const running = [server.executeOperation({ query: 'mutation { placeOrder(key: "a") }' }), server.executeOperation({ query: 'mutation { checkoutCart }' })];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(admission.inFlight(), 2);

    const refused = await server.executeOperation({ query: 'mutation { placeOrder(key: "b") }' });
    assert.equal(refused.http.status, 503);
    assert.equal(refused.http.headers.get('retry-after'), '2');
    assert.ok(refused.body.kind === 'single');
    assert.deepEqual(refused.body.singleResult.errors?.map((e) => [e.extensions?.code, e.extensions?.retryable, e.extensions?.retryAfter]), [['SERVICE_UNAVAILABLE', true, 2]]);

    // Reads and other mutations are not purchases.
    const read = await server.executeOperation({ query: '{ ping }' });
    assert.ok(read.body.kind === 'single' && read.body.singleResult.data?.ping === 'pong');
    const other = await server.executeOperation({ query: 'mutation { addToCart }' });
    assert.ok(other.body.kind === 'single' && other.body.singleResult.data?.addToCart === 'added');

    gate.release();
    await Promise.all(running);
    assert.equal(admission.inFlight(), 0);
    const again = await server.executeOperation({ query: 'mutation { placeOrder(key: "c") }' });
    assert.ok(again.body.kind === 'single' && again.body.singleResult.data?.placeOrder === 'c');
    await server.stop();
  });

  it('frees the slot of a purchase that failed', async () => {
    const { server, gate, admission } = await serverWith(1);
    gate.release();
    const invalid = await server.executeOperation({ query: 'mutation { placeOrder }' });
    assert.ok(invalid.body.kind === 'single' && invalid.body.singleResult.errors?.length);
    await server.executeOperation({ query: 'mutation { placeOrder(key: "x") }' });
    assert.equal(admission.inFlight(), 0);
    await server.stop();
  });

  it('at capacity, refuses a purchase body before any other work (503, Retry-After, retryable), and lets everything else through', async () => {
    const { server, gate, admission } = await serverWith(1);
    const purchase = { query: 'mutation { placeOrder(key: "a") }' };
    assert.equal(admission.refuseEarly(purchase), null, 'below capacity nothing is refused early');
    const running = server.executeOperation(purchase);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(admission.inFlight(), 1);

    const countedBefore = await refusalsCounted();
    const refusal = admission.refuseEarly({ query: 'mutation Buy { placeOrder(key: "b") }', operationName: 'Buy' });
    assert.equal(await refusalsCounted(), countedBefore + 1, 'counted in admission_refusals_total');
    assert.ok(refusal);
    assert.deepEqual([refusal.status, refusal.code, refusal.headers['retry-after'], refusal.extensions], [503, 'SERVICE_UNAVAILABLE', '2', { retryable: true, retryAfter: 2 }]);
    assert.ok(admission.refuseEarly({ query: 'mutation { checkoutCart }' }));
    // The operation the request runs decides, not the others in its document.
    const document = 'query Ping { ping } mutation Buy { placeOrder(key: "c") }';
    assert.equal(admission.refuseEarly({ query: document, operationName: 'Ping' }), null);
    assert.ok(admission.refuseEarly({ query: document, operationName: 'Buy' }));
    // Not purchases, or nothing to tell from: the request goes on to the usual checks.
    for (const body of [{ query: '{ ping }' }, { query: 'mutation { addToCart }' }, { query: 'mutation {' }, { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } }, null, 'text']) {
      assert.equal(admission.refuseEarly(body), null, JSON.stringify(body));
    }
    gate.release();
    await running;
    assert.equal(admission.refuseEarly(purchase), null, 'below capacity again');
    await server.stop();
  });
});
