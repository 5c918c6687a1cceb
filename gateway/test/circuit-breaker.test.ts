import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createLogger } from '@shop/platform';
import { startFaultProxy, type FaultProxy } from '@shop/platform/testing';
import { startGuildSubgraphs } from '../../bench/guild/subgraphs.ts';
import { composeGuildSupergraph } from '../../bench/guild/supergraph.ts';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { createSubgraphBreakers } from '../src/subgraph-client.ts';

// The gateway's circuit breaker per subgraph, on real subgraph servers (the
// Guild benchmark's four) with a fault-injecting proxy in front of one of
// them, inventory: its failures must not take the other subgraphs' data down,
// an open circuit must stop sending to it, and it must close again by itself.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const logger = createLogger('gateway-test', 'silent');
// Five calls in a one-second window are enough to judge; an open circuit tries again after 300 ms.
const BREAKER = { failureRatio: 0.5, windowMs: 1000, minimumRps: 5, halfOpenAfterMs: 300 };
const QUERY = '{ topProducts(first: 2) { upc name inStock } }';

let subgraphs: Awaited<ReturnType<typeof startGuildSubgraphs>>;
let proxy: FaultProxy;
let gateway: Gateway;
let apollo: ApolloServer;

interface Answer {
  data?: { topProducts: { upc: string; name: string; inStock: boolean | null }[] } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function ask(query = QUERY): Promise<Answer> {
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
    context: async () => ({}),
  });
  assert.equal(response.body.kind, 'complete');
  return JSON.parse(response.body.kind === 'complete' ? response.body.string : '{}');
}

/** Asks until the answer has no error (the circuit closed after a successful trial call), at most `attempts` times 100 ms apart. */
async function untilHealthy(attempts: number): Promise<Answer> {
  for (let i = 0; ; i++) {
    const answer = await ask();
    if (!answer.errors) return answer;
    if (i >= attempts) assert.fail(`still failing after ${attempts} attempts: ${JSON.stringify(answer.errors)}`);
    await sleep(100);
  }
}

let healthy: Answer;

before(async () => {
  subgraphs = await startGuildSubgraphs(0);
  const origin = `http://127.0.0.1:${subgraphs.port}`;
  proxy = await startFaultProxy(origin);
  const supergraphPath = join(mkdtempSync(join(tmpdir(), 'circuit-breaker-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, composeGuildSupergraph(origin));
  gateway = createGateway({
    supergraphPath,
    subgraphUrls: { inventory: `${proxy.origin}/inventory` },
    subgraphTimeoutMs: 500,
    logger,
    breakers: createSubgraphBreakers(BREAKER, logger),
  });
  apollo = new ApolloServer({ gateway: gateway.gateway, includeStacktraceInErrorResponses: false });
  await apollo.start();
  healthy = await ask();
  assert.equal(healthy.errors, undefined);
  assert.ok(healthy.data?.topProducts.every((p) => typeof p.inStock === 'boolean'));
});
after(async () => {
  await apollo?.stop();
  await gateway?.close();
  await proxy?.close();
  await subgraphs?.close();
});

const withoutStock = () => healthy.data!.topProducts.map((p) => ({ ...p, inStock: null }));

/** Asks while inventory fails until an answer says its circuit is open (at most 20 times); every answer keeps products' data. Returns the errors seen before. */
async function untilOpen(): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = await ask();
    assert.deepEqual(answer.data?.topProducts, withoutStock(), 'products still answer while inventory fails');
    if (answer.errors?.some((e) => e.extensions?.reason === 'CIRCUIT_OPEN')) return seen;
    seen.push(...(answer.errors ?? []).map((e) => e.message));
  }
  return assert.fail(`the circuit did not open: ${seen.join(' | ')}`);
}

describe('circuit breaker per subgraph at the gateway', () => {
  it('opens after a subgraph answers 500s, then answers at once without calling it, with the other subgraphs\' data; closes again once it recovers', async () => {
    proxy.fault = { kind: 'status', status: 500 };
    const seen = await untilOpen();
    assert.ok(seen.some((message) => /^500: /.test(message)), `the 500s were reported before the circuit opened: ${seen.join(' | ')}`);
    const sent = proxy.received;
    const refused = await ask();
    assert.deepEqual(refused.data?.topProducts, withoutStock(), 'products still answer while inventory fails');
    assert.deepEqual(refused.errors?.map((e) => [e.extensions?.code, e.extensions?.service, e.extensions?.reason]), [['SUBGRAPH_UNAVAILABLE', 'inventory', 'CIRCUIT_OPEN']]);
    assert.equal(proxy.received, sent, 'an open circuit sends nothing to the failing subgraph');

    proxy.fault = { kind: 'none' };
    assert.deepEqual(await untilHealthy(50), healthy);
  });

  it('opens the same way for a subgraph slower than the timeout', async () => {
    proxy.fault = { kind: 'delay', ms: 2_000 };
    const seen = await untilOpen();
    assert.ok(seen.some((message) => /unavailable/.test(message)), `the timeouts were reported before the circuit opened: ${seen.join(' | ')}`);
    proxy.fault = { kind: 'none' };
    assert.deepEqual(await untilHealthy(50), healthy);
  });

  it('sends a query\'s fetch once more when its connection was reset before any answer', async () => {
    const before = proxy.received;
    proxy.fault = { kind: 'reset', count: 1 };
    assert.deepEqual(await ask(), healthy);
    assert.equal(proxy.received - before, 2, 'the reset fetch and its retry');
  });
});
