import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type ServiceProcess, type TestStack } from '@shop/platform/testing';

// Every process of the real stack on its own metrics port: Prometheus text
// with latency histograms there, nothing of it on the public port.
let stack: TestStack;
let processes: [string, ServiceProcess][];

before(async () => {
  stack = await startTestStack();
  processes = [['gateway', stack.gateway], ...Object.entries(stack.subgraphs)];
  // One GraphQL request on every public port, so every histogram has observations.
  const query = JSON.stringify({ query: 'query Probe { __typename }' });
  for (const [, process] of processes) {
    const response = await fetch(process.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    assert.equal(response.status, 200, `${process.spec.name} answers { __typename }`);
  }
});
after(() => stack?.stop());

/** The value of the first sample of `name` that carries every label in `labels` (in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const match of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
    if (Object.entries(labels).every(([key, value]) => match[1]!.split(',').includes(`${key}="${value}"`))) return Number(match[2]);
  }
  return undefined;
}

async function scrape(process: ServiceProcess): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${process.metricsUrl}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('metrics port', () => {
  it('serves Prometheus text on every process with HTTP and GraphQL duration histograms, labelled with the service', async () => {
    for (const [name, process] of processes) {
      const { status, contentType, text } = await scrape(process);
      assert.equal(status, 200, name);
      assert.match(contentType ?? '', /^text\/plain; version=0\.0\.4/, name);
      assert.match(text, /^# TYPE http_server_request_duration_seconds histogram$/m, `${name}: HTTP histogram`);
      const http = { http_request_method: 'POST', http_route: '/graphql', http_response_status_code: '200', service: name };
      assert.ok((sample(text, 'http_server_request_duration_seconds_bucket', { ...http, le: '+Inf' }) ?? 0) >= 1, `${name}: a POST /graphql observation`);
      assert.match(text, /^# TYPE graphql_operation_duration_seconds histogram$/m, `${name}: GraphQL histogram`);
      const operation = { graphql_operation_name: 'Probe', graphql_operation_type: 'query', outcome: 'ok', service: name };
      assert.ok((sample(text, 'graphql_operation_duration_seconds_count', operation) ?? 0) >= 1, `${name}: the Probe operation by name, type and outcome`);
      assert.match(text, /^nodejs_eventloop_lag_p99_seconds\{service="[a-z]+"\} /m, `${name}: event loop lag`);
      assert.match(text, /^# TYPE nodejs_gc_duration_seconds histogram$/m, `${name}: GC pauses`);
      assert.match(text, /^nodejs_heap_size_used_bytes\{service="[a-z]+"\} \d+/m, `${name}: heap`);
    }
  });

  it('records the gateway subgraph fetches per subgraph', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Catalogue { products(first: 2) { edges { node { name variants { sku stock { available } } } } } }' }),
    });
    assert.equal(response.status, 200);
    const { text } = await scrape(stack.gateway);
    for (const subgraph of ['products', 'inventory']) {
      assert.ok((sample(text, 'graphql_gateway_subgraph_execute_duration_seconds_count', { subgraph_name: subgraph, outcome: 'ok' }) ?? 0) >= 1, subgraph);
    }
  });

  it('serves readiness and liveness there', async () => {
    for (const [name, process] of processes) {
      const ready = await fetch(`${process.metricsUrl}/ready`);
      assert.equal(ready.status, 200, name);
      assert.equal(((await ready.json()) as { status: string }).status, 'ready', name);
      assert.deepEqual(await (await fetch(`${process.metricsUrl}/health`)).json(), { status: 'ok' }, name);
    }
  });
});

describe('public port', () => {
  it('serves neither /metrics nor /health nor /ready on any process', async () => {
    for (const [name, process] of processes) {
      const base = process.url.replace(/\/graphql$/, '');
      for (const path of ['/metrics', '/health', '/ready']) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 404, `${name} ${path}`);
        assert.doesNotMatch(await response.text(), /# TYPE|"checks"/, `${name} ${path}`);
      }
    }
  });
});
