import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDemoData, sql } from '@shop/platform';
import { seedDemoCatalogue } from '../src/product/product.seed.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
const data = loadDemoData();
before(async () => {
  h = await startHarness('seed');
});
after(() => h?.close());

describe('demo catalogue seed', () => {
  it('publishes every demo product in a category, with an image and variant options', async () => {
    assert.equal(await seedDemoCatalogue(h.orm.em.fork(), data), data.products.length);
    const { body } = await h.request(
      `query($id: ID!) {
        categories { slug children { slug } }
        product(id: $id) { slug status categories { slug parent { slug } } images { url altText } variants { sku options { name value } } }
        products(first: 100) { edges { node { id images { url } categories { id } } } }
      }`,
      { id: data.products[0]!.id },
    );
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual(
      body.data!.categories.map((c: { slug: string }) => c.slug),
      ['apparel', 'home-kitchen', 'sports-outdoors', 'electronics'],
    );
    assert.deepEqual(body.data!.categories[0].children, [{ slug: 'footwear' }, { slug: 'outerwear' }, { slug: 'knitwear' }]);
    assert.deepEqual(body.data!.product, {
      slug: 'aurora-running-shoe',
      status: 'PUBLISHED',
      categories: [
        { slug: 'footwear', parent: { slug: 'apparel' } },
        { slug: 'running', parent: { slug: 'sports-outdoors' } },
      ],
      images: [{ url: 'https://cdn.shop.local/images/products/aurora-running-shoe.jpg', altText: 'Aurora Running Shoe' }],
      variants: [
        { sku: 'AURORARUNN-000-1', options: [{ name: 'Size', value: '40' }] },
        { sku: 'AURORARUNN-000-2', options: [{ name: 'Size', value: '42' }] },
        { sku: 'AURORARUNN-000-3', options: [{ name: 'Size', value: '44' }] },
      ],
    });
    const edges = body.data!.products.edges as { node: { images: unknown[]; categories: unknown[] } }[];
    assert.equal(edges.length, data.products.length);
    assert.ok(edges.every((e) => e.node.images.length === 1 && e.node.categories.length >= 1));
  });

  it('is idempotent, and completes a catalogue seeded before categories and images existed', async () => {
    const em = h.orm.em.fork();
    const schema = String(em.config.get('schema'));
    await sql(em, `delete from "${schema}".product_images`);
    await sql(em, `delete from "${schema}".product_categories`);
    await sql(em, `update "${schema}".variants set options = '[]'::jsonb`);
    assert.equal(await seedDemoCatalogue(h.orm.em.fork(), data), 0);
    const [counts] = await sql<{ products: number; images: number; links: number; bare: number }>(
      em,
      `select (select count(*)::int from "${schema}".products) as products,
              (select count(*)::int from "${schema}".product_images) as images,
              (select count(*)::int from "${schema}".product_categories) as links,
              (select count(*)::int from "${schema}".variants where options = '[]'::jsonb) as bare`,
    );
    assert.deepEqual(counts, { products: data.products.length, images: data.products.length, links: 66, bare: 0 });
  });
});
