import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApolloServer } from '@apollo/server';
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
});
