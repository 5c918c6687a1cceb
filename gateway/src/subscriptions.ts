import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
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
 * Coalescing: events for the same entity (the root field's `sku` or `id`) are
 * delivered at most once per `coalesceMs`, always ending with the latest.
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
/** Clients served per turn of the event loop when an event fans out. */
const BROADCAST_CHUNK = 500;

/** One client subscription; `push` takes the event's payload already serialized to JSON. */
interface ClientSink {
  push(payload: string): void;
  end(): void;
}

/** One upstream subscription, shared by every client with the same key. */
class SharedStream {
  readonly key: string;
  readonly clients = new Set<ClientSink>();
  readonly #planned: PlannedSubscription;
  readonly #variables: Record<string, unknown>;
  readonly #deps: StreamDeps;
  #dispose: (() => void) | undefined;
  /** Per entity key: when the last event went out, and the newest event waiting for its turn. */
  readonly #pending = new Map<string, { lastSent: number; event?: Record<string, unknown>; timer?: NodeJS.Timeout }>();
  #enrichment: Promise<void> = Promise.resolve();
  /** The last delivered payload (JSON) per entity, replayed to clients that join later. */
  readonly #latest = new Map<string, string>();

  constructor(key: string, planned: PlannedSubscription, variables: Record<string, unknown>, deps: StreamDeps) {
    this.key = key;
    this.#planned = planned;
    this.#variables = variables;
    this.#deps = deps;
  }

  open(client: Client): void {
    const { primary } = this.#planned;
    this.#deps.metrics.inc('gateway_subscription_upstreams_opened_total', { service: primary.serviceName });
    this.#dispose = client.subscribe<Record<string, unknown>>(
      { query: primary.operation, variables: this.#planned.primaryVariables(this.#variables), operationName: primary.operationName },
      {
        next: (result) => {
          if (result.errors?.length) return void this.#broadcast(JSON.stringify({ errors: result.errors, data: null }));
          if (result.data) this.#receive(result.data);
        },
        error: (error) => {
          this.#deps.logger.warn({ err: error, service: primary.serviceName }, 'upstream subscription failed');
          void this.#broadcast(JSON.stringify({ errors: [new GraphQLError('The upstream subscription failed.', { extensions: { code: 'SUBSCRIPTION_UPSTREAM_ERROR' } })] }));
          this.close();
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

  /** When each upstream event arrived, for the delivery latency histogram. */
  readonly #receivedAt = new WeakMap<Record<string, unknown>, number>();

  #receive(event: Record<string, unknown>): void {
    this.#receivedAt.set(event, performance.now());
    const key = this.#entityKey(event);
    const now = Date.now();
    const slot = this.#pending.get(key) ?? { lastSent: 0 };
    this.#pending.set(key, slot);
    const wait = slot.lastSent + this.#deps.limits.coalesceMs - now;
    if (wait <= 0 && !slot.timer) {
      slot.lastSent = now;
      this.#emit(key, event);
      return;
    }
    // Within the window: keep only the newest event and send it when the window ends.
    this.#deps.metrics.inc('gateway_subscription_events_coalesced_total');
    slot.event = event;
    slot.timer ??= setTimeout(() => {
      slot.timer = undefined;
      slot.lastSent = Date.now();
      const latest = slot.event;
      slot.event = undefined;
      if (latest) this.#emit(key, latest);
    }, Math.max(wait, 0));
  }

  /**
   * Events due for delivery, the newest per entity. While one is being
   * enriched and fanned out, later ones for the same entity replace each
   * other here instead of queueing: a gateway that cannot keep up with a
   * flash sale sends fewer, fresher events rather than falling behind.
   */
  readonly #due = new Map<string, Record<string, unknown>>();
  #draining = false;

  #emit(key: string, event: Record<string, unknown>): void {
    if (this.#due.has(key)) this.#deps.metrics.inc('gateway_subscription_events_coalesced_total');
    this.#due.delete(key);
    this.#due.set(key, event);
    if (this.#draining) return;
    this.#draining = true;
    // Events are enriched and delivered one at a time so that they reach clients in order.
    this.#enrichment = this.#enrichment.then(async () => {
      try {
        for (let next = this.#due.entries().next(); !next.done; next = this.#due.entries().next()) {
          const [dueKey, dueEvent] = next.value;
          this.#due.delete(dueKey);
          await this.#deliver(dueKey, dueEvent);
        }
      } finally {
        this.#draining = false;
      }
    });
  }

  async #deliver(key: string, event: Record<string, unknown>): Promise<void> {
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
    const payload = JSON.stringify(result);
    if (!result.errors?.length) this.#latest.set(key, payload);
    await this.#broadcast(payload);
    const receivedAt = this.#receivedAt.get(event);
    if (receivedAt !== undefined) subscriptionDeliveryLatency().observe((performance.now() - receivedAt) / 1000);
  }

  /**
   * Adds a client. The upstream sends the current levels only when it opens,
   * so a client joining a running stream gets the last result per entity
   * first (queued behind any enrichment in progress, to keep the order).
   */
  join(client: ClientSink): void {
    this.clients.add(client);
    void this.#enrichment.then(() => {
      if (!this.clients.has(client)) return;
      for (const payload of this.#latest.values()) client.push(payload);
    });
  }

  /**
   * Hands the event, serialized once, to every client, a chunk at a time:
   * yielding to the event loop between chunks keeps HTTP traffic on this
   * process answered while thousands of sockets are written.
   */
  async #broadcast(payload: string): Promise<void> {
    this.#deps.metrics.inc('gateway_subscription_events_delivered_total', {}, this.clients.size);
    let sent = 0;
    for (const client of [...this.clients]) {
      client.push(payload);
      if (++sent % BROADCAST_CHUNK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  close(): void {
    this.#dispose?.();
    this.#dispose = undefined;
    for (const slot of this.#pending.values()) if (slot.timer) clearTimeout(slot.timer);
    this.#pending.clear();
    this.#latest.clear();
    this.#due.clear();
    for (const client of this.clients) client.end();
    this.clients.clear();
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
  function subscribe(args: ExecutionArgs, extra: { socket: WebSocket; id: string }): AsyncIterable<ExecutionResult> {
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
    // Events are written straight to the socket as graphql-ws `next` frames
    // around the payload serialized once per event; graphql-ws still owns the
    // subscription's lifetime (subscribe, complete, errors) through the
    // iterator below, which only ends.
    const socket = extra.socket;
    const frameStart = `{"id":${JSON.stringify(extra.id)},"type":"next","payload":`;
    let ended = false;
    let wake: (() => void) | undefined;
    const sink: ClientSink = {
      push(payload) {
        if (ended) return;
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          metrics.inc('gateway_subscription_slow_consumers_total');
          logger.warn({ buffered: socket.bufferedAmount }, 'disconnecting a slow subscription consumer');
          sink.end();
          socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: too many undelivered events');
          return;
        }
        socket.send(`${frameStart}${payload}}`);
      },
      end() {
        ended = true;
        wake?.();
      },
    };
    stream.join(sink);
    metrics.inc('gateway_subscription_clients');
    const joined = stream;
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
        if (!joined.clients.has(sink)) return { value: undefined, done: true };
        sink.end();
        joined.clients.delete(sink);
        metrics.inc('gateway_subscription_clients', {}, -1);
        // The last client leaving closes the upstream subscription.
        if (joined.clients.size === 0) joined.close();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });
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
          const { extra, id } = args.contextValue as { extra: { socket: WebSocket }; id: string };
          return subscribe(args, { socket: extra.socket, id });
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
    stats: () => ({ upstreams: streams.size, clients: [...streams.values()].reduce((n, s) => n + s.clients.size, 0) }),
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
