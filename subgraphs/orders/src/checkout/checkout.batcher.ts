import { randomUUID } from 'node:crypto';
import { BatchQueue, currentTraceCarrier, type Logger, type MikroORM, type Pending, type TraceCarrier } from '@shop/platform';
import { GraphQLError } from 'graphql';
import type { Order } from '../order/order.entity.ts';
import { orderEventFor } from '../order/order.events.ts';
import { OrderRepository, type NewOrder, type SagaMove } from '../order/order.repository.ts';
import { PriceCache } from '../catalogue/price-cache.ts';
import type { SagaServices } from '../remote/saga-services.ts';
import { ServiceCallError } from '../remote/service-client.ts';
import { CheckoutErrorCode } from './checkout-outcome.ts';
import type { CheckoutRequest } from './checkout.input.ts';
import { priceCheckout, type PricedCheckout } from './checkout.pricing.ts';
import type { CheckoutSaga } from './checkout.saga.ts';
import { SoldOutHints } from './sold-out-hints.ts';

/** A checkout handed to the batcher: a signed-in customer's checked request. */
export interface BatchedCheckout {
  userId: string;
  request: CheckoutRequest;
  /** The trace of the request (taken when it is submitted), for its order's events. */
  traceContext?: TraceCarrier | undefined;
}

/**
 * What the batcher did with a checkout:
 * - `order`: the order under the request's key, `claimed` when this request
 *   created it (its saga has run as far as it goes synchronously), or an
 *   existing one (a retry; the caller answers from it, waiting while it is
 *   settled);
 * - `soldOut`: refused without an order, a line's sku is known to be short;
 * - `alone`: a concurrent twin from another replica claimed the key between
 *   the lookup and the insert: the caller runs the one-request path, which
 *   answers as that twin.
 */
export type BatchedOutcome =
  | { kind: 'order'; orderId: string; order: Order | null; claimed: boolean; mismatch?: boolean }
  | { kind: 'soldOut'; sku: string; available: number }
  | { kind: 'alone' };

export interface CheckoutBatcherSettings {
  /** How long the first checkout of an idle batcher waits for others (ms); later ones join while a batch runs. */
  maxWaitMs: number;
  /** The most checkouts in one batch. */
  maxBatchSize: number;
  /** Batches that may run at once (each takes the next checkouts while the others wait on their calls). */
  pipelines: number;
  /** How long a sku that inventory reported short is refused without a saga (ms); 0 turns the hint off. */
  soldOutHintMs: number;
  /** How long inventory holds a checkout's stock before releasing it by itself (s). */
  reservationTtlSeconds: number;
  /** How long a sku's price is kept between batches (ms, never past a scheduled price change); 0 asks products for every batch. */
  priceMaxAgeMs: number;
}

// One pipeline: every checkout waiting while a batch runs joins the next one, so batches are as large as the load
// makes them (bench:checkout, 2026-12-02 17:38-17:40 UTC, 32 in flight, A B A B: 8.7 and 11.0 ms of stack CPU per
// checkout with 1 pipeline against 14.3 and 14.3 with 2, and 164/135 against 114/116 checkouts/s).
export const DEFAULT_BATCHER_SETTINGS: CheckoutBatcherSettings = { maxWaitMs: 2, maxBatchSize: 100, pipelines: 1, soldOutHintMs: 1_000, reservationTtlSeconds: 600, priceMaxAgeMs: 1_000 };

export interface CheckoutBatcherDeps {
  orm: MikroORM;
  services: SagaServices;
  saga: CheckoutSaga;
  logger: Logger;
  settings?: Partial<CheckoutBatcherSettings>;
}

type Submitted = Pending<BatchedCheckout, BatchedOutcome>;

/** A batch member that got as far as an order row. */
interface Placed {
  pending: Submitted;
  followers: Submitted[];
  order: NewOrder;
  priced: PricedCheckout;
}

/** A placed order whose payment payments authorized, under `paymentId`. */
interface Authorized {
  p: Placed;
  paymentId: string;
}


