import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { operation, ShopClient } from '../../gateway/test/shop-client.ts';

/** One client request and how it ended. */
export interface Outcome {
  kind: 'ProductPage' | 'StockLevels' | 'CreatePaymentToken' | 'PlaceOrder';
  ok: boolean;
  /** CHECKOUT_PENDING: the contract's "being settled, ask again with the same key"; not a failure. */
  pending?: boolean;
  startedAt: number;
  endedAt: number;
  /**
   * When the client operation this request belongs to began: a checkout is
   * one operation over all its attempts with one idempotency key (a retry
   * after a kill may learn that the checkout in flight was called off).
   */
  operationStartedAt: number;
  error?: string;
}

export interface Buyer {
  token: string;
  userId: string;
}

export interface TrafficOptions {
  url: string;
  buyers: readonly Buyer[];
  productIds: readonly string[];
  skus: readonly string[];
  /** The sku every checkout buys one unit of. */
  hotSku: string;
  /** Concurrent client loops (each: product page, stock read, product page, checkout). */
  workers: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Steady mixed traffic as a storefront sends it, through the public
 * endpoint: product pages, stock reads and checkouts with idempotency keys.
 * A checkout that fails (transport error, GraphQL error, CHECKOUT_PENDING) is
 * sent again with the same key and payment token until it gets a definite
 * answer, as the contract tells clients to; every attempt is recorded.
 */
export class Traffic {
  readonly outcomes: Outcome[] = [];
  /** Idempotency key -> order id, for every OrderPlaced a client received. */
  readonly acknowledged = new Map<string, string>();
  /** Idempotency keys that got InsufficientStock or PaymentDeclined. */
  readonly refused = new Set<string>();
  /** Idempotency keys whose checkout was called off (CHECKOUT_FAILED: nothing charged; a new key is needed). */
  readonly calledOff = new Set<string>();
  /** Idempotency keys still without a definite answer a minute after the traffic stopped. */
  readonly unresolved = new Set<string>();
  readonly #shop: ShopClient;
  readonly #options: TrafficOptions;
  #running = false;
  #loops: Promise<void>[] = [];
  #checkouts = 0;
  #stoppedAt = Number.POSITIVE_INFINITY;

  constructor(options: TrafficOptions) {
    this.#options = options;
    this.#shop = new ShopClient(options.url);
  }

  start(): void {
    this.#running = true;
    this.#loops = Array.from({ length: this.#options.workers }, (_, worker) => this.#loop(worker));
  }

  /** Stops sending new requests; resolves once every loop (and its checkout retries) has ended. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stoppedAt = Date.now();
    await Promise.all(this.#loops);
  }

  get failures(): Outcome[] {
    return this.outcomes.filter((o) => !o.ok);
  }

  /** The distinct errors of the failed requests in a window, with counts, for the report. */
  errorsIn(from: number, to: number): string {
    const counts = new Map<string, number>();
    for (const o of this.outcomes) if (!o.ok && o.endedAt >= from && o.endedAt < to) counts.set(`${o.kind}: ${o.error}`, (counts.get(`${o.kind}: ${o.error}`) ?? 0) + 1);
    return [...counts].map(([error, n]) => `${n} x ${error}`).join('; ');
  }

  /** Requests that ended in the window [from, to). */
  served(from: number, to: number): { ok: number; failed: number } {
    const inWindow = this.outcomes.filter((o) => o.endedAt >= from && o.endedAt < to);
    return { ok: inWindow.filter((o) => o.ok).length, failed: inWindow.filter((o) => !o.ok).length };
  }

  async #loop(worker: number): Promise<void> {
    const { productIds, skus } = this.#options;
    for (let step = 0; this.#running; step++) {
      const pick = (list: readonly string[]) => list[(worker * 7 + step) % list.length]!;
      switch (step % 4) {
        case 0:
        case 2:
          await this.#request('ProductPage', { id: pick(productIds) });
          break;
        case 1:
          await this.#request('StockLevels', { skus: [pick(skus), this.#options.hotSku] });
          break;
        case 3:
          await this.#checkout(worker);
          break;
      }
    }
  }

