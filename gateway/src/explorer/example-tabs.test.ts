import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { exampleVariables, loadExampleTabs, OPERATIONS_DIR } from './example-tabs.ts';

const operationOf = (query: string) => parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
const demo = loadDemoData();

describe('example tabs from the contract operations', () => {
  const tabs = loadExampleTabs(OPERATIONS_DIR, demo);
  const byName = new Map(tabs.map((tab) => [operationOf(tab.query).name!.value, tab]));
  const variablesOf = (name: string) => JSON.parse(byName.get(name)!.variables ?? '{}') as Record<string, unknown>;

  it('gives every operation document a tab, ProductList first with {"first": 10}', () => {
    const files = readdirSync(OPERATIONS_DIR).filter((file) => file.endsWith('.graphql'));
    assert.deepEqual([...byName.keys()].sort(), files.map((file) => file.replace(/\.graphql$/, '')).sort());
    assert.equal(operationOf(tabs[0]!.query).name?.value, 'ProductList');
    assert.deepEqual(JSON.parse(tabs[0]!.variables!), { first: 10 });
  });

  it('fills in every required variable and leaves the optional ones out', () => {
    for (const tab of tabs) {
      const operation = operationOf(tab.query);
      const required = (operation.variableDefinitions ?? []).filter((d) => d.type.kind === Kind.NON_NULL_TYPE && !d.defaultValue).map((d) => d.variable.name.value);
      assert.deepEqual(Object.keys(JSON.parse(tab.variables!)).sort(), required.sort(), operation.name?.value);
    }
  });

  it('takes ids, skus and the sign-in from the demo data so the tabs run as they open', () => {
    const product = demo.products[0]!;
    assert.equal(variablesOf('ProductPage').id, product.id);
    assert.deepEqual(variablesOf('StockChanged').skus, product.variants.map((v) => v.sku));
    assert.ok(product.variants.some((v) => v.sku === variablesOf('Restock').sku));
    assert.deepEqual(variablesOf('SignIn'), { email: demo.users.find((u) => u.role === 'CUSTOMER')!.email, password: DEMO_PASSWORD });
    assert.notEqual(variablesOf('SignUp').email, variablesOf('SignIn').email, 'signing up must not collide with a demo account');
  });

  it('says how to send a token on operations that need a signed-in user, and only there', () => {
    for (const name of ['PlaceOrder', 'MyOrders', 'Restock']) assert.match(byName.get(name)!.query, /^# Needs .*"Authorization": "Bearer <accessToken>"/, name);
    for (const name of ['ProductList', 'ProductPage', 'SignIn']) assert.doesNotMatch(byName.get(name)!.query, /^#/, name);
    assert.equal(tabs.some((tab) => tab.headers !== undefined), false, 'no placeholder token that would break introspection');
  });

  it('opens without the demo data set, with placeholders', () => {
    const bare = loadExampleTabs(OPERATIONS_DIR, undefined);
    assert.equal(bare.length, tabs.length);
    for (const tab of bare) assert.doesNotThrow(() => JSON.parse(tab.variables!));
  });
});

describe('example variables for an operation the explorer knows nothing about', () => {
  it('gives each required variable a value of its type', () => {
    const operation = operationOf('query Q($n: Int!, $ids: [ID!]!, $flag: Boolean!, $input: SomeInput!, $optional: String, $defaulted: Int! = 3) { a }');
    assert.deepEqual(exampleVariables(operation, {}), { n: 1, ids: [''], flag: true, input: {} });
  });

  it('prefers the operation’s own sample, then the common sample by name', () => {
    const operation = operationOf('mutation M($email: String!, $name: String!) { a }');
    assert.deepEqual(exampleVariables(operation, { email: 'common@example.com', name: 'Common' }, { name: 'Own' }), { email: 'common@example.com', name: 'Own' });
  });
});
