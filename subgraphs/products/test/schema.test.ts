import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeServices } from '@apollo/composition';
import { parse, validate } from 'graphql';
import { typeDefs } from '../src/server.ts';

/**
 * The SDL composes with @apollo/composition 2.14 beside the subgraphs it
 * meets in the client contract (stubbed here with just the fields the
 * contract reads from them), keeps `@cacheControl` in the supergraph, and
 * serves the contract's catalogue operations exactly as written.
 */
const ACCOUNTS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key"])
  type User @key(fields: "id") { id: ID! name: String! }
  type Query { me: User }
`;
const INVENTORY = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key", "@external", "@requires"])
  type Product @key(fields: "id") {
    id: ID!
    variants: [Variant!]! @external
    inStock: Boolean! @requires(fields: "variants { sku }")
  }
  type Variant @key(fields: "sku") { sku: ID! stock: StockLevel! }
  type StockLevel { sku: ID! available: Int! }
  type Query { stockLevels(skus: [ID!]!): [StockLevel!]! }
`;

// The client contract's catalogue operations (schema/operations): they must validate exactly as written.
const CONTRACT = ['ProductList', 'ProductPage']
  .map((name) => readFileSync(new URL(`../../../schema/operations/${name}.graphql`, import.meta.url), 'utf8'))
  .join('\n');

function compose() {
  return composeServices([
    { name: 'products', url: 'http://products/graphql', typeDefs: parse(typeDefs) },
    { name: 'accounts', url: 'http://accounts/graphql', typeDefs: parse(ACCOUNTS) },
    { name: 'inventory', url: 'http://inventory/graphql', typeDefs: parse(INVENTORY) },
  ]);
}

describe('products schema', () => {
  it('composes into a supergraph that keeps @cacheControl', () => {
    const result = compose();
    assert.equal(result.errors, undefined, result.errors?.map((e) => e.message).join('\n'));
    assert.match(result.supergraphSdl!, /@link\(url: "https:\/\/shop\.local\/cache\/v1\.0", import: \["@cacheControl"\]\)/);
    assert.match(result.supergraphSdl!, /directive @cacheControl\(/);
    assert.match(result.supergraphSdl!, /type Product[^{]*@cacheControl\(maxAge: 300\)/);
  });

  it('serves the contract operations ProductList and ProductPage as written', () => {
    const result = compose();
    assert.equal(result.errors, undefined);
    const apiSchema = result.schema!.toAPISchema().toGraphQLJSSchema();
    assert.deepEqual(validate(apiSchema, parse(CONTRACT)).map((e) => e.message), []);
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    const document = parse(typeDefs);
    for (const definition of document.definitions) {
      if (!('name' in definition) || !definition.name) continue;
      const type = definition.name.value;
      if (!('description' in definition) || !definition.description) missing.push(type);
      const members = 'fields' in definition ? definition.fields : 'values' in definition ? definition.values : 'arguments' in definition ? definition.arguments : [];
      for (const member of members ?? []) {
        if (!member.description) missing.push(`${type}.${member.name.value}`);
        for (const argument of 'arguments' in member ? (member.arguments ?? []) : []) {
          if (!argument.description) missing.push(`${type}.${member.name.value}(${argument.name.value})`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });
});
