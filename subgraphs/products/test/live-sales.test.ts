import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Viewer } from '@shop/platform';
import { insertProduct } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness('livesales');
  h.clock.now = new Date('2026-06-01T12:00:00.000Z');
});
after(() => h?.close());

const MINUTE = 60_000;
const SCHEDULE = `mutation($input: ScheduleLiveSaleInput!) {
  scheduleLiveSale(input: $input) { id title status startsAt endsAt seller { id } products { id } prices { sku price { amount currency } } }
}`;
const CANCEL = 'mutation($id: ID!) { cancelLiveSale(id: $id) { id status cancelledAt } }';

function at(offsetMs: number): string {
  return new Date(h.clock.now.getTime() + offsetMs).toISOString();
}

async function schedule(viewer: Viewer, input: Record<string, unknown>) {
  return h.request(SCHEDULE, { input: { title: 'Evening sale', ...input } }, viewer);
}

async function scheduled(viewer: Viewer, input: Record<string, unknown>): Promise<string> {
  const { body } = await schedule(viewer, input);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.scheduleLiveSale.id;
}

describe('live sales', () => {
  it('a seller creates a product with variants, schedules a live sale, and its sale price is in effect only while it is LIVE', async () => {
    const seller = h.viewer('SELLER');
    const created = await h.request(
      `mutation { createProduct(input: {
        name: "Live kettle", price: { amount: 5000, currency: "USD" },
        variants: [{ sku: "LIVE-K-1", name: "Red" }, { sku: "LIVE-K-2", name: "Green", price: { amount: 5500, currency: "USD" } }]
      }) { id } }`,
      {},
      seller,
    );
    const productId = created.body.data!.createProduct.id;
    await h.request('mutation($id: ID!) { publishProduct(id: $id) { id } }', { id: productId }, seller);
    const [startsAt, endsAt] = [at(100_000), at(60 * MINUTE)];
    const sale = await schedule(seller, { startsAt, endsAt, productIds: [productId], prices: [{ sku: 'LIVE-K-1', amount: 3500 }] });
    assert.equal(sale.body.errors, undefined, JSON.stringify(sale.body.errors));
    const saleId = sale.body.data!.scheduleLiveSale.id;
    assert.deepEqual(sale.body.data!.scheduleLiveSale, {
      id: saleId,
      title: 'Evening sale',
      status: 'UPCOMING',
      startsAt: at(100_000),
      endsAt: at(60 * MINUTE),
      seller: { id: seller.userId },
      products: [{ id: productId }],
      prices: [{ sku: 'LIVE-K-1', price: { amount: 3500, currency: 'USD' } }],
    });

    const page = `query($id: ID!) { product(id: $id) {
      liveSale { id status }
      variants { sku price { amount } salePrice { amount } effectivePrice { amount } }
    } }`;
    const prices = '{ variantPrices(skus: ["LIVE-K-2", "NO-SUCH-SKU", "LIVE-K-1"]) { sku unitPrice { amount currency } listPrice { amount } liveSaleId productId sellerId published priceChangesAt } }';
    // priceChangesAt: when the schedule next changes the price (the sale's start, then its end), for callers that keep prices briefly.
    const priceOf = (sku: string, unit: number, liveSaleId: string | null, priceChangesAt: string | null = null) => ({
      sku,
      unitPrice: { amount: unit, currency: 'USD' },
      listPrice: { amount: sku === 'LIVE-K-1' ? 5000 : 5500 },
      liveSaleId,
      productId,
      sellerId: seller.userId,
      published: true,
      priceChangesAt,
    });

    // Upcoming: the sale price is announced, not charged; the page is cacheable only until the sale starts.
    let read = await h.request(page, { id: productId });
    assert.deepEqual(read.body.data!.product, {
      liveSale: { id: saleId, status: 'UPCOMING' },
      variants: [
        { sku: 'LIVE-K-1', price: { amount: 5000 }, salePrice: { amount: 3500 }, effectivePrice: { amount: 5000 } },
        { sku: 'LIVE-K-2', price: { amount: 5500 }, salePrice: null, effectivePrice: { amount: 5500 } },
      ],
    });
    assert.equal(read.headers.get('cache-control'), 'max-age=100, public');
    assert.deepEqual((await h.request(prices)).body.data!.variantPrices, [priceOf('LIVE-K-2', 5500, null), priceOf('LIVE-K-1', 5000, null, startsAt)]);

    // Live: the sale price is in effect.
    h.clock.now = new Date(h.clock.now.getTime() + 110_000);
    read = await h.request(page, { id: productId });
    assert.deepEqual(read.body.data!.product, {
      liveSale: { id: saleId, status: 'LIVE' },
      variants: [
        { sku: 'LIVE-K-1', price: { amount: 5000 }, salePrice: { amount: 3500 }, effectivePrice: { amount: 3500 } },
        { sku: 'LIVE-K-2', price: { amount: 5500 }, salePrice: null, effectivePrice: { amount: 5500 } },
      ],
    });
    assert.equal(read.headers.get('cache-control'), 'max-age=300, public');
    assert.deepEqual((await h.request(prices)).body.data!.variantPrices, [priceOf('LIVE-K-2', 5500, null), priceOf('LIVE-K-1', 3500, saleId, endsAt)]);

    // Ended: back to the normal price, and no current or next sale.
    h.clock.now = new Date(h.clock.now.getTime() + 60 * MINUTE);
    read = await h.request(page, { id: productId });
    assert.equal(read.body.data!.product.liveSale, null);
    assert.deepEqual(read.body.data!.product.variants[0], { sku: 'LIVE-K-1', price: { amount: 5000 }, salePrice: null, effectivePrice: { amount: 5000 } });
    assert.deepEqual((await h.request(prices)).body.data!.variantPrices, [priceOf('LIVE-K-2', 5500, null), priceOf('LIVE-K-1', 5000, null)]);
  });

  it('a customer cannot schedule a live sale, an anonymous caller is UNAUTHENTICATED, and a seller only sells their own products', async () => {
    const owner = h.viewer('SELLER');
    const productId = await insertProduct(h.orm, { name: 'Guarded sale item', sellerId: owner.userId });
    const input = { startsAt: at(MINUTE), endsAt: at(30 * MINUTE), productIds: [productId] };
    assert.equal((await schedule(h.viewer('CUSTOMER'), input)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await h.request(SCHEDULE, { input: { title: 'x', ...input } })).body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal((await schedule(h.viewer('SELLER'), input)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const byAdmin = await schedule(h.viewer('ADMIN'), { ...input, sellerId: owner.userId });
    assert.equal(byAdmin.body.data!.scheduleLiveSale.seller.id, owner.userId);
  });

  it('invalid schedules are BAD_USER_INPUT naming each problem', async () => {
    const seller = h.viewer('SELLER');
    const a = await insertProduct(h.orm, { name: 'Sale A', sellerId: seller.userId, variants: [{ sku: 'SALE-A-1', name: 'One', priceAmount: 2000 }] });
    const b = await insertProduct(h.orm, { name: 'Sale B', sellerId: seller.userId, variants: [{ sku: 'SALE-B-1', name: 'One' }] });
    const archived = await insertProduct(h.orm, { name: 'Sale archived', sellerId: seller.userId, status: 'ARCHIVED' });
    await scheduled(seller, { startsAt: at(60 * MINUTE), endsAt: at(120 * MINUTE), productIds: [b] });

    const fieldsOf = async (input: Record<string, unknown>) => {
      const { body } = await schedule(seller, input);
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(body));
      return (body.errors![0]!.extensions?.problems as { field: string }[]).map((p) => p.field);
    };
    assert.deepEqual(await fieldsOf({ title: ' ', startsAt: 'tomorrow', endsAt: at(MINUTE), productIds: [] }), ['input.title', 'input.startsAt', 'input.productIds']);
    assert.deepEqual(await fieldsOf({ startsAt: at(-60 * MINUTE), endsAt: at(-61 * MINUTE), productIds: [a, a] }), [
      'input.startsAt',
      'input.endsAt',
      'input.productIds[1]',
    ]);
    assert.deepEqual(await fieldsOf({ startsAt: '2026-06-01T18:00:00', endsAt: at(8 * 24 * 60 * MINUTE), productIds: ['nope'] }), ['input.startsAt', 'input.productIds[0]']);
    assert.deepEqual(
      await fieldsOf({
        startsAt: at(90 * MINUTE),
        endsAt: at(150 * MINUTE),
        productIds: [a, b, archived, randomUUID()],
        prices: [{ sku: 'SALE-A-1', amount: 2500 }, { sku: 'NO-SUCH', amount: 1 }, { sku: 'SALE-A-1', amount: 1 }],
      }),
      ['input.prices[2].sku'],
    );
    assert.deepEqual(
      await fieldsOf({ startsAt: at(90 * MINUTE), endsAt: at(150 * MINUTE), productIds: [a, b, archived, randomUUID()], prices: [{ sku: 'SALE-A-1', amount: 2500 }, { sku: 'NO-SUCH', amount: 1 }] }),
      ['input.productIds[2]', 'input.productIds[3]', 'input.productIds[1]', 'input.prices[0].amount', 'input.prices[1].sku'],
    );
    // Back to back with the existing sale is fine: windows are half-open.
    await scheduled(seller, { startsAt: at(120 * MINUTE), endsAt: at(130 * MINUTE), productIds: [b] });
  });

  it('cancelling stops the sale price at once; only the seller or an admin may cancel', async () => {
    const seller = h.viewer('SELLER');
    const productId = await insertProduct(h.orm, { name: 'Cancelled deal', sellerId: seller.userId, variants: [{ sku: 'CANCEL-1', name: 'One', priceAmount: 4000 }] });
    const saleId = await scheduled(seller, { startsAt: at(0), endsAt: at(30 * MINUTE), productIds: [productId], prices: [{ sku: 'CANCEL-1', amount: 1000 }] });
    const price = '{ variantPrices(skus: ["CANCEL-1"]) { unitPrice { amount } liveSaleId } }';
    assert.deepEqual((await h.request(price)).body.data!.variantPrices, [{ unitPrice: { amount: 1000 }, liveSaleId: saleId }]);

    assert.equal((await h.request(CANCEL, { id: saleId }, h.viewer('SELLER'))).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const cancelled = await h.request(CANCEL, { id: saleId }, seller);
    assert.deepEqual(cancelled.body, { data: { cancelLiveSale: { id: saleId, status: 'ENDED', cancelledAt: h.clock.now.toISOString() } } });
    assert.deepEqual((await h.request(CANCEL, { id: saleId }, seller)).body, cancelled.body, 'cancelling twice changes nothing');
    assert.deepEqual((await h.request(price)).body.data!.variantPrices, [{ unitPrice: { amount: 4000 }, liveSaleId: null }]);
    const live = await h.request('query($seller: ID!) { liveSales(status: LIVE, sellerId: $seller) { edges { node { id } } } }', { seller: seller.userId });
    assert.deepEqual(live.body.data!.liveSales.edges, []);

    // The product is free again, and an ended sale cannot be cancelled.
    const next = await scheduled(seller, { startsAt: at(0), endsAt: at(MINUTE), productIds: [productId] });
    h.clock.now = new Date(h.clock.now.getTime() + 2 * MINUTE);
    const ended = await h.request(CANCEL, { id: next }, h.viewer('ADMIN'));
    assert.equal(ended.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(ended.body.errors?.[0]?.extensions?.field, 'id');
    assert.equal((await h.request(CANCEL, { id: randomUUID() }, seller)).body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('liveSales lists each status in its own order, page by page', async () => {
    const seller = h.viewer('SELLER');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const productId = await insertProduct(h.orm, { name: `Listed ${i}`, sellerId: seller.userId });
      ids.push(await scheduled(seller, { title: `Sale ${i}`, startsAt: at((5 - i) * MINUTE), endsAt: at(60 * MINUTE), productIds: [productId] }));
    }
    const list = `query($status: LiveSaleStatus, $seller: ID!, $after: String) {
      liveSales(status: $status, sellerId: $seller, first: 2, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } }
    }`;
    const walk = async (status: string | null) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { body }: { body: { data?: Record<string, any> | null; errors?: unknown[] } } = await h.request(list, { status, seller: seller.userId, after });
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        seen.push(...body.data!.liveSales.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!body.data!.liveSales.pageInfo.hasNextPage) return { seen, cursor: body.data!.liveSales.pageInfo.endCursor };
        after = body.data!.liveSales.pageInfo.endCursor;
      }
    };
    assert.deepEqual((await walk('UPCOMING')).seen, [...ids].reverse(), 'soonest start first');
    assert.deepEqual((await walk(null)).seen, ids, 'latest start first');
    h.clock.now = new Date(h.clock.now.getTime() + 3 * MINUTE + 1000);
    assert.deepEqual((await walk('LIVE')).seen, [ids[4], ids[3], ids[2]]);
    const { cursor } = await walk('UPCOMING');
    const mismatch = await h.request(list, { status: 'LIVE', seller: seller.userId, after: cursor });
    assert.equal(mismatch.body.errors?.[0]?.extensions?.field, 'after');
  });
});