/**
 * Group commit of checkouts, the way inventory merges reservations: the
 * checkouts that arrive within `maxWaitMs` (or while the previous batch of
 * their pipeline runs; `pipelines` batches may run at once) go through the synchronous part of the saga together, with one call per
 * service and multi-row statements, however many they are:
 *
 *   1. idempotency: one select of every (customer, key) of the batch;
 *      retries are answered from their order, twins within the batch follow
 *      their leader;
 *   2. price: one call to products for every sku of the batch;
 *   3. insert every order PENDING at RESERVING, with its items and first
 *      history row: one statement;
 *   4. reserve: one call to inventory (reserveStockBatch);
 *   5. authorize the held ones: one call to payments (authorizePayments);
 *   6. record the outcome: one statement moving, each by compare-and-set
 *      from RESERVING, the short orders to DONE/CANCELLED (InsufficientStock,
 *      OrderCancelled) and the authorized ones to CAPTURING/CONFIRMED, with
 *      their history rows, OrderPlaced events and answers; then answer.
 *      Capture and the stock commit follow from the OrderPlaced event
 *      (checkout.settler.ts), or the sweeper. Nothing is recorded between
 *      RESERVING and the outcome: after a crash there, recovery compensates
 *      (release and void are harmless when nothing is held).
 *
 * Anything off the happy path (a service that did not answer for the
 * batch or for one order, a declined card) is handed to the one-order saga
 * (CheckoutSaga.drive) from the step the order is at: every step is
 * idempotent per order, so repeating the call alone is safe, and the saga
 * steps, their compare-and-set and the sweeper's recovery are the same as
 * for a lone checkout. A move whose compare-and-set fails (a sweeper took
 * the saga over) undoes what the batch's call may have created, as
 * CheckoutSaga does.
 *
 * Per checkout on the happy path: 0 HTTP calls of its own (3 per batch),
 * and 3 SQL statements per batch (lookup, insert, outcome), none of them
 * in an explicit transaction: each is atomic on its own.
 */
export class CheckoutBatcher {
  readonly #orm: MikroORM;
  readonly #services: SagaServices;
  readonly #saga: CheckoutSaga;
  readonly #logger: Logger;
  readonly #settings: CheckoutBatcherSettings;
  readonly #queue: BatchQueue<BatchedCheckout, BatchedOutcome>;
  /** Checkouts of a sku known short: answered from one idempotency lookup per batch, never behind a saga batch. */
  readonly #soldOutLane: BatchQueue<BatchedCheckout, BatchedOutcome>;
  readonly #soldOut: SoldOutHints;
  readonly #prices: PriceCache;
  /** Batches running now per pipeline; a checkout joins the least busy pipeline's queue. */
  readonly #load: number[];
  readonly #running: boolean[];
  #collecting: number | null = null;