  async #checkout(worker: number): Promise<void> {
    const buyer = this.#options.buyers[worker % this.#options.buyers.length]!;
    const key = `resil-${worker}-${this.#checkouts++}-${Date.now()}`;
    let paymentToken: string | undefined;
    while (!paymentToken) {
      const body = await this.#request('CreatePaymentToken', { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' }, buyer.token);
      paymentToken = body?.data?.createPaymentToken?.token;
      if (!paymentToken && !this.#running) return;
      if (!paymentToken) await pause(200);
    }
    // The same key and token until a definite answer: the order is placed at most once.
    const operationStartedAt = Date.now();
    for (;;) {
      const body = await this.#request('PlaceOrder', { items: [{ sku: this.#options.hotSku, quantity: 1 }], paymentToken, idempotencyKey: key }, buyer.token, operationStartedAt);
      const result = body?.data?.placeOrder;
      if (result?.__typename === 'OrderPlaced') {
        this.acknowledged.set(key, result.order.id);
        return;
      }
      if (result) {
        this.refused.add(key);
        return;
      }
      // A stored failure: the same key gets the same error; the contract says to place the order again with a new key.
      if (body?.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === 'CHECKOUT_FAILED')) {
        this.calledOff.add(key);
        return;
      }
      if (Date.now() - this.#stoppedAt > 60_000) {
        this.unresolved.add(key);
        return;
      }
      await pause(200);
    }
  }

  async #request(kind: Outcome['kind'], variables: Record<string, unknown>, token?: string, operationStartedAt?: number): Promise<any> {
    const startedAt = Date.now();
    operationStartedAt ??= startedAt;
    try {
      const body = await this.#shop.call(kind, variables, token);
      const pending = !!body.errors?.length && body.errors.every((e) => e.extensions?.code === 'CHECKOUT_PENDING');
      const ok = pending || (!body.errors?.length && body.data != null);
      this.outcomes.push({ kind, ok, pending, startedAt, endedAt: Date.now(), operationStartedAt, error: ok ? undefined : JSON.stringify(body.errors).slice(0, 300) });
      return body;
    } catch (error) {
      this.outcomes.push({ kind, ok: false, startedAt, endedAt: Date.now(), operationStartedAt, error: (error as Error).message });
      return undefined;
    }
  }
}

export interface StockEvent {
  sku: string;
  available: number;
}

/**
 * A live-stock subscriber (graphql-ws, StockChanged) that reconnects and
 * subscribes again whenever its connection drops, as the mobile apps do.
 */
export class StockSubscriber {
  readonly events: StockEvent[] = [];
  readonly errors: unknown[] = [];
  connections = 0;
  readonly #client: Client;
  readonly #dispose: () => void;

  constructor(url: string, skus: readonly string[]) {
    this.#client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: async () => {
        await pause(200);
      },
      shouldRetry: () => true,
      on: { connected: () => void this.connections++ },
    });
    this.#dispose = this.#client.subscribe<{ stockChanged: StockEvent }>(
      { query: operation('StockChanged'), variables: { skus } },
      {
        next: (result) => {
          if (result.errors) this.errors.push(result.errors);
          if (result.data?.stockChanged) this.events.push(result.data.stockChanged);
        },
        error: (error) => this.errors.push(error),
        complete: () => {},
      },
    );
  }

  get last(): StockEvent | undefined {
    return this.events.at(-1);
  }

  /** Resolves once the latest event shows `available`; rejects after `timeoutMs`. */
  async waitFor(available: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.last?.available !== available) {
      if (Date.now() > deadline) throw new Error(`subscriber saw ${JSON.stringify(this.last)}, expected available ${available} (${this.connections} connections)`);
      await pause(100);
    }
  }

  async close(): Promise<void> {
    this.#dispose();
    await this.#client.dispose();
  }
}
