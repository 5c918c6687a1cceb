import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The graphql-ws client of the end-to-end tests: one `Subscriber` is one
 * WebSocket connection (graphql-ws's lazy client, no retries), on which any
 * number of subscriptions are multiplexed. Events and errors are collected,
 * never thrown: a test waits for what it expects with `next` or `settled`,
 * and nothing is left to reject where no one listens.
 */
export interface Subscription<T> {
  /** Every `next` payload's data, in order. */
  readonly events: T[];
  /** GraphQL errors of `next` payloads, `error` messages, and a close that ended the subscription. */
  readonly errors: unknown[];
  /** The first event (already received or to come) that passes `test`. */
  next(test?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves once the subscription has ended: 'error' (refused or cut off) or 'complete'. */
  settled(timeoutMs?: number): Promise<'error' | 'complete'>;
  dispose(): void;
}

export interface Subscriber {
  readonly client: Client;
  subscribe<T = unknown>(query: string, variables?: Record<string, unknown>, pick?: (data: any) => T | undefined): Subscription<T>;
  /** Ends every subscription and closes the connection. */
  close(): Promise<void>;
}

export interface SubscriberOptions {
  /** The local address the socket binds to: a client at an address of its own on loopback (127.x.y.z). */
  localAddress?: string;
  /** connection_init payload (authorization, x-api-key). */
  connectionParams?: Record<string, unknown>;
  /** Headers of the WebSocket upgrade request. */
  headers?: Record<string, string>;
}

function webSocketFor(options: SubscriberOptions): typeof WebSocket {
  const { localAddress, headers } = options;
  if (!localAddress && !headers) return WebSocket;
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { localAddress, headers });
    }
  } as typeof WebSocket;
}

/** GraphQL errors, close events and socket errors, readable in a failure message. */
export function describe(errors: readonly unknown[]): string {
  const one = (error: unknown) => {
    const e = error as { message?: string; code?: number; reason?: string; extensions?: { code?: string } };
    if (e?.extensions?.code) return `${e.extensions.code}: ${e.message}`;
    if (typeof e?.code === 'number') return `close ${e.code} ${e.reason ?? ''}`.trim();
    return e?.message ?? String(error);
  };
  return `[${errors.slice(0, 5).map(one).join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}]`;
}

function timeout(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function createSubscriber(url: string, options: SubscriberOptions = {}): Subscriber {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: webSocketFor(options),
    connectionParams: options.connectionParams,
    lazy: true,
    // A test asserts what happens to a connection; a silent reconnect would
    // hide it. Retries also caused the "All Subscriptions Gone" unhandled
    // rejection seen with 1,000 subscriptions on one connection: a refused or
    // closed connection puts the client in a retry wait, and disposing it
    // there rejects client.dispose() with that close event, which an after()
    // hook left unawaited.
    retryAttempts: 0,
  });
  const disposers = new Set<() => void>();

  return {
    client,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}, pick: (data: any) => T | undefined = (data) => data as T): Subscription<T> {
      const events: T[] = [];
      const errors: unknown[] = [];
      let ended: 'error' | 'complete' | undefined;
      const waiters = new Set<{ test: (event: T) => boolean; resolve: (event: T) => void; reject: (error: Error) => void }>();
      const endWaiters = new Set<(outcome: 'error' | 'complete') => void>();
      const end = (outcome: 'error' | 'complete') => {
        ended ??= outcome;
        for (const resolve of endWaiters) resolve(ended);
        endWaiters.clear();
        for (const waiter of waiters) waiter.reject(new Error(`the subscription ended (${ended}) before the event came: ${describe(errors)}`));
        waiters.clear();
      };
      const dispose = client.subscribe(
        { query, variables },
        {
          next(result) {
            if (result.errors) errors.push(...result.errors);
            const event = result.data ? pick(result.data) : undefined;
            if (event === undefined) return;
            events.push(event);
            for (const waiter of waiters) {
              if (!waiter.test(event)) continue;
              waiters.delete(waiter);
              waiter.resolve(event);
            }
          },
          error(error) {
            errors.push(...(Array.isArray(error) ? error : [error]));
            end('error');
          },
          complete: () => end('complete'),
        },
      );
      disposers.add(dispose);
      return {
        events,
        errors,
        next(test: (event: T) => boolean = () => true, timeoutMs = 10_000) {
          const seen = events.find(test);
          if (seen !== undefined) return Promise.resolve(seen);
          if (ended) return Promise.reject(new Error(`the subscription ended (${ended}) before the event came: ${describe(errors)}`));
          const limit = timeout(timeoutMs, `an event; got ${JSON.stringify(events).slice(0, 300)} and errors ${describe(errors)}`);
          const arrived = new Promise<T>((resolve, reject) => waiters.add({ test, resolve, reject }));
          return Promise.race([arrived, limit.promise]).finally(limit.cancel);
        },
        settled(timeoutMs = 10_000) {
          if (ended) return Promise.resolve(ended);
          const limit = timeout(timeoutMs, 'the subscription to end');
          const outcome = new Promise<'error' | 'complete'>((resolve) => endWaiters.add(resolve));
          return Promise.race([outcome, limit.promise]).finally(limit.cancel);
        },
        dispose() {
          disposers.delete(dispose);
          dispose();
        },
      };
    },
    async close() {
      for (const dispose of disposers) dispose();
      disposers.clear();
      // With every subscription released, the lazy client closes its socket
      // itself. dispose() also waits for a connection attempt in flight and
      // rejects when the server refuses or closes it: there is then no socket
      // left to close and nothing to report. It is awaited here, so such a
      // rejection can never go unhandled.
      try {
        await client.dispose();
      } catch {
        // refused or closed already
      }
    },
  };
}