  constructor(deps: CheckoutBatcherDeps) {
    this.#orm = deps.orm;
    this.#services = deps.services;
    this.#saga = deps.saga;
    this.#logger = deps.logger;
    this.#settings = { ...DEFAULT_BATCHER_SETTINGS, ...deps.settings };
    this.#soldOut = new SoldOutHints(this.#settings.soldOutHintMs);
    // Through `deps.services` at each call: the services object may be rewired after construction (tests count calls).
    this.#prices = new PriceCache({ variantPrices: (skus) => deps.services.products.variantPrices(skus) }, { maxAgeMs: this.#settings.priceMaxAgeMs, maxEntries: 10_000 });
    this.#load = Array.from({ length: Math.max(1, this.#settings.pipelines) }, () => 0);
    this.#running = this.#load.map(() => false);
    this.#queue = new BatchQueue(
      async (pipeline, batch) => {
        const i = Number(pipeline);
        this.#running[i] = true;
        if (this.#collecting === i) this.#collecting = null;
        try {
          await this.#run(batch);
        } finally {
          this.#running[i] = false;
        }
      },
      // Admission control is the AdmissionGate's, in front of this queue.
      { maxWaitMs: this.#settings.maxWaitMs, maxBatchSize: this.#settings.maxBatchSize, maxQueuedPerKey: Number.MAX_SAFE_INTEGER },
      () => new Error('unreachable: the checkout queue is unbounded behind the admission gate'),
    );
    this.#soldOutLane = new BatchQueue(
      (_, batch) => this.#answerSoldOut(batch),
      { maxWaitMs: this.#settings.maxWaitMs, maxBatchSize: 500, maxQueuedPerKey: Number.MAX_SAFE_INTEGER },
      () => new Error('unreachable: the sold-out lane is unbounded behind the admission gate'),
    );
  }

  /**
   * A checkout asking for more of a sku than a fresh hint says is left takes
   * the sold-out lane: it is told InsufficientStock once its idempotency key
   * is known to be new (a retry of a placed order gets its order), without
   * waiting for the saga batches ahead of it. In a live sale that is most of
   * the crowd, and each of them had waited for a batch of real checkouts to
   * finish before its own lookup.
   */
  submit(checkout: BatchedCheckout): Promise<BatchedOutcome> {
    // The batch runs in the context of whichever request started it: each order's events carry their own request's trace.
    const traced = checkout.traceContext ? checkout : { ...checkout, traceContext: currentTraceCarrier() };
    if (this.#soldOut.shortLine(traced.request.items)) return this.#soldOutLane.enqueue('sold-out', traced);
    return this.#submitToPipeline(traced);
  }

  #submitToPipeline(traced: BatchedCheckout): Promise<BatchedOutcome> {
    const pipeline = this.#pipelineFor();
    this.#load[pipeline]! += 1;
    return this.#queue.enqueue(String(pipeline), traced).finally(() => {
      this.#load[pipeline]! -= 1;
    });
  }

  /**
   * Where a checkout waits: the pipeline collecting its next batch if one is
   * (so that concurrent checkouts share a batch), else an idle one (which
   * starts collecting), else the least busy (its queue collects for the
   * batch after the running one).
   */
  #pipelineFor(): number {
    if (this.#collecting !== null) return this.#collecting;
    const idle = this.#running.findIndex((running, i) => !running && this.#load[i] === 0);
    if (idle >= 0) return (this.#collecting = idle);
    let least = 0;
    for (let i = 1; i < this.#load.length; i++) if (this.#load[i]! < this.#load[least]!) least = i;
    return least;
  }

  /** Resolves once no batch is waiting or running. */
  async drain(): Promise<void> {
    // The lane first: what it hands to a saga batch is queued before its batch ends.
    await this.#soldOutLane.drain();
    await this.#queue.drain();
  }

  /** The sold-out lane's batch: one lookup, then InsufficientStock; a checkout whose hint has lapsed meanwhile goes to a saga batch. */
  async #answerSoldOut(batch: Submitted[]): Promise<void> {
    const repository = new OrderRepository(this.#orm.em.fork());
    const fresh = await this.#answerRetries(repository, batch);
    for (const entry of this.#refuseSoldOut(fresh)) {
      for (const p of [entry.pending, ...entry.followers]) this.#submitToPipeline(p.item).then(p.resolve, p.reject);
    }
  }

  async #run(batch: Submitted[]): Promise<void> {
    const repository = new OrderRepository(this.#orm.em.fork());
    const fresh = await this.#answerRetries(repository, batch);
    const hopeful = this.#refuseSoldOut(fresh);
    const priced = await this.#price(hopeful);
    if (!priced.length) return;
    const placed = await this.#insert(repository, priced);
    const { held, short } = await this.#reserve(placed);
    const authorized = await this.#authorize(held);
    await this.#record(repository, short, authorized);
  }

  // 1. One lookup for the whole batch; a key seen twice in the batch follows its first request.
  async #answerRetries(repository: OrderRepository, batch: Submitted[]): Promise<{ pending: Submitted; followers: Submitted[] }[]> {
    const keyOf = (userId: string, key: string) => `${userId}\u0000${key}`;
    const existing = new Map(
      (await repository.findByIdempotencyKeys(batch.map((p) => ({ userId: p.item.userId, idempotencyKey: p.item.request.idempotencyKey })))).map((o) => [
        keyOf(o.userId, o.idempotencyKey),
        o,
      ]),
    );
    const leaders = new Map<string, { pending: Submitted; followers: Submitted[] }>();
    for (const pending of batch) {
      const key = keyOf(pending.item.userId, pending.item.request.idempotencyKey);
      const order = existing.get(key);
      if (order) {
        pending.resolve({ kind: 'order', orderId: order.id, order, claimed: false });
        continue;
      }
      const leader = leaders.get(key);
      if (leader) leader.followers.push(pending);
      else leaders.set(key, { pending, followers: [] });
    }
    return [...leaders.values()];
  }

  // Once a sku is known short, checkouts asking for more than is left are answered without a saga.
  #refuseSoldOut(fresh: { pending: Submitted; followers: Submitted[] }[]) {
    return fresh.filter((entry) => {
      const short = this.#soldOut.shortLine(entry.pending.item.request.items);
      if (!short) return true;
      for (const p of [entry.pending, ...entry.followers]) p.resolve({ kind: 'soldOut', ...short });
      return false;
    });
  }

  // 2. One call to products for every sku of the batch whose price is not kept from an earlier batch.
  async #price(fresh: { pending: Submitted; followers: Submitted[] }[]): Promise<{ pending: Submitted; followers: Submitted[]; priced: PricedCheckout }[]> {
    if (!fresh.length) return [];
    let prices;
    try {
      prices = await this.#prices.variantPrices([...new Set(fresh.flatMap((e) => e.pending.item.request.items.map((i) => i.sku)))]);
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      const refusal = new GraphQLError('The catalogue could not price your cart right now; nothing was ordered. Try again.', {
        extensions: { code: CheckoutErrorCode.SERVICE_UNAVAILABLE },
      });
      for (const e of fresh) for (const p of [e.pending, ...e.followers]) p.reject(refusal);
      return [];
    }
    const out = [];
    for (const entry of fresh) {
      try {
        out.push({ ...entry, priced: priceCheckout(entry.pending.item.request, prices) });
      } catch (error) {
        for (const p of [entry.pending, ...entry.followers]) p.reject(error);
      }
    }
    return out;
  }

  // 3. Every order of the batch in one statement; a key a twin took meanwhile goes the one-request way.
  async #insert(repository: OrderRepository, priced: { pending: Submitted; followers: Submitted[]; priced: PricedCheckout }[]): Promise<Placed[]> {
    const at = new Date();
    const placed: Placed[] = priced.map((entry) => ({
      ...entry,
      order: {
        id: randomUUID(),
        userId: entry.pending.item.userId,
        idempotencyKey: entry.pending.item.request.idempotencyKey,
        requestHash: entry.pending.item.request.requestHash,
        currency: entry.priced.currency,
        totalAmount: entry.priced.total,
        sagaStep: 'RESERVING',
        items: entry.priced.items,
        at,
      },
    }));
    const inserted = await repository.insertManyIfKeysAreNew(placed.map((p) => p.order));
    return placed.filter((p) => {
      if (inserted.has(p.order.id)) return true;
      for (const s of [p.pending, ...p.followers]) s.resolve({ kind: 'alone' });
      return false;
    });
  }

  // 4. One reserve call. Nothing is recorded yet: the batch's outcome is recorded once, after authorization.
  async #reserve(placed: Placed[]): Promise<{ held: Placed[]; short: { p: Placed; sku: string; available: number; message: string }[] }> {
    if (!placed.length) return { held: [], short: [] };
    const ttlSeconds = this.#settings.reservationTtlSeconds;
    let results: Awaited<ReturnType<SagaServices['inventory']['reserveMany']>>;
    try {
      results = await this.#services.inventory.reserveMany(placed.map((p) => ({ orderId: p.order.id, items: p.order.items, ttlSeconds })));
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      results = placed.map(() => error);
    }
    const held: Placed[] = [];
    const short: { p: Placed; sku: string; available: number; message: string }[] = [];
    results.forEach((result, i) => {
      const p = placed[i]!;
      // The saga alone reserves again (idempotent per order) and goes on from there.
      if (result instanceof ServiceCallError) return this.#driveAlone(p);
      if (result.kind === 'insufficient') {
        this.#soldOut.learn(result.sku, result.available);
        short.push({ p, sku: result.sku, available: result.available, message: result.message });
      } else held.push(p);
    });
    return { held, short };
  }

  // 5. One authorize call for the orders whose stock is held.
  async #authorize(held: Placed[]): Promise<Authorized[]> {
    if (!held.length) return [];
    let results: Awaited<ReturnType<SagaServices['payments']['authorizeMany']>>;
    try {
      results = await this.#services.payments.authorizeMany(
        held.map((p) => ({ orderId: p.order.id, userId: p.order.userId, token: p.pending.item.request.paymentToken, amount: p.order.totalAmount, currency: p.order.currency })),
      );
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      results = held.map(() => error);
    }
    const authorized: Authorized[] = [];
    results.forEach((result, i) => {
      const p = held[i]!;
      if (!(result instanceof ServiceCallError) && result.kind === 'authorized') authorized.push({ p, paymentId: result.paymentId });
      // Declined, timed out or failed: the one-order saga decides from RESERVING (it reserves and asks payments
      // again, both idempotent per order, then compensates or goes on).
      else this.#driveAlone(p);
    });
    return authorized;
  }

  /**
   * 6. The batch's outcome in one statement: the short orders DONE and
   * CANCELLED (InsufficientStock, OrderCancelled), the authorized ones at
   * CAPTURING and CONFIRMED (OrderPlaced, the buyer's answer), each a
   * compare-and-set from RESERVING with its history row and outbox event.
   * An order is never recorded as anything between RESERVING and its
   * outcome: a crash before this statement leaves it at RESERVING, which
   * recovery compensates (releases the hold, voids the authorization; both
   * harmless when there is nothing to release).
   */
  async #record(repository: OrderRepository, short: { p: Placed; sku: string; available: number; message: string }[], authorized: Authorized[]): Promise<void> {
    if (!short.length && !authorized.length) return;
    const at = new Date();
    const moves: SagaMove[] = [
      ...short.map(({ p, sku, available, message }) => ({
        id: p.order.id,
        from: 'RESERVING' as const,
        to: 'DONE' as const,
        status: 'CANCELLED' as const,
        reason: `insufficient stock of ${sku}`,
        outcome: { type: 'InsufficientStock' as const, sku, available, message },
      })),
      ...authorized.map(({ p, paymentId }) => ({
        id: p.order.id,
        from: 'RESERVING' as const,
        to: 'CAPTURING' as const,
        status: 'CONFIRMED' as const,
        reason: 'stock held and payment authorized',
        outcome: { type: 'OrderPlaced' as const, paymentId },
      })),
    ];
    const placedById = new Map([...short, ...authorized].map(({ p }) => [p.order.id, p]));
    const events = moves.flatMap((move) => {
      const p = placedById.get(move.id)!;
      const event = orderEventFor(
        { id: p.order.id, userId: p.order.userId, status: move.status, updatedAt: at, placedAt: p.order.at, totalAmount: p.order.totalAmount, currency: p.order.currency } as Order,
        'PENDING',
        move.reason ?? null,
        p.order.items.map((i) => ({ ...i, currency: p.order.currency })),
      );
      return event ? [{ ...event, key: p.order.id, traceContext: p.pending.item.traceContext }] : [];
    });
    const moved = new Map((await repository.moveSagas(moves, at, events)).map((o) => [o.id, o]));
    for (const { p } of short) {
      const order = moved.get(p.order.id);
      if (order) this.#settle(p, order);
      // Another driver (a sweeper) moved the saga meanwhile: nothing is held; leave the saga to it.
      else this.#driveAlone(p);
    }
    for (const { p } of authorized) {
      const order = moved.get(p.order.id);
      if (order) {
        this.#settle(p, order);
        continue;
      }
      // Authorized, but a sweeper took the saga over meanwhile: it compensates; release what we hold.
      void Promise.allSettled([this.#services.payments.void(p.order.id), this.#services.inventory.release(p.order.id)]);
      this.#driveAlone(p);
    }
  }

  /** Hands one order to the one-order saga from where it stands; its requests are answered when that settles. */
  #driveAlone(p: Placed): void {
    this.#saga.drive(p.order.id, { kind: 'checkout', paymentToken: p.pending.item.request.paymentToken }).then(
      (order) => this.#settle(p, order),
      (error: unknown) => {
        this.#logger.error({ err: error, orderId: p.order.id }, 'checkout saga failed; the sweeper will settle it');
        this.#settle(p, null);
      },
    );
  }

  #settle(p: Placed, order: Order | null): void {
    p.pending.resolve({ kind: 'order', orderId: p.order.id, order, claimed: true });
    for (const follower of p.followers) follower.resolve({ kind: 'order', orderId: p.order.id, order: null, claimed: false });
  }
}
