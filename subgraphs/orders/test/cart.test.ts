import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postGraphQL } from '@shop/platform/testing';
import { CARDS, startSagaHarness, type SagaHarness } from './saga-harness.ts';

// The cart against the real products, inventory and payments subgraphs (the
// saga harness): prices, publication and stock are theirs, not stand-ins.
let h: SagaHarness;

before(async () => {
  h = await startSagaHarness({ providerTimeoutMs: 300 });
});

after(async () => {
  await h?.stop();
});

const CART_FIELDS = 'id updatedAt lines { id quantity variant { sku } unitPrice { amount currency } total { amount currency } purchasable } total { amount currency }';
const MY_CART = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { cart { ${CART_FIELDS} } } } }`;
const ADD = `mutation ($sku: ID!, $quantity: Int!) { addToCart(sku: $sku, quantity: $quantity) { ${CART_FIELDS} } }`;
const SET = `mutation ($lineId: ID!, $quantity: Int!) { setCartLineQuantity(lineId: $lineId, quantity: $quantity) { ${CART_FIELDS} } }`;
const CHECKOUT = `
  mutation ($paymentToken: String!, $idempotencyKey: String!) {
    checkoutCart(paymentToken: $paymentToken, idempotencyKey: $idempotencyKey) {
      __typename
      ... on OrderPlaced { order { id status total { amount currency } items { quantity unitPrice { amount } variant { sku } } } }
      ... on InsufficientStock { sku available message }
      ... on PaymentDeclined { reason message }
    }
  }`;

async function call(customer: string, query: string, variables: Record<string, unknown> = {}) {
  return (await postGraphQL<Record<string, any>>(h.orders.url, query, variables, await h.as(customer))).body;
}

async function cartOf(customer: string) {
  const body = await call(customer, MY_CART, { id: customer });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!._entities[0].cart;
}

async function add(customer: string, sku: string, quantity: number) {
  const body = await call(customer, ADD, { sku, quantity });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.addToCart;
}

async function stockedSku(name: string, price: number, stock: number) {
  const sku = h.sku(name);
  const product = await h.createProduct([{ sku, price }]);
  if (stock > 0) await h.addStock(sku, stock);
  return { sku, product };
}

function errorOf(body: { errors?: { extensions?: Record<string, unknown> }[] }) {
  const [error] = body.errors ?? [];
  return { code: error?.extensions?.code, reason: error?.extensions?.reason, field: error?.extensions?.field };
}

describe('cart', () => {
  it('is empty, in USD, for a customer who never used it, and the same cart on every read', async () => {
    const customer = randomUUID();
    const first = await cartOf(customer);
    assert.deepEqual({ ...first, id: 'x' }, { id: 'x', updatedAt: null, lines: [], total: { amount: 0, currency: 'USD' } });
    assert.equal((await cartOf(customer)).id, first.id);
  });

  it('adds to the line of a sku already in the cart, keeps one line per sku, and totals in minor units', async () => {
    const a = await stockedSku('CART-A', 1250, 10);
    const b = await stockedSku('CART-B', 399, 10);
    const customer = randomUUID();
    await add(customer, a.sku, 1);
    await add(customer, b.sku, 3);
    const cart = await add(customer, a.sku, 2);
    assert.deepEqual(
      cart.lines.map((l: any) => [l.variant.sku, l.quantity, l.unitPrice.amount, l.total.amount, l.purchasable]),
      [
        [a.sku, 3, 1250, 3750, true],
        [b.sku, 3, 399, 1197, true],
      ],
    );
    assert.deepEqual(cart.total, { amount: 4947, currency: 'USD' });
    // Another device of the same customer reads the same cart.
    assert.deepEqual(await cartOf(customer), cart);
  });

  it('prices lines live: a live sale that starts lowers the line and the total at once', async () => {
    const { sku, product } = await stockedSku('CART-SALE', 2000, 5);
    const customer = randomUUID();
    assert.equal((await add(customer, sku, 2)).total.amount, 4000);
    const now = Date.now();
    const sale = await postGraphQL<Record<string, any>>(
      h.products.url,
      `mutation ($input: ScheduleLiveSaleInput!) { scheduleLiveSale(input: $input) { id } }`,
      { input: { title: 'Cart sale', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), productIds: [product.id], prices: [{ sku, amount: 1500 }] } },
      product.seller,
    );
    assert.equal(sale.body.errors, undefined, JSON.stringify(sale.body.errors));
    const cart = await cartOf(customer);
    assert.deepEqual([cart.lines[0].unitPrice.amount, cart.lines[0].total.amount, cart.total.amount], [1500, 3000, 3000]);
  });

  it('sets a line quantity, and quantity 0 removes the line', async () => {
    const a = await stockedSku('CART-SET-A', 100, 10);
    const b = await stockedSku('CART-SET-B', 200, 10);
    const customer = randomUUID();
    await add(customer, a.sku, 1);
    const cart = await add(customer, b.sku, 1);
    const [lineA, lineB] = cart.lines;
    let body = await call(customer, SET, { lineId: lineA.id, quantity: 7 });
    assert.deepEqual(body.data!.setCartLineQuantity.lines.map((l: any) => [l.id, l.quantity]), [[lineA.id, 7], [lineB.id, 1]]);
    body = await call(customer, SET, { lineId: lineA.id, quantity: 0 });
    assert.deepEqual(body.data!.setCartLineQuantity.lines.map((l: any) => l.id), [lineB.id]);
    assert.deepEqual(body.data!.setCartLineQuantity.total, { amount: 200, currency: 'USD' });
  });

  it("answers NOT_FOUND for a line of another customer's cart and leaves that cart alone", async () => {
    const { sku } = await stockedSku('CART-OTHER', 100, 10);
    const owner = randomUUID();
    const line = (await add(owner, sku, 2)).lines[0];
    const body = await call(randomUUID(), SET, { lineId: line.id, quantity: 0 });
    assert.equal(errorOf(body).code, 'NOT_FOUND');
    assert.equal((await cartOf(owner)).lines[0].quantity, 2);
  });

  it('refuses an unknown sku, an unpublished product and quantities out of range, with a reason code each', async () => {
    const { sku, product } = await stockedSku('CART-ERR', 100, 10);
    const customer = randomUUID();
    assert.deepEqual(errorOf(await call(customer, ADD, { sku: h.sku('NOPE'), quantity: 1 })), { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_SKU', field: 'sku' });
    for (const quantity of [0, -1, 101]) {
      assert.deepEqual(errorOf(await call(customer, ADD, { sku, quantity })), { code: 'BAD_USER_INPUT', reason: 'QUANTITY_OUT_OF_RANGE', field: 'quantity' });
    }
    await add(customer, sku, 60);
    assert.deepEqual(errorOf(await call(customer, ADD, { sku, quantity: 41 })), { code: 'BAD_USER_INPUT', reason: 'QUANTITY_OUT_OF_RANGE', field: 'quantity' });
    const line = (await cartOf(customer)).lines[0];
    assert.deepEqual(errorOf(await call(customer, SET, { lineId: line.id, quantity: 101 })), { code: 'BAD_USER_INPUT', reason: 'QUANTITY_OUT_OF_RANGE', field: 'quantity' });
    assert.equal((await cartOf(customer)).lines[0].quantity, 60);

    const archived = await postGraphQL(h.products.url, `mutation ($id: ID!) { archiveProduct(id: $id) { id } }`, { id: product.id }, product.seller);
    assert.equal(archived.body.errors, undefined);
    assert.deepEqual(errorOf(await call(randomUUID(), ADD, { sku, quantity: 1 })), { code: 'BAD_USER_INPUT', reason: 'NOT_ON_SALE', field: 'sku' });
    // Already in a cart: the line stays, shown as not purchasable and left out of the total.
    const cart = await cartOf(customer);
    assert.deepEqual([cart.lines[0].purchasable, cart.lines[0].unitPrice, cart.lines[0].total.amount, cart.total.amount], [false, null, 0, 0]);
  });

  it('refuses a 51st line with CART_LINE_LIMIT', async () => {
    const skus = Array.from({ length: 51 }, (_, i) => h.sku(`CART-LIMIT-${i}`));
    await h.createProduct(skus.slice(0, 25).map((sku) => ({ sku, price: 100 })));
    await h.createProduct(skus.slice(25).map((sku) => ({ sku, price: 100 })));
    const customer = randomUUID();
    for (const sku of skus.slice(0, 50)) await add(customer, sku, 1);
    assert.deepEqual(errorOf(await call(customer, ADD, { sku: skus[50], quantity: 1 })), { code: 'BAD_USER_INPUT', reason: 'CART_LINE_LIMIT', field: 'sku' });
    assert.equal((await cartOf(customer)).lines.length, 50);
    // Adding to a line already there still works at the limit.
    assert.equal((await add(customer, skus[0]!, 1)).lines[0].quantity, 2);
  });

  it('refuses cart operations to anonymous callers', async () => {
    const body = (await postGraphQL<Record<string, any>>(h.orders.url, ADD, { sku: 'X', quantity: 1 }, {})).body;
    assert.equal(errorOf(body).code, 'UNAUTHENTICATED');
  });
});

describe('checkoutCart', () => {
  it('places the order for the whole cart (order total = cart total) and empties the cart', async () => {
    const a = await stockedSku('CO-A', 1999, 10);
    const b = await stockedSku('CO-B', 500, 10);
    const customer = randomUUID();
    await add(customer, a.sku, 2);
    const cart = await add(customer, b.sku, 1);
    const key = randomUUID();
    const body = await call(customer, CHECKOUT, { paymentToken: await h.tokenFor(customer), idempotencyKey: key });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const placed = body.data!.checkoutCart;
    assert.equal(placed.__typename, 'OrderPlaced');
    assert.deepEqual(placed.order.total, cart.total);
    assert.equal(placed.order.status, 'CONFIRMED');
    assert.deepEqual(placed.order.items.map((i: any) => [i.variant.sku, i.quantity, i.unitPrice.amount]), [[a.sku, 2, 1999], [b.sku, 1, 500]]);
    assert.deepEqual((await cartOf(customer)).lines, []);
    assert.deepEqual(await h.stock(a.sku), { available: 8, reserved: 0 });
  });

  it('answers a retry with the same key with the same order, once the cart is empty, without a second order or charge', async () => {
    const { sku } = await stockedSku('CO-RETRY', 700, 10);
    const customer = randomUUID();
    await add(customer, sku, 1);
    const variables = { paymentToken: await h.tokenFor(customer), idempotencyKey: randomUUID() };
    const first = await call(customer, CHECKOUT, variables);
    const again = await call(customer, CHECKOUT, variables);
    assert.deepEqual(again, first);
    assert.equal((await h.ordersOfUser(customer)).length, 1);
    assert.equal((await h.paymentsOfUser(customer)).length, 1);
  });

  it('leaves the cart as it was when the card is declined or the stock is short', async () => {
    const { sku } = await stockedSku('CO-FAIL', 900, 2);
    const customer = randomUUID();
    const cart = await add(customer, sku, 2);
    const declined = await call(customer, CHECKOUT, { paymentToken: await h.tokenFor(customer, CARDS.declined), idempotencyKey: randomUUID() });
    assert.equal(declined.data!.checkoutCart.__typename, 'PaymentDeclined');
    assert.deepEqual(await cartOf(customer), cart);

    await add(customer, sku, 1);
    const short = await call(customer, CHECKOUT, { paymentToken: await h.tokenFor(customer), idempotencyKey: randomUUID() });
    // The declined checkout's hold may still be on its way back to stock: at most 2 are available.
    assert.deepEqual([short.data!.checkoutCart.__typename, short.data!.checkoutCart.sku], ['InsufficientStock', sku]);
    assert.ok(short.data!.checkoutCart.available <= 2);
    assert.equal((await cartOf(customer)).lines[0].quantity, 3);
  });

  it('refuses an empty cart with CART_EMPTY', async () => {
    const customer = randomUUID();
    const empty = await call(customer, CHECKOUT, { paymentToken: 'tok', idempotencyKey: randomUUID() });
    assert.deepEqual(errorOf(empty), { code: 'BAD_USER_INPUT', reason: 'CART_EMPTY', field: undefined });
  });
});
