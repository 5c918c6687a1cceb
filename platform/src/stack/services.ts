import { fileURLToPath } from 'node:url';

/** The processes of the stack, in start order: five subgraphs, then the gateway. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
}

export const SUBGRAPH_SPECS: readonly ServiceSpec[] = [
  { name: 'accounts', entry: 'subgraphs/accounts/src/main.ts', port: 4001 },
  { name: 'products', entry: 'subgraphs/products/src/main.ts', port: 4002 },
  { name: 'orders', entry: 'subgraphs/orders/src/main.ts', port: 4003 },
  { name: 'inventory', entry: 'subgraphs/inventory/src/main.ts', port: 4004 },
  { name: 'payments', entry: 'subgraphs/payments/src/main.ts', port: 4005 },
];
export const GATEWAY_SPEC: ServiceSpec = { name: 'gateway', entry: 'gateway/src/main.ts', port: 4000 };

/** Polls a service's readiness endpoint until it answers 200 or the deadline passes. */
export async function waitUntilReady(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process exited before ${url} was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}
