import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { parseCreateProductInput, parseUpdateProductInput, parseUpdateVariantInput } from './product.input.ts';

const valid = {
  name: ' Trail Runner ',
  price: { amount: 9900, currency: 'USD' },
  categoryIds: ['0B4F4A3E-8A7E-4C4E-9D6A-2F1E3C5B7A90', '0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90'],
  images: [{ url: 'https://cdn.shop.local/a.jpg' }],
  variants: [
    { sku: 'TR-42', options: [{ name: 'Size', value: ' 42 ' }, { name: 'Colour', value: 'Blue' }] },
    { sku: 'TR-44', name: 'Size 44', price: { amount: 10_900, currency: 'USD' } },
  ],
};

describe('create product input', () => {
  it('cleans a valid input: trims, derives variant names, defaults prices, drops repeated categories', () => {
    const { draft, problems } = parseCreateProductInput(valid);
    assert.deepEqual(problems.list, []);
    assert.deepEqual(draft, {
      name: 'Trail Runner',
      slug: undefined,
      description: '',
      priceAmount: 9900,
      currency: 'USD',
      categoryIds: ['0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90'],
      images: [{ url: 'https://cdn.shop.local/a.jpg', altText: '' }],
      variants: [
        { sku: 'TR-42', name: '42 / Blue', options: [{ name: 'Size', value: '42' }, { name: 'Colour', value: 'Blue' }], priceAmount: 9900, currency: 'USD' },
        { sku: 'TR-44', name: 'Size 44', options: [], priceAmount: 10_900, currency: 'USD' },
      ],
    });
  });

  it('names every problem by its path, and the error names the first', () => {
    const { draft, problems } = parseCreateProductInput({
      ...valid,
      slug: 'Not A Slug',
      price: { amount: -5, currency: 'USD' },
      variants: [],
      images: Array.from({ length: 21 }, () => ({ url: 'https://cdn.shop.local/a.jpg' })),
    });
    assert.equal(draft, undefined);
    assert.deepEqual(problems.list.map((p) => p.field), ['input.slug', 'input.price.amount', 'input.images', 'input.variants']);
    assert.throws(
      () => problems.throwIfAny(),
      (error: unknown) =>
        error instanceof GraphQLError &&
        error.extensions.code === 'BAD_USER_INPUT' &&
        error.extensions.field === 'input.slug' &&
        (error.extensions.problems as unknown[]).length === 4,
    );
  });

  it('checks each variant: sku format, repeated skus and option names, currency', () => {
    const { problems } = parseCreateProductInput({
      ...valid,
      variants: [
        { sku: '-bad', name: 'x' },
        { sku: 'OK-1', name: 'x', options: [{ name: 'Size', value: 'M' }, { name: 'SIZE', value: 'L' }] },
        { sku: 'OK-1', name: 'y' },
        { sku: 'OK-2', name: 'z', price: { amount: 100, currency: 'EUR' } },
      ],
    });
    assert.deepEqual(problems.list.map((p) => p.field), [
      'input.variants[0].sku',
      'input.variants[1].options[1].name',
      'input.variants[2].sku',
      'input.variants[3].price.currency',
    ]);
  });
});

describe('update inputs', () => {
  it('change only the fields given (null counts as not given) and keep the product’s currency', () => {
    assert.deepEqual(parseUpdateProductInput({ name: null, description: ' New ' }, 'USD').changes, { description: 'New' });
    assert.deepEqual(parseUpdateProductInput({ price: { amount: 5, currency: 'EUR' } }, 'USD').problems.list.map((p) => p.field), ['input.price.currency']);
    assert.deepEqual(parseUpdateVariantInput({ options: [{ name: 'Size', value: 'M' }] }, 'USD').changes, { options: [{ name: 'Size', value: 'M' }] });
  });
});
