import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Viewer } from '@shop/platform';
import { insertCategory, insertProduct } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let footwear: string;
before(async () => {
  h = await startHarness('mutations');
  footwear = await insertCategory(h.orm, 'Footwear');
});
after(() => h?.close());

const CREATE = `mutation($input: CreateProductInput!) {
  createProduct(input: $input) {
    id slug name description status publishedAt price { amount currency } seller { id }
    variants { sku name options { name value } price { amount currency } }
    categories { id } images { url altText position }
  }
}`;

function shoeInput(skuPrefix: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'Trail Runner',
    description: 'Grippy trail running shoe.',
    price: { amount: 9900, currency: 'USD' },
    categoryIds: [footwear],
    images: [{ url: 'https://cdn.shop.local/images/trail-runner.jpg', altText: 'Trail Runner, side view' }],
    variants: [
      { sku: `${skuPrefix}-42`, options: [{ name: 'Size', value: '42' }, { name: 'Colour', value: 'Blue' }] },
      { sku: `${skuPrefix}-44`, name: 'Size 44', options: [{ name: 'Size', value: '44' }], price: { amount: 10_900, currency: 'USD' } },
    ],
    ...extra,
  };
}

async function createProduct(viewer: Viewer, skuPrefix: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await h.request(CREATE, { input: shoeInput(skuPrefix, extra) }, viewer);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.createProduct.id;
}

