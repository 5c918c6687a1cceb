import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServiceMap } from '@apollo/gateway';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import WebSocket, { WebSocketServer } from 'ws';
import { subscriptionDeliveryLatency, type Logger } from '@shop/platform';
import type { GatewayContext } from './context.ts';
import type { ConnectionExtra, createSubscriptionAdmission } from './subscription-admission.ts';
import type { Metrics } from './metrics.ts';
import type { PlannedSubscription, SubscriptionPlanner } from './subscription-planner.ts';
import { createNextFrameWriter } from './next-frame-writer.ts';
import { SubscriptionFanout, type FanoutSubscriber } from './subscription-fanout.ts';

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's `/graphql`, executing
 * federated subscriptions.
 *
 * Sharing: subscriptions with the same document and variables share one
 * upstream subscription per gateway process and one enrichment per event,
 * fanned out to every client. Upstream streams and enrichment fetches run
 * anonymously, so what a subscription streams is public data and every
 * client of a stream sees the same thing (that is what makes sharing safe).
 *
 * Coalescing: events wait for enrichment the newest per entity (the root
 * field's `sku` or `id`), and each client gets at most one delivery per
 * `coalesceMs`, carrying the newest value of every entity that changed,
 * always ending with the latest (see subscription-fanout.ts).
 *
 * Back-pressure: a client whose unread socket buffer passes a bound is
 * disconnected (close code 4429) instead of growing the gateway's memory, and
 * one that stops answering pings is dropped.
 */
export interface SubscriptionLimits {
  maxPerConnection: number;
  /** Open connections per signed-in user or partner, counted across the gateway replicas. */
  maxConnectionsPerClient: number;
  /** Open anonymous connections per address, across the replicas: a carrier NAT's crowd shares one address. */
  maxConnectionsPerAddress: number;
  /** How long a connection's slot outlives the replica holding it, should that replica die (renewed every third of it). */
  connectionLeaseMs: number;
  /** Bytes a client may leave unread in its socket buffer before it is dropped. */
  maxBufferedBytes: number;
  /** A client gets at most one delivery per subscription per this many ms (see subscription-fanout.ts). */
  coalesceMs: number;
  keepAliveMs: number;
}

export const DEFAULT_LIMITS: SubscriptionLimits = {
  maxPerConnection: 20,
  maxConnectionsPerClient: 100,
  maxConnectionsPerAddress: 5_000,
  connectionLeaseMs: 60_000,
  maxBufferedBytes: 1_000_000,
  coalesceMs: 100,
  keepAliveMs: 12_000,
};

export const SLOW_CONSUMER_CLOSE = 4429;
/**
 * Clients written per turn of the event loop when an event fans out: about
 * 2 ms of writes at ~10 µs each, so HTTP requests on this process (a restock
 * takes several turns) wait little behind a fan-out to 10,000 sockets.
 */
const FANOUT_CHUNK = 200;

/** One upstream subscription, shared by every client with the same key. */
class SharedStream {
  readonly key: string;
  /** The clients, and what each has been sent (see subscription-fanout.ts). */
  readonly fanout: SubscriptionFanout;
  readonly #planned: PlannedSubscription;
  readonly #variables: Record<string, unknown>;
  readonly #deps: StreamDeps;
  #dispose: (() => void) | undefined;
  /**
   * Upstream events waiting for enrichment, the newest per entity key (the
   * root field's `sku` or `id`); errors under keys of their own. While one
   * event is enriched, later ones for the same entity replace each other
   * here instead of queueing: one enrichment in flight per stream.
   */
  readonly #due = new Map<string, { event?: Record<string, unknown>; error?: Buffer; receivedAt: number }>();
  #draining = false;
  #drained: Promise<void> = Promise.resolve();
  #errors = 0;

  constructor(key: string, planned: PlannedSubscription, variables: Record<string, unknown>, deps: StreamDeps) {
    this.key = key;
    this.#planned = planned;
    this.#variables = variables;
    this.#deps = deps;
    this.fanout = new SubscriptionFanout({
      windowMs: deps.limits.coalesceMs,
      chunk: FANOUT_CHUNK,
      onDelivered: (frames) => deps.metrics.inc('gateway_subscription_events_delivered_total', {}, frames),
      onLatency: (seconds) => subscriptionDeliveryLatency().observe(seconds),
    });
  }

  open(client: Client): void {
    const { primary } = this.#planned;
    this.#deps.metrics.inc('gateway_subscription_upstreams_opened_total', { service: primary.serviceName });
    this.#dispose = client.subscribe<Record<string, unknown>>(
      { query: primary.operation, variables: this.#planned.primaryVariables(this.#variables), operationName: primary.operationName },
      {
        next: (result) => {
          if (result.errors?.length) return this.#receiveError(JSON.stringify({ errors: result.errors, data: null }));
          if (result.data) this.#receive(result.data);
        },
        error: (error) => {
          this.#deps.logger.warn({ err: error, service: primary.serviceName }, 'upstream subscription failed');
          this.#receiveError(JSON.stringify({ errors: [new GraphQLError('The upstream subscription failed.', { extensions: { code: 'SUBSCRIPTION_UPSTREAM_ERROR' } })] }));
          // The error reaches every client before their subscriptions complete.
          void this.#drained.then(() => this.fanout.idle()).then(() => this.close());
        },
        complete: () => this.close(),
      },
    );
  }

  #entityKey(data: Record<string, unknown>): string {
    const root = Object.values(data)[0];
    if (root && typeof root === 'object' && !Array.isArray(root)) {
      const value = (root as Record<string, unknown>).sku ?? (root as Record<string, unknown>).id;
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
    return '';
  }

  #receive(event: Record<string, unknown>): void {
    this.#enqueue(this.#entityKey(event), { event, receivedAt: performance.now() });
  }

  #receiveError(json: string): void {
    this.#enqueue(`\0error ${++this.#errors}`, { error: Buffer.from(json), receivedAt: performance.now() });
  }

  #enqueue(key: string, entry: { event?: Record<string, unknown>; error?: Buffer; receivedAt: number }): void {
    if (this.#due.has(key)) this.#deps.metrics.inc('gateway_subscription_events_coalesced_total');
    this.#due.delete(key);
    this.#due.set(key, entry);
    if (this.#draining) return;
    this.#draining = true;
    // Events are enriched one at a time, in order, and handed to the fan-out,
    // which writes them while the next one is being enriched.
    this.#drained = (async () => {
      try {
        for (let next = this.#due.entries().next(); !next.done; next = this.#due.entries().next()) {
          const [dueKey, due] = next.value;
          this.#due.delete(dueKey);
          if (due.error) this.fanout.publishTransient(due.error, due.receivedAt);
          else await this.#deliver(dueKey, due.event!, due.receivedAt);
        }
      } finally {
        this.#draining = false;
      }
    })();
  }

  async #deliver(key: string, event: Record<string, unknown>, receivedAt: number): Promise<void> {
    let result: ExecutionResult;
    if (!this.#planned.needsEnrichment) {
      result = { data: event as ExecutionResult['data'] };
    } else {
      this.#deps.metrics.inc('gateway_subscription_enrichments_total');
      try {
        result = await this.#deps.planner().enrich(this.#planned, event, this.#variables, this.#deps.services(), { ...(await this.#deps.enrichmentContext()) }, this.#deps.logger);
      } catch (error) {
        this.#deps.logger.error({ err: error }, 'subscription enrichment failed');
        result = { data: null, errors: [new GraphQLError('Could not complete this event.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      }
    }
    // Serialized and encoded once per event, whatever the number of clients.
    const payload = Buffer.from(JSON.stringify(result));
    // A failed event is not kept as the entity's latest value (clients joining later get the last good one).
    if (result.errors?.length) this.fanout.publishTransient(payload, receivedAt);
    else this.fanout.publish(key, payload, receivedAt);
  }

  close(): void {
    this.#dispose?.();
    this.#dispose = undefined;
    this.#due.clear();
    this.fanout.close();
    this.#deps.onClosed(this);
  }
}

interface StreamDeps {
  logger: Logger;
  /** The context enrichment fetches run in: anonymous, with the gateway's token for an anonymous caller (subgraphs in production refuse calls without one). */
  enrichmentContext: () => Promise<GatewayContext>;
  metrics: Metrics;
  limits: SubscriptionLimits;
  planner: () => SubscriptionPlanner;
  services: () => ServiceMap;
  onClosed: (stream: SharedStream) => void;
}

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  logger: Logger;
  metrics: Metrics;
  /** The gateway's identity token for an anonymous caller (cached), for enrichment fetches. */
  anonymousToken: () => Promise<string | undefined>;
  /** The edge controls of each connection and subscription (see subscription-admission.ts). */
  admission: ReturnType<typeof createSubscriptionAdmission>;
  /** The current planner (replaced when the supergraph changes). */
  planner: () => SubscriptionPlanner | undefined;
  /** The subgraph data sources used for enrichment fetches. */
  services: () => ServiceMap;
  /** Subgraph name -> websocket URL override (`<NAME>_URL` with ws:// scheme). */
  subgraphUrl: (name: string) => string | undefined;
  limits?: Partial<SubscriptionLimits>;
}

export function createSubscriptionServer(options: SubscriptionServerOptions) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { logger, metrics } = options;
  const streams = new Map<string, SharedStream>();
  const upstreamClients = new Map<string, Client>();

  const upstream = (service: string): Client => {
    let client = upstreamClients.get(service);
    if (client) return client;
    const httpUrl = options.subgraphUrl(service) ?? options.planner()?.subgraphUrls.get(service);
    if (!httpUrl) throw new GraphQLError(`No route to the ${service} service for subscriptions.`, { extensions: { code: 'SUBSCRIPTION_NOT_ROUTABLE' } });
    const url = httpUrl.replace(/^http/, 'ws');
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: 1_000,
      keepAlive: 10_000,
      // A subgraph restart must not end client subscriptions: retry forever
      // with a capped, jittered backoff; graphql-ws resubscribes on reconnect.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const delay = Math.min(250 * 2 ** retries, 5_000) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, delay));
      },
      on: {
        connected: () => {
          metrics.inc('gateway_subscription_upstream_connects_total', { service });
          logger.info({ service, url }, 'upstream subscription connection open');
        },
        closed: () => logger.info({ service }, 'upstream subscription connection closed'),
      },
    });
    upstreamClients.set(service, client);
    return client;
  };

  const streamDeps: StreamDeps = {
    logger,
    enrichmentContext: async () => ({ viewer: null, viewerToken: await options.anonymousToken(), clientIp: undefined, traceparent: undefined, requestId: 'subscription' }),
    metrics,
    limits,
    planner: () => {
      const planner = options.planner();
      if (!planner) throw new Error('supergraph not loaded');
      return planner;
    },
    services: options.services,
    onClosed: (stream) => {
      if (streams.get(stream.key) === stream) streams.delete(stream.key);
      metrics.set('gateway_subscription_upstreams', streams.size);
    },
  };

  /** Subscribes one client: joins (or opens) the shared stream and yields from a bounded queue. */
  function subscribe(args: ExecutionArgs, extra: { socket: WebSocket; tcp: Socket; id: string }): AsyncIterable<ExecutionResult> {
    const planner = options.planner();
    if (!planner) throw new GraphQLError('The gateway has not loaded its supergraph yet.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const key = createHash('sha256')
      .update(planner.version)
      .update(print(args.document))
      .update(args.operationName ?? '')
      .update(JSON.stringify(variables))
      .digest('hex');
    let stream = streams.get(key);
    if (!stream) {
      // Planning happens once per shared stream, not once per subscriber.
      const planned = planner.plan(args.document, args.operationName ?? undefined);
      stream = new SharedStream(key, planned, variables, streamDeps);
      streams.set(key, stream);
      stream.open(upstream(planned.primary.serviceName));
      metrics.set('gateway_subscription_upstreams', streams.size);
    }
    // Events are written straight to the connection as graphql-ws `next`
    // frames around the payload encoded once per event (next-frame-writer.ts);
    // graphql-ws still owns the subscription's lifetime (subscribe, complete,
    // errors) through the iterator below, which only ends.
    const { socket, tcp } = extra;
    const writeNext = createNextFrameWriter(socket, tcp, extra.id);
    let ended = false;
    let wake: (() => void) | undefined;
    const subscriber: FanoutSubscriber = {
      write(payload) {
        if (ended) return false;
        // Unread bytes of this connection: ours and ws's frames alike queue in the TCP socket.
        if (tcp.writableLength > limits.maxBufferedBytes) {
          metrics.inc('gateway_subscription_slow_consumers_total');
          logger.warn({ buffered: tcp.writableLength }, 'disconnecting a slow subscription consumer');
          subscriber.end();
          socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: too many undelivered events');
          return false;
        }
        writeNext(payload);
        return true;
      },
      end() {
        ended = true;
        wake?.();
      },
    };
    const joined = stream;
    const member = joined.fanout.add(subscriber);
    metrics.inc('gateway_subscription_clients');
    // An async generator-like object: graphql-ws calls `return()` on it when
    // the client completes or disconnects, which is what leaves the stream.
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      async next(): Promise<IteratorResult<ExecutionResult>> {
        while (!ended) await new Promise<void>((resolve) => (wake = resolve));
        return { value: undefined, done: true };
      },
      async return(): Promise<IteratorResult<ExecutionResult>> {
        subscriber.end();
        if (!joined.fanout.remove(member)) return { value: undefined, done: true };
        metrics.inc('gateway_subscription_clients', {}, -1);
        // The last client leaving closes the upstream subscription.
        if (joined.fanout.size === 0) joined.close();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  // No permessage-deflate: events are written as pre-built frames (next-frame-writer.ts),
  // and compressing one payload per socket would cost more CPU than the fan-out itself.
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, perMessageDeflate: false });
  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: () => {
        const planner = options.planner();
        if (!planner) throw new GraphQLError('The gateway has not loaded its supergraph yet.');
        return planner.apiSchema;
      },
      context: (ctx, id) => ({ extra: ctx.extra, id }),
      // Admission, limits and token expiry: see subscription-admission.ts.
      onConnect: (ctx) => options.admission.onConnect(ctx),
      onClose: (ctx) => options.admission.onClose(ctx),
      onSubscribe: (ctx, id, payload) => options.admission.onSubscribe(ctx, id, payload),
      onComplete: (ctx) => options.admission.onComplete(ctx),
      execute: () => ({
        errors: [new GraphQLError('Send queries and mutations over HTTP; this WebSocket carries subscriptions.', { extensions: { code: 'BAD_REQUEST' } })],
      }),
      subscribe: (args) => {
        try {
          const { extra, id } = args.contextValue as { extra: { socket: WebSocket; request: { socket: Socket } }; id: string };
          return subscribe(args, { socket: extra.socket, tcp: extra.request.socket, id });
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          throw error;
        }
      },
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    /** Live counts, for metrics and tests. */
    stats: () => ({ upstreams: streams.size, clients: [...streams.values()].reduce((n, s) => n + s.fanout.size, 0) }),
    async close() {
      for (const stream of [...streams.values()]) stream.close();
      await disposable.dispose();
      for (const client of upstreamClients.values()) {
        try {
          await client.dispose();
        } catch (closeEvent) {
          // graphql-ws rejects dispose() when its connection attempt was
          // refused or is waiting to retry (a subgraph that is down): there
          // is no socket left to close. Thrown on, it stopped the gateway's
          // close halfway, leaving its HTTP server, Redis and timers open.
          logger.debug({ closeEvent }, 'upstream subscription client had no connection to close');
        }
      }
      upstreamClients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
