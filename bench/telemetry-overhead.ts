/**
 * `node bench/telemetry-overhead.ts`: CPU per request of one subgraph process
 * (products, a catalogue query that runs two SQL statements) with tracing off
 * (no OTEL_EXPORTER_OTLP_ENDPOINT) and on (exporting every span over
 * OTLP/HTTP protobuf to a local receiver), run A B A B. Prints CPU ms per
 * request from /proc (user + system of the service process). Needs the test
 * PostgreSQL (TEST_DATABASE_URL). A benchmark: it prints figures, asserts nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ARGS, ROOT } from '../platform/src/stack/services.ts';
import { dropSchema, freePort, startOtlpReceiver, TEST_DATABASE_URL, uniqueSchemaName } from '../platform/src/testing/index.ts';

const REQUESTS = Number(process.env.REQUESTS ?? 3000);
const CONCURRENCY = 8;
const QUERY = JSON.stringify({ query: 'query Catalogue { products(first: 10) { edges { node { id name variants { sku } } } } }' });

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

async function run(mode: 'off' | 'on', schema: string, endpoint: string): Promise<{ cpuPerRequest: number }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: TEST_DATABASE_URL, PRODUCTS_DATABASE_SCHEMA: schema, SEED_DEMO_DATA: 'true', PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', NODE_ENV: 'test' };
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (mode === 'on') Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, 'subgraphs/products/src/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${metricsPort}/ready`)).ok) break;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const url = `http://127.0.0.1:${port}/graphql`;
  const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY }).then((r) => r.text());
  for (let i = 0; i < 300; i++) await send(); // warm-up
  const before = cpuMs(child.pid!);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < REQUESTS) await send();
  }));
  const cpu = cpuMs(child.pid!) - before;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { cpuPerRequest: cpu / REQUESTS };
}

const receiver = await startOtlpReceiver();
const schema = uniqueSchemaName('bench_otel');
const results: Record<string, number[]> = { off: [], on: [] };
try {
  for (const mode of ['off', 'on', 'off', 'on'] as const) {
    const { cpuPerRequest } = await run(mode, schema, receiver.url);
    results[mode]!.push(cpuPerRequest);
    process.stdout.write(`tracing ${mode}: ${cpuPerRequest.toFixed(3)} ms CPU per request (${REQUESTS} requests, ${CONCURRENCY} in flight)\n`);
  }
} finally {
  await receiver.close();
  await dropSchema(schema);
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
process.stdout.write(`spans received while on: ${receiver.spans.length}\n`);
process.stdout.write(`mean of the runs: off ${mean(results.off!).toFixed(3)} ms, on ${mean(results.on!).toFixed(3)} ms CPU per request\n`);
process.exit(0);
