import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildFederationSchema } from '@mercuriusjs/federation';
import { isUnionType } from 'graphql';
import { toMercuriusSdl } from './federation-sdl.ts';

const FED2 = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible"])

"A thing"
type Thing @key(fields: "id") @key(fields: "code", resolvable: false) {
  "its id"
  id: ID!
  "its code"
  code: String!
  "shared"
  label: String @shareable @deprecated(reason: "use name")
  "hidden"
  secret: String @inaccessible
  "parts"
  parts: [String!]! @external
  "count"
  count: Int! @requires(fields: "parts")
  "namespaced"
  tagged: String @federation__tag(name: "x")
}

type Query {
  "one thing"
  thing(id: ID!): Thing
}
`;

describe('toMercuriusSdl', () => {
  const lowered = toMercuriusSdl(FED2);

  it('drops the @link schema extension', () => {
    assert.doesNotMatch(lowered, /@link|extend schema/);
  });

  it('drops Federation 2 directives that mercurius does not define, keeping other directives', () => {
    assert.doesNotMatch(lowered, /@shareable|@inaccessible|@federation__tag|@tag/);
    assert.match(lowered, /label: String @deprecated\(reason: "use name"\)/);
  });

  it('keeps @key with only its fields and keeps @external and @requires', () => {
    assert.match(lowered, /type Thing @key\(fields: "id"\) @key\(fields: "code"\) \{/);
    assert.match(lowered, /parts: \[String!\]! @external/);
    assert.match(lowered, /count: Int! @requires\(fields: "parts"\)/);
  });

  it('keeps descriptions', () => {
    assert.match(lowered, /"A thing"\ntype Thing/);
    assert.match(lowered, /"its id"/);
  });

  it('produces SDL that @mercuriusjs/federation builds, with the keyed type as an entity', () => {
    const schema = buildFederationSchema(lowered);
    const entity = schema.getType('_Entity');
    assert.ok(entity && isUnionType(entity));
    assert.deepEqual(entity.getTypes().map((t) => t.name), ['Thing']);
  });

  it('lowers the inventory schema file into a schema mercurius builds with Variant and Product as entities', () => {
    const schema = buildFederationSchema(toMercuriusSdl(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')));
    const entity = schema.getType('_Entity');
    assert.ok(entity && isUnionType(entity));
    assert.deepEqual(entity.getTypes().map((t) => t.name).sort(), ['Product', 'Variant']);
  });

  it('keeps the inventory schema\'s Subscription type as the schema\'s subscription root', () => {
    const schema = buildFederationSchema(toMercuriusSdl(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')));
    assert.equal(schema.getSubscriptionType()?.name, 'Subscription');
    assert.equal(String(schema.getSubscriptionType()?.getFields().stockChanged?.type), 'StockLevel!');
  });

  it('drops @link from a schema definition and keeps its operation types', () => {
    const sdl = `schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: ["@key"]) { query: Root }
      type Root { "x" x: Int }`;
    const out = toMercuriusSdl(sdl);
    assert.doesNotMatch(out, /@link/);
    assert.match(out, /schema \{\n  query: Root\n\}/);
  });

  it('refuses renamed imports, which it cannot lower faithfully', () => {
    const renamed = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.14", import: [{ name: "@key", as: "@id" }])
      type Query { "x" x: Int }`;
    assert.throws(() => toMercuriusSdl(renamed), /renamed imports/);
  });

  it('refuses a link to another spec', () => {
    const other = `extend schema @link(url: "https://specs.apollo.dev/link/v1.0")
      type Query { "x" x: Int }`;
    assert.throws(() => toMercuriusSdl(other), /only the federation spec/);
  });
});
