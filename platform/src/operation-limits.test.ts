import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema, parse } from 'graphql';
import { checkOperationCost } from './operation-limits.ts';

const schema = buildSchema(`
  type Query {
    products(first: Int = 20, after: String): ProductConnection!
    orders(first: Int, after: String): OrderConnection!
    categories: [Category!]!
    stockLevels(skus: [ID!]!): [StockLevel!]!
  }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! }
  type ProductEdge { cursor: String! node: Product! }
  type Product { id: ID! variants: [Variant!]! }
  type Variant { sku: ID! options: [Option!]! }
  type Option { name: String! }
  type OrderConnection { edges: [OrderEdge!]! }
  type OrderEdge { node: Order! }
  type Order { id: ID! }
  type Category { name: String! children: [Category!]! }
  type StockLevel { sku: ID! available: Int! }
`);
/** The estimated cost, read from the refusal under a limit of 0. */
function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const [error] = checkOperationCost(schema, parse(query), variables, { maxCost: 0 });
  return Number(/cost is (\d+)/.exec(error!.message)![1]);
}

describe('operation cost', () => {
  it('multiplies a connection by the page asked for, counting its edges once', () => {
    assert.equal(costOf('{ products(first: 100) { edges { node { id } } } }'), 1 + 100 * (1 + 1 * (1 + 1)));
    assert.equal(costOf('query($n: Int) { products(first: $n) { nodes { id } } }', { n: 7 }), 1 + 7 * (1 + 1));
  });

  it("multiplies a connection asked without a page by the schema's default for first, else by the largest page", () => {
    assert.equal(costOf('{ products { edges { cursor } } }'), 1 + 20 * (1 + 1));
    assert.equal(costOf('{ orders { edges { node { id } } } }'), 1 + 100 * (1 + 1 * (1 + 1)));
  });

  it('multiplies a plain list field by an assumed size of 10, so lists nested in lists add up', () => {
    assert.equal(costOf('{ categories { name } }'), 1 + 10 * 1);
    assert.equal(costOf('{ categories { children { children { children { name } } } } }'), 1 + 10 * (1 + 10 * (1 + 10 * (1 + 10 * 1))));
    assert.equal(costOf('{ products(first: 100) { edges { node { variants { options { name } } } } } }'), 1 + 100 * (1 + (1 + (1 + 10 * (1 + 10 * 1)))));
  });

  it('multiplies a list field by the length of the list it is given', () => {
    assert.equal(costOf('{ stockLevels(skus: ["a", "b", "c"]) { sku available } }'), 1 + 3 * 2);
    assert.equal(costOf('query($s: [ID!]!) { stockLevels(skus: $s) { sku } }', { s: Array(50).fill('x') }), 1 + 50 * 1);
  });

  it('follows fragments and inline fragments with their type conditions', () => {
    const query = '{ categories { ...C } } fragment C on Category { children { ... on Category { name } } }';
    assert.equal(costOf(query), 1 + 10 * (1 + 10 * 1));
  });

  it('counts unknown fields as single values (validation reports them)', () => {
    assert.equal(costOf('{ nope { deeper { name } } }'), 1 + (1 + 1));
  });
});
