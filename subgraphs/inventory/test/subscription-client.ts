import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What the gateway sends as the primary fetch of the contract's `StockChanged` (its query plan). */
export const GATEWAY_STOCK_CHANGED =
  'subscription StockChanged__inventory__0($skus:[ID!]!){stockChanged(skus:$skus){sku available variant{__typename sku}}}';

type Result = { data?: Record<string, any> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

export interface TestSubscription {
  /** The next event, or a failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Result>;
  /** Resolves with the error list the server ended the subscription with. */
  failure(timeoutMs?: number): Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>;
  /** True when no event is waiting after `ms` (to check that nothing was sent). */
  quietFor(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Subscribes the way the gateway does: a graphql-ws client (protocol
 * `graphql-transport-ws`) over the `ws` package, no connection params.
 */
export function subscribe(httpUrl: string, variables: Record<string, unknown>, query = GATEWAY_STOCK_CHANGED): TestSubscription {
  const client: Client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const events: Result[] = [];
  let error: unknown;
  let wake: (() => void) | undefined;
  const unsubscribe = client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: (value) => {
        events.push(value as Result);
        wake?.();
      },
      error: (e) => {
        error = e ?? new Error('subscription failed');
        wake?.();
      },
      complete: () => wake?.(),
    },
  );
  const waitFor = async (ready: () => boolean, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms (events so far: ${JSON.stringify(events)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  return {
    async next(timeoutMs = 5_000) {
      await waitFor(() => events.length > 0 || error !== undefined, timeoutMs, 'event');
      const event = events.shift();
      if (!event) throw new Error(`subscription failed: ${JSON.stringify(error)}`);
      return event;
    },
    async failure(timeoutMs = 5_000) {
      await waitFor(() => error !== undefined, timeoutMs, 'error');
      if (!Array.isArray(error)) throw new Error(`expected a GraphQL error list, got ${String(error)}`);
      return error;
    },
    async quietFor(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return events.length === 0;
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}
