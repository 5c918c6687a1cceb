import { fileURLToPath } from 'node:url';
import { DEFAULT_METRICS_PORTS } from '../config.ts';

/** The processes of the stack, in start order: five subgraphs, then the gateway. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  /** The operator's port (METRICS_PORT): /metrics, /health and /ready; the public port serves none of them. */
  metricsPort: number;
}

export const SUBGRAPH_SPECS: readonly ServiceSpec[] = [
  { name: 'accounts', entry: 'subgraphs/accounts/src/main.ts', port: 4001, metricsPort: DEFAULT_METRICS_PORTS.accounts! },
  { name: 'products', entry: 'subgraphs/products/src/main.ts', port: 4002, metricsPort: DEFAULT_METRICS_PORTS.products! },
  { name: 'orders', entry: 'subgraphs/orders/src/main.ts', port: 4003, metricsPort: DEFAULT_METRICS_PORTS.orders! },
  { name: 'inventory', entry: 'subgraphs/inventory/src/main.ts', port: 4004, metricsPort: DEFAULT_METRICS_PORTS.inventory! },
  { name: 'payments', entry: 'subgraphs/payments/src/main.ts', port: 4005, metricsPort: DEFAULT_METRICS_PORTS.payments! },
];
export const GATEWAY_SPEC: ServiceSpec = { name: 'gateway', entry: 'gateway/src/main.ts', port: 4000, metricsPort: DEFAULT_METRICS_PORTS.gateway! };

/**
 * Node's arguments before a service's entry file: the OpenTelemetry register
 * module, which starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set and
 * does nothing otherwise (see platform/src/telemetry/tracing.ts).
 */
/**
 * A young generation of 32 MB semi-spaces instead of V8's default 16: a
 * request allocates a few hundred kB that die young, and fewer scavenges
 * promote less. bench:checkout (2026-12-02 21:15-21:17 UTC, 1,500 checkouts,
 * A B A B): 4.4 and 4.5 ms of stack CPU per checkout against 5.4 and 5.1, and
 * 295/290 checkouts/s against 242/258. The same flag is in every service's
 * `npm start` and in the container image.
 */
export const HEAP_ARGS: readonly string[] = ['--max-semi-space-size=32'];

export const NODE_ARGS: readonly string[] = [...HEAP_ARGS, '--import', fileURLToPath(new URL('../telemetry/register.ts', import.meta.url))];

/** Where a process reports readiness: /ready on its metrics port (the only port that serves it). */
export function readinessUrl(spec: ServiceSpec): string {
  return `http://127.0.0.1:${spec.metricsPort}/ready`;
}

/** Polls a service's readiness endpoint until it answers 200 or the deadline passes. */
export async function waitUntilReady(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process exited before ${url} was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}
