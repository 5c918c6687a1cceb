import { createHash } from 'node:crypto';
import { sql, type DemoData, type EntityManager } from '@shop/platform';
import { jsonList, tableOf } from '../db.ts';

/**
 * The demo catalogue: the products of deploy/demo/demo-data.json, PUBLISHED,
 * filed in a small category tree, with one image each. The demo file only
 * lists products and variants; the tree, the filing and the option names
 * are derived here from the kind of product (its slug without the first word).
 */
const CATEGORIES: readonly { slug: string; name: string; parent?: string }[] = [
  { slug: 'apparel', name: 'Apparel' },
  { slug: 'footwear', name: 'Footwear', parent: 'apparel' },
  { slug: 'outerwear', name: 'Outerwear', parent: 'apparel' },
  { slug: 'knitwear', name: 'Knitwear', parent: 'apparel' },
  { slug: 'home-kitchen', name: 'Home & Kitchen' },
  { slug: 'kitchen', name: 'Kitchen', parent: 'home-kitchen' },
  { slug: 'lighting', name: 'Lighting', parent: 'home-kitchen' },
  { slug: 'sports-outdoors', name: 'Sports & Outdoors' },
  { slug: 'running', name: 'Running', parent: 'sports-outdoors' },
  { slug: 'bags', name: 'Bags', parent: 'sports-outdoors' },
  { slug: 'fitness', name: 'Fitness', parent: 'sports-outdoors' },
  { slug: 'electronics', name: 'Electronics' },
  { slug: 'audio', name: 'Audio', parent: 'electronics' },
];

const KINDS: Readonly<Record<string, { categories: readonly string[]; option: string }>> = {
  'running-shoe': { categories: ['footwear', 'running'], option: 'Size' },
  'rain-jacket': { categories: ['outerwear'], option: 'Size' },
  'wool-sweater': { categories: ['knitwear'], option: 'Size' },
  'coffee-grinder': { categories: ['kitchen'], option: 'Colour' },
  'chef-knife': { categories: ['kitchen'], option: 'Blade length' },
  'desk-lamp': { categories: ['lighting'], option: 'Colour' },
  backpack: { categories: ['bags'], option: 'Colour' },
  'water-bottle': { categories: ['fitness'], option: 'Capacity' },
  'yoga-mat': { categories: ['fitness'], option: 'Colour' },
  headphones: { categories: ['audio'], option: 'Colour' },
};

/** A stable UUID derived from a name (the scheme of deploy/demo/generate.ts), so re-seeding finds the same rows. */
export function demoUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function kindOf(slug: string) {
  return KINDS[slug.split('-').slice(1).join('-')];
}

/**
 * Seeds the demo catalogue in one transaction. Idempotent: rows are keyed by
 * stable ids and existing ones are left as they are (an admin's later
 * changes survive a restart), so it also completes a catalogue seeded before
 * categories and images existed. Returns the number of products inserted.
 */
export async function seedDemoCatalogue(em: EntityManager, data: DemoData): Promise<number> {
  return em.transactional(async (tem) => {
    const t = tableOf(tem);
    const categories = CATEGORIES.map((c, position) => ({
      id: demoUuid(`category:${c.slug}`),
      parent_id: c.parent ? demoUuid(`category:${c.parent}`) : null,
      name: c.name,
      slug: c.slug,
      position,
    }));
    // Parents come first in CATEGORIES, and one INSERT checks its foreign keys at the end of the statement.
    await sql(
      tem,
      `insert into ${t('categories')} (id, parent_id, name, slug, position)
       select id, parent_id, name, slug, position from jsonb_to_recordset(?::jsonb) as x(id uuid, parent_id uuid, name text, slug text, position integer)
       on conflict do nothing`,
      [jsonList(categories)],
    );
    const inserted = await sql<{ id: string }>(
      tem,
      `insert into ${t('products')} (id, slug, name, description, seller_id, price_amount, currency, status, published_at, created_at, updated_at)
       select id, slug, name, description, seller_id, price_amount, currency, 'PUBLISHED', created_at, created_at, created_at
         from jsonb_to_recordset(?::jsonb)
           as x(id uuid, slug text, name text, description text, seller_id uuid, price_amount integer, currency text, created_at timestamptz)
       on conflict do nothing
       returning id`,
      [
        jsonList(
          data.products.map((p) => ({
            id: p.id,
            slug: p.slug,
            name: p.name,
            description: p.description,
            seller_id: p.sellerId,
            price_amount: p.price.amount,
            currency: p.price.currency,
            created_at: p.createdAt,
          })),
        ),
      ],
    );
    const variants = data.products.flatMap((p) => {
      const option = kindOf(p.slug)?.option ?? 'Option';
      return p.variants.map((v, position) => ({
        sku: v.sku,
        product_id: p.id,
        name: v.name,
        options: [{ name: option, value: option === 'Size' ? v.name.replace(/^Size /, '') : v.name }],
        price_amount: v.price.amount,
        currency: v.price.currency,
        position,
        created_at: p.createdAt,
      }));
    });
    // Variants seeded before options existed get theirs; variants with options are left alone.
    await sql(
      tem,
      `insert into ${t('variants')} (sku, product_id, name, options, price_amount, currency, position, created_at, updated_at)
       select sku, product_id, name, options, price_amount, currency, position, created_at, created_at
         from jsonb_to_recordset(?::jsonb)
           as x(sku text, product_id uuid, name text, options jsonb, price_amount integer, currency text, position integer, created_at timestamptz)
       on conflict (sku) do update set options = excluded.options where ${t('variants')}.options = '[]'::jsonb`,
      [jsonList(variants)],
    );
    // Links and images are added only to products that have none: an admin's own filing is not mixed with the demo's.
    const links = data.products.flatMap((p) => (kindOf(p.slug)?.categories ?? []).map((slug) => ({ product_id: p.id, category_id: demoUuid(`category:${slug}`) })));
    await sql(
      tem,
      `insert into ${t('product_categories')} (product_id, category_id)
       select product_id, category_id from jsonb_to_recordset(?::jsonb) as x(product_id uuid, category_id uuid)
        where not exists (select 1 from ${t('product_categories')} pc where pc.product_id = x.product_id)
       on conflict do nothing`,
      [jsonList(links)],
    );
    const images = data.products.map((p) => ({
      id: demoUuid(`image:${p.slug}:0`),
      product_id: p.id,
      url: `https://cdn.shop.local/images/products/${p.slug}.jpg`,
      alt_text: p.name,
    }));
    await sql(
      tem,
      `insert into ${t('product_images')} (id, product_id, url, alt_text, position)
       select id, product_id, url, alt_text, 0 from jsonb_to_recordset(?::jsonb) as x(id uuid, product_id uuid, url text, alt_text text)
        where not exists (select 1 from ${t('product_images')} i where i.product_id = x.product_id)
       on conflict do nothing`,
      [jsonList(images)],
    );
    return inserted.length;
  });
}