describe('product mutations', () => {
  it('a seller creates a draft with variants, categories and images, and publishes it', async () => {
    const seller = h.viewer('SELLER');
    const { body } = await h.request(CREATE, { input: shoeInput('TRAIL') }, seller);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const created = body.data!.createProduct;
    assert.deepEqual(created, {
      id: created.id,
      slug: 'trail-runner',
      name: 'Trail Runner',
      description: 'Grippy trail running shoe.',
      status: 'DRAFT',
      publishedAt: null,
      price: { amount: 9900, currency: 'USD' },
      seller: { id: seller.userId },
      variants: [
        { sku: 'TRAIL-42', name: '42 / Blue', options: [{ name: 'Size', value: '42' }, { name: 'Colour', value: 'Blue' }], price: { amount: 9900, currency: 'USD' } },
        { sku: 'TRAIL-44', name: 'Size 44', options: [{ name: 'Size', value: '44' }], price: { amount: 10_900, currency: 'USD' } },
      ],
      categories: [{ id: footwear }],
      images: [{ url: 'https://cdn.shop.local/images/trail-runner.jpg', altText: 'Trail Runner, side view', position: 0 }],
    });

    const read = 'query($id: ID!) { product(id: $id) { id status } }';
    assert.deepEqual((await h.request(read, { id: created.id })).body, { data: { product: null } });
    const published = await h.request('mutation($id: ID!) { publishProduct(id: $id) { status publishedAt } }', { id: created.id }, seller);
    assert.equal(published.body.data!.publishProduct.status, 'PUBLISHED');
    assert.equal(published.body.data!.publishProduct.publishedAt, h.clock.now.toISOString());
    assert.deepEqual((await h.request(read, { id: created.id })).body, { data: { product: { id: created.id, status: 'PUBLISHED' } } });

    // A second product of the same name gets a slug of its own.
    const again = await h.request(CREATE, { input: shoeInput('TRAIL-B') }, seller);
    assert.match(again.body.data!.createProduct.slug, /^trail-runner-[0-9a-f]{8}$/);
  });

  it('customers are FORBIDDEN and anonymous callers UNAUTHENTICATED, for every mutation', async () => {
    const product = await insertProduct(h.orm, { name: 'Guarded', variants: [{ sku: 'GUARD-1', name: 'One' }] });
    const mutations: [string, Record<string, unknown>][] = [
      [CREATE, { input: shoeInput('GUARD-NEW') }],
      ['mutation($id: ID!) { updateProduct(id: $id, input: { name: "x" }) { id } }', { id: product }],
      ['mutation($id: ID!) { publishProduct(id: $id) { id } }', { id: product }],
      ['mutation($id: ID!) { archiveProduct(id: $id) { id } }', { id: product }],
      ['mutation($id: ID!) { addVariant(productId: $id, input: { sku: "GUARD-2", name: "Two" }) { sku } }', { id: product }],
      ['mutation { updateVariant(sku: "GUARD-1", input: { name: "Uno" }) { sku } }', {}],
      ['mutation { createCategory(input: { name: "Nope" }) { id } }', {}],
    ];
    for (const [mutation, variables] of mutations) {
      const anonymous = await h.request(mutation, variables);
      assert.equal(anonymous.body.data, null);
      assert.equal(anonymous.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', mutation);
      const customer = await h.request(mutation, variables, h.viewer('CUSTOMER'));
      assert.equal(customer.body.errors?.[0]?.extensions?.code, 'FORBIDDEN', mutation);
    }
    // Nothing changed.
    const { body } = await h.request('{ _entities(representations: [{ __typename: "Variant", sku: "GUARD-1" }]) { ... on Variant { name product { name variants { sku } } } } }');
    assert.deepEqual(body.data!._entities, [{ name: 'One', product: { name: 'Guarded', variants: [{ sku: 'GUARD-1' }] } }]);
  });

  it('a seller may change only their own products; admins may change any', async () => {
    const owner = h.viewer('SELLER');
    const id = await createProduct(owner, 'OWN');
    const otherSeller = h.viewer('SELLER');
    const update = 'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { name price { amount } } }';
    for (const [mutation, variables] of [
      [update, { id, input: { name: 'Stolen' } }],
      ['mutation($id: ID!) { publishProduct(id: $id) { id } }', { id }],
      ['mutation($id: ID!) { archiveProduct(id: $id) { id } }', { id }],
      ['mutation($id: ID!) { addVariant(productId: $id, input: { sku: "OWN-46", name: "46" }) { sku } }', { id }],
      ['mutation { updateVariant(sku: "OWN-42", input: { name: "Mine" }) { sku } }', {}],
    ] as const) {
      const { body } = await h.request(mutation, variables, otherSeller);
      assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', mutation);
    }
    const byOwner = await h.request(update, { id, input: { name: 'Trail Runner 2', price: { amount: 9500, currency: 'USD' } } }, owner);
    assert.deepEqual(byOwner.body, { data: { updateProduct: { name: 'Trail Runner 2', price: { amount: 9500 } } } });
    const byAdmin = await h.request(update, { id, input: { name: 'Trail Runner 3' } }, h.viewer('ADMIN'));
    assert.deepEqual(byAdmin.body, { data: { updateProduct: { name: 'Trail Runner 3', price: { amount: 9500 } } } });
    const missing = await h.request(update, { id: randomUUID(), input: { name: 'Ghost' } }, owner);
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('only admins create products for another seller', async () => {
    const someone = randomUUID();
    const seller = await h.request(CREATE, { input: shoeInput('FOR-S', { sellerId: someone }) }, h.viewer('SELLER'));
    assert.equal(seller.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const admin = await h.request(CREATE, { input: shoeInput('FOR-A', { sellerId: someone }) }, h.viewer('ADMIN'));
    assert.equal(admin.body.data!.createProduct.seller.id, someone);
  });

  it('invalid input is BAD_USER_INPUT naming each problem by its field', async () => {
    const input = {
      name: '   ',
      price: { amount: 1000, currency: 'usd' },
      categoryIds: ['shoes', randomUUID()],
      images: [{ url: 'http://insecure.example/img.jpg' }],
      variants: [
        { sku: 'BAD-1', name: 'One', price: { amount: 1000, currency: 'EUR' } },
        { sku: 'BAD-1', name: 'Again' },
        { sku: 'bad sku!', options: [{ name: 'Size', value: 'M' }, { name: 'size', value: 'L' }] },
        { sku: 'BAD-4' },
      ],
    };
    const { body } = await h.request(CREATE, { input }, h.viewer('SELLER'));
    assert.equal(body.data, null);
    const error = body.errors![0]!;
    assert.equal(error.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(error.extensions?.field, 'input.name');
    assert.deepEqual(
      (error.extensions?.problems as { field: string }[]).map((p) => p.field),
      [
        'input.name',
        'input.price.currency',
        'input.categoryIds[0]',
        'input.images[0].url',
        'input.variants[0].price.currency',
        'input.variants[1].sku',
        'input.variants[2].sku',
        'input.variants[2].options[1].name',
        'input.variants[3].name',
      ],
    );
    assert.match(error.message, /"input.name" must not be blank. \(and 8 more problems\)/);
  });

  it('taken skus and slugs and unknown categories are BAD_USER_INPUT on their field', async () => {
    const seller = h.viewer('SELLER');
    await createProduct(seller, 'TAKEN', { slug: 'taken-slug' });
    const unknownCategory = randomUUID();
    const { body } = await h.request(
      CREATE,
      { input: shoeInput('TAKEN', { slug: 'taken-slug', categoryIds: [footwear, unknownCategory] }) },
      seller,
    );
    assert.deepEqual(
      (body.errors![0]!.extensions?.problems as { field: string }[]).map((p) => p.field),
      ['input.categoryIds[1]', 'input.variants[0].sku', 'input.variants[1].sku', 'input.slug'],
    );
    const id = await createProduct(seller, 'TAKEN2');
    const addTaken = await h.request('mutation($id: ID!) { addVariant(productId: $id, input: { sku: "TAKEN-42", name: "Dup" }) { sku } }', { id }, seller);
    assert.equal(addTaken.body.errors?.[0]?.extensions?.field, 'input.sku');
  });

  it('addVariant and updateVariant keep the product’s currency', async () => {
    const seller = h.viewer('SELLER');
    const id = await createProduct(seller, 'VAR');
    const added = await h.request(
      'mutation($id: ID!) { addVariant(productId: $id, input: { sku: "VAR-46", options: [{ name: "Size", value: "46" }] }) { sku name price { amount } product { variants { sku } } } }',
      { id },
      seller,
    );
    assert.deepEqual(added.body, {
      data: { addVariant: { sku: 'VAR-46', name: '46', price: { amount: 9900 }, product: { variants: [{ sku: 'VAR-42' }, { sku: 'VAR-44' }, { sku: 'VAR-46' }] } } },
    });
    const update = 'mutation($input: UpdateVariantInput!) { updateVariant(sku: "VAR-46", input: $input) { name options { value } price { amount currency } } }';
    const wrongCurrency = await h.request(update, { input: { price: { amount: 5000, currency: 'EUR' } } }, seller);
    assert.equal(wrongCurrency.body.errors?.[0]?.extensions?.field, 'input.price.currency');
    const updated = await h.request(update, { input: { name: 'Size 46', price: { amount: 8900, currency: 'USD' } } }, seller);
    assert.deepEqual(updated.body, { data: { updateVariant: { name: 'Size 46', options: [{ value: '46' }], price: { amount: 8900, currency: 'USD' } } } });
    const missing = await h.request('mutation { updateVariant(sku: "NO-SUCH", input: { name: "x" }) { sku } }', {}, seller);
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('archiving withdraws a product from the catalogue; publishing relists it', async () => {
    const seller = h.viewer('SELLER');
    const id = await createProduct(seller, 'ARCH');
    const publish = 'mutation($id: ID!) { publishProduct(id: $id) { status } }';
    const archive = 'mutation($id: ID!) { archiveProduct(id: $id) { status } }';
    await h.request(publish, { id }, seller);
    assert.deepEqual((await h.request(archive, { id }, seller)).body, { data: { archiveProduct: { status: 'ARCHIVED' } } });
    assert.deepEqual((await h.request(archive, { id }, seller)).body, { data: { archiveProduct: { status: 'ARCHIVED' } } });
    const list = await h.request('query($seller: ID!) { products(first: 5, filter: { sellerId: $seller }) { edges { node { id } } } }', { seller: seller.userId });
    assert.deepEqual(list.body.data!.products.edges, []);
    assert.deepEqual((await h.request(publish, { id }, seller)).body, { data: { publishProduct: { status: 'PUBLISHED' } } });
  });

  it('admins add categories to the tree', async () => {
    const admin = h.viewer('ADMIN');
    const create = 'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name slug parent { id } } }';
    const root = await h.request(create, { input: { name: 'Garden & Patio' } }, admin);
    assert.deepEqual(root.body.data!.createCategory, { id: root.body.data!.createCategory.id, name: 'Garden & Patio', slug: 'garden-patio', parent: null });
    const child = await h.request(create, { input: { name: 'Hoses', parentId: root.body.data!.createCategory.id } }, admin);
    assert.equal(child.body.data!.createCategory.parent.id, root.body.data!.createCategory.id);
    const duplicate = await h.request(create, { input: { name: 'Garden Patio' } }, admin);
    assert.equal(duplicate.body.errors?.[0]?.extensions?.field, 'input.slug');
    const bySeller = await h.request(create, { input: { name: 'Mine' } }, h.viewer('SELLER'));
    assert.equal(bySeller.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
