import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadDemoData } from '@shop/platform';
import { postGraphQL, startTestStack, type TestStack } from '@shop/platform/testing';
import { ShopClient } from './shop-client.ts';

// End to end: the five subgraphs and the gateway as real processes, real
// PostgreSQL and Redis, the contract's operations sent to the gateway.
const operation = (name: string) => readFileSync(new URL(`../../schema/operations/${name}.graphql`, import.meta.url), 'utf8');
const demo = loadDemoData();
let stack: TestStack;

before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

describe('accounts and auth through the gateway', () => {
  it('signs a customer up and in, with the email visible to its owner, and MyOrders empty for a new user', async () => {
    const shop = new ShopClient(stack.url);
    const email = `new-${Date.now()}@customers.test`;
    const signUp = await shop.call('SignUp', { email: email.toUpperCase(), password: 'a-long-password', name: 'New Customer' });
    assert.equal(signUp.errors, undefined);
    assert.deepEqual(signUp.data?.signUp.user, { id: signUp.data?.signUp.user.id, email, name: 'New Customer', role: 'CUSTOMER' });
    const signIn = await shop.call('SignIn', { email, password: 'a-long-password' });
    const token = signIn.data?.signIn.accessToken as string;
    const orders = await shop.call('MyOrders', { first: 10 }, token);
    assert.deepEqual(orders, { data: { me: { id: signUp.data?.signUp.user.id, name: 'New Customer', orders: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } } });
  });

  it('answers a wrong password with one generic UNAUTHENTICATED message', async () => {
    const body = await new ShopClient(stack.url).call('SignIn', { email: 'customer@demo.shop', password: 'wrong-password' });
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(body.errors?.[0]?.message, 'Invalid email or password.');
  });

  it('rejects a bad access token with 401 UNAUTHENTICATED before running anything', async () => {
    const response = await postGraphQL(stack.url, operation('MyOrders'), { first: 5 }, { authorization: 'Bearer not.a.token' });
    assert.equal(response.status, 401);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it("shows customers only their own orders: another customer's order reads as null and is not in their history", async () => {
    const shop = new ShopClient(stack.url);
    const a = await shop.signUp(`a-${Date.now()}@customers.test`);
    const b = await shop.signUp(`b-${Date.now()}@customers.test`);
    const sku = demo.products[20]!.variants[0]!.sku;
    const admin = await shop.signIn('admin@demo.shop', 'demo-password');
    await shop.restock(admin, sku, 5);
    const placed = await shop.placeOrder(a.token, [{ sku, quantity: 1 }], await shop.paymentToken(a.token), `own-${Date.now()}`);
    const orderId = placed.data?.placeOrder.order.id as string;
    assert.ok(orderId);

    const mine = await shop.call('MyOrders', { first: 10 }, a.token);
    assert.deepEqual(mine.data?.me.orders.edges.map((e: { node: { id: string } }) => e.node.id), [orderId]);
    const theirs = await shop.call('MyOrders', { first: 10 }, b.token);
    assert.deepEqual(theirs.data?.me.orders.edges, []);
    const peek = await postGraphQL(stack.url, 'query($id: ID!) { order(id: $id) { id status payment { status } } }', { id: orderId }, { authorization: `Bearer ${b.token}` });
    assert.deepEqual(peek.body, { data: { order: null } });
    const email = await postGraphQL(stack.url, 'query($id: ID!) { user(id: $id) { email } }', { id: a.userId }, { authorization: `Bearer ${b.token}` });
    assert.equal(email.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});

describe('gateway end to end', () => {
  it('serves ProductList with data from products and inventory, newest first', async () => {
    const result = await postGraphQL(stack.url, operation('ProductList'), { first: 5 });
    assert.equal(result.body.errors, undefined);
    const edges = result.body.data?.products.edges as { cursor: string; node: Record<string, unknown> }[];
    assert.equal(edges.length, 5);
    const newest = [...demo.products].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 5);
    assert.deepEqual(
      edges.map((e) => e.node.id),
      newest.map((p) => p.id),
    );
    const first = newest[0]!;
    const firstStock = demo.stock.filter((s) => first.variants.some((v) => v.sku === s.sku));
    assert.deepEqual(edges[0]!.node, {
      id: first.id,
      slug: first.slug,
      name: first.name,
      price: first.price,
      inStock: firstStock.some((s) => s.available > 0),
    });
    assert.equal(result.body.data?.products.pageInfo.hasNextPage, true);
  });

  it('serves ProductPage with the seller name from accounts and variant stock from inventory', async () => {
    const product = demo.products[3]!;
    const result = await postGraphQL(stack.url, operation('ProductPage'), { id: product.id });
    assert.equal(result.body.errors, undefined);
    const seller = demo.users.find((u) => u.id === product.sellerId)!;
    assert.deepEqual(result.body.data?.product, {
      id: product.id,
      name: product.name,
      description: product.description,
      price: product.price,
      seller: { id: seller.id, name: seller.name },
      variants: product.variants.map((v) => ({
        sku: v.sku,
        name: v.name,
        price: v.price,
        stock: { available: demo.stock.find((s) => s.sku === v.sku)!.available },
      })),
    });
  });

  it('answers a query that needs a killed subgraph with a clear error, keeps serving the rest, and recovers when it restarts', async () => {
    const product = demo.products[0]!;
    await stack.subgraphs.accounts!.stop('SIGKILL');

    const degraded = await postGraphQL(stack.url, operation('ProductPage'), { id: product.id });
    // Cross-subgraph fields are nullable on purpose: the page still renders without the seller.
    assert.equal(degraded.body.data?.product?.name, product.name, 'products still answers');
    assert.equal(degraded.body.data?.product?.seller, null);
    const error = degraded.body.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    assert.ok(error, `expected a SUBGRAPH_UNAVAILABLE error, got ${JSON.stringify(degraded.body.errors)}`);
    assert.match(error.message, /accounts service is unavailable/);

    const unaffected = await postGraphQL(stack.url, operation('ProductList'), { first: 2 });
    assert.equal(unaffected.body.errors, undefined);

    await stack.subgraphs.accounts!.start();
    const recovered = await postGraphQL(stack.url, operation('ProductPage'), { id: product.id });
    assert.equal(recovered.body.errors, undefined);
    assert.equal(recovered.body.data?.product?.seller?.name, demo.users.find((u) => u.id === product.sellerId)!.name);
  });
});
