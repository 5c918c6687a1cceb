import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeResponse } from '@apollo/gateway/dist/resultShaping.js';
import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { ResultShape } from './result-shape.ts';

// The compiled result shape against @apollo/gateway's own computeResponse, on
// merged subgraph data that breaks the schema: nulls in non-null positions
// (which bubble to the nearest nullable parent), values of the wrong type,
// unknown __typenames. Data and errors must come out the same.
const schema = buildSchema(`
  type Query { shop: Shop  items: [Item!]  strict: Shop!  node: Node }
  type Shop { name: String!  rating: Int  items: [Item!]!  tags: [String]! }
  type Item implements Node { id: ID!  sku: String!  stock: Stock  note: String }
  type Stock { available: Int! }
  interface Node { id: ID! }
`);

const QUERY = `query Q($skip: Boolean!) {
  shop { name rating tags items { id sku stock { available } note @skip(if: $skip) } }
  items { __typename id stock { available } }
  strict { name }
  node { __typename id ... on Item { sku } }
}`;

const operation = operationFromDocument(schema, parse(QUERY));
const shape = new ResultShape(operation);

function both(input: Record<string, unknown>, variables: Record<string, unknown>) {
  const stock = computeResponse({ operation, variables, input: structuredClone(input), introspectionHandling: () => null });
  const ours = shape.compute(structuredClone(input), variables);
  const errors = (list: readonly { message: string; path?: readonly (string | number)[] }[]) => list.map((e) => ({ message: e.message, path: e.path }));
  return { stock: { data: JSON.stringify(stock.data), errors: errors(stock.errors) }, ours: { data: JSON.stringify(ours.data), errors: errors(ours.errors) } };
}

const item = (id: string, extra: Record<string, unknown> = {}) => ({ __typename: 'Item', id, sku: `sku-${id}`, stock: { available: 3 }, note: 'n', ...extra });

describe('compiled result shape', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['well-formed data, with @skip', { shop: { name: 'S', rating: 5, tags: ['a', null], items: [item('1'), item('2')] }, items: [item('3')], strict: { name: 'X' }, node: item('4') }, { skip: true }],
    ['a null in a non-null list element: the list and then its nullable parent go null', { shop: { name: 'S', rating: 1, tags: [], items: [item('1'), null] }, items: [item('2')], strict: { name: 'X' }, node: null }, { skip: false }],
    ['a null non-null leaf inside a nested object', { shop: { name: 'S', rating: 1, tags: [], items: [item('1', { stock: { available: null } })] }, items: [item('2', { sku: null })], strict: { name: 'X' }, node: null }, { skip: false }],
    ['a null reaching a non-null root field: data is null', { shop: null, items: null, strict: { name: null }, node: null }, { skip: false }],
    ['a leaf of the wrong type and an unknown __typename', { shop: { name: 'S', rating: 'five', tags: [], items: [] }, items: [{ ...item('1'), __typename: 'Ghost' }], strict: { name: 'X' }, node: item('9') }, { skip: false }],
  ];
  for (const [name, input, variables] of cases) {
    it(`shapes ${name} as @apollo/gateway does`, () => {
      const { stock, ours } = both(input, variables);
      assert.deepEqual(ours, stock);
    });
  }

  it('reports where a null bubbled from', () => {
    const { ours } = both({ shop: { name: 'S', rating: 1, tags: [], items: [item('1'), null] }, items: [], strict: { name: 'X' }, node: null }, { skip: false });
    assert.deepEqual(ours.errors, [{ message: 'Cannot return null for non-nullable array element of type Item at index 1.', path: ['shop', 'items', 1] }]);
    assert.equal(JSON.parse(ours.data).shop, null);
  });
});
