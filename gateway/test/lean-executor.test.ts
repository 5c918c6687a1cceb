import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createLogger } from '@shop/platform';
import { startGuildSubgraphs } from '../../bench/guild/subgraphs.ts';
import { composeGuildSupergraph } from '../../bench/guild/supergraph.ts';
import { createGateway, type ExecutorKind, type Gateway } from '../src/gateway.ts';
import { planKey } from '../src/query-plans.ts';

// The lean executor against @apollo/gateway's own, on real subgraph servers
// (the Guild benchmark's four, bench/guild): every answer must be the same
// bytes, whatever the operation exercises.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const GUILD_QUERY = readFileSync(new URL('../../bench/guild/query.graphql', import.meta.url), 'utf8');
const logger = createLogger('gateway-test', 'silent');

let subgraphs: Awaited<ReturnType<typeof startGuildSubgraphs>>;
let supergraphPath: string;
const servers: { gateway: Gateway; apollo: ApolloServer }[] = [];

async function startGateway(executor: ExecutorKind, subgraphUrls: Record<string, string> = {}) {
  const gateway = createGateway({ supergraphPath, subgraphUrls, subgraphTimeoutMs: 2_000, logger, executor });
  const apollo = new ApolloServer({ gateway: gateway.gateway, includeStacktraceInErrorResponses: false });
  await apollo.start();
  servers.push({ gateway, apollo });
  return { gateway, apollo };
}

async function answer(apollo: ApolloServer, query: string, variables?: Record<string, unknown>): Promise<string> {
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: variables ? { query, variables } : { query } },
    context: async () => ({}),
  });
  assert.equal(response.body.kind, 'complete');
  return response.body.kind === 'complete' ? response.body.string : '';
}

/** The lean executor, not the stock fallback, answered: the operation's compiled plan is cached. */
function ranLean(gateway: Gateway, query: string): void {
  const operationName = /^\s*query\s+(\w+)/m.exec(query)?.[1];
  const plan = gateway.queryPlans()?.cached(planKey(createHash('sha256').update(query).digest('hex'), operationName ?? null));
  assert.ok(plan && plan !== 'stock', 'the lean executor ran this operation');
}

before(async () => {
  subgraphs = await startGuildSubgraphs(0);
  supergraphPath = join(mkdtempSync(join(tmpdir(), 'lean-executor-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, composeGuildSupergraph(`http://127.0.0.1:${subgraphs.port}`));
});
after(async () => {
  for (const { apollo, gateway } of servers) {
    await apollo.stop();
    await gateway.close();
  }
  await subgraphs?.close();
});

describe('lean query plan executor', () => {
  const cases: [string, string, Record<string, unknown>?][] = [
    ['the Guild benchmark query (16 fetches, @requires, @provides)', GUILD_QUERY],
    ['aliases, __typename and a repeated field merged from two fragments', '{ a: topProducts(first: 2) { __typename upc n: name ... on Product { name reviews { id t: __typename } } } users { name ...U } } fragment U on User { id name }'],
    ['@skip and @include from variables', 'query Q($s: Boolean!, $i: Boolean = false) { topProducts { upc name @skip(if: $s) weight @include(if: $i) inStock @include(if: $s) } }', { s: true }],
    ['an argument from a variable and a nested entity join', 'query Q($first: Int) { topProducts(first: $first) { name shippingEstimate reviews { author { username name } } } }', { first: 3 }],
    ['an entity that does not exist (null from the subgraph)', '{ user(id: "404") { id name reviews { id } } }'],
    ['a variable of the wrong type (refused before planning)', 'query Q($first: Int) { topProducts(first: $first) { upc } }', { first: 'three' }],
  ];
  let lean: { apollo: ApolloServer; gateway: Gateway };
  let stock: { apollo: ApolloServer };
  before(async () => {
    lean = await startGateway('lean');
    stock = await startGateway('stock');
  });
  for (const [name, query, variables] of cases) {
    it(`answers ${name} byte for byte as the stock executor does`, async () => {
      const expected = await answer(stock.apollo, query, variables);
      assert.equal(await answer(lean.apollo, query, variables), expected);
      // The second answer comes from the cached plan.
      assert.equal(await answer(lean.apollo, query, variables), expected);
      ranLean(lean.gateway, query);
    });
  }

  it('leaves an operation with a field answered as __proto__ to the stock executor (its output objects are plain ones), with the same answer', async () => {
    const query = 'query Proto { topProducts(first: 2) { __proto__: name upc } }';
    const expected = await answer(stock.apollo, query);
    assert.match(expected, /"__proto__":"Table"/);
    assert.equal(await answer(lean.apollo, query), expected);
    assert.equal(lean.gateway.queryPlans()?.cached(planKey(createHash('sha256').update(query).digest('hex'), 'Proto')), 'stock');
  });

  it('answers like the stock executor when a subgraph cannot be reached: SUBGRAPH_UNAVAILABLE naming it, with the rest of the data', async () => {
    const down = { inventory: 'http://127.0.0.1:1/inventory' };
    const leanDown = await startGateway('lean', down);
    const stockDown = await startGateway('stock', down);
    const query = '{ topProducts(first: 1) { name inStock } }';
    const expected = await answer(stockDown.apollo, query);
    assert.match(expected, /SUBGRAPH_UNAVAILABLE/);
    assert.equal(await answer(leanDown.apollo, query), expected);
    ranLean(leanDown.gateway, query);
  });

  it('plans the warm-up operations when the supergraph loads, so their first request finds its plan cached', async () => {
    const gateway = createGateway({
      supergraphPath,
      subgraphUrls: {},
      subgraphTimeoutMs: 2_000,
      logger,
      warmOperations: () => [
        { name: 'TestQuery', type: 'query', body: GUILD_QUERY },
        { name: 'Top', type: 'query', body: 'query Top { topProducts { upc } }' },
      ],
    });
    const apollo = new ApolloServer({ gateway: gateway.gateway });
    await apollo.start();
    servers.push({ gateway, apollo });
    assert.equal(gateway.queryPlans()?.size, 2);
    await answer(apollo, GUILD_QUERY);
    assert.equal(gateway.queryPlans()?.size, 2, 'the request used the warmed plan instead of planning again');
    await answer(apollo, '{ users { id } }');
    assert.equal(gateway.queryPlans()?.size, 3);
  });

  it('plans the warm-up operations again when the supergraph file changes and reloads', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lean-executor-reload-')), 'supergraph.graphql');
    writeFileSync(path, readFileSync(supergraphPath, 'utf8'));
    const gateway = createGateway({
      supergraphPath: path,
      subgraphUrls: {},
      subgraphTimeoutMs: 2_000,
      logger,
      pollIntervalMs: 50,
      warmOperations: () => [{ name: 'TestQuery', type: 'query', body: GUILD_QUERY }],
    });
    const apollo = new ApolloServer({ gateway: gateway.gateway });
    await apollo.start();
    servers.push({ gateway, apollo });
    const first = gateway.queryPlans();
    assert.equal(first?.size, 1);
    await answer(apollo, '{ users { id } }');
    assert.equal(first?.size, 2);
    writeFileSync(path, `${readFileSync(supergraphPath, 'utf8')}\n# reloaded\n`);
    // The file is polled: wait for the reload, however long the machine takes.
    while (gateway.queryPlans() === first) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gateway.queryPlans()?.size, 1, 'the new supergraph starts with the warmed plans only');
    assert.equal(await answer(apollo, GUILD_QUERY), await answer(apollo, GUILD_QUERY));
    assert.equal(gateway.queryPlans()?.size, 1, 'the warmed plan served the request');
  });
});
