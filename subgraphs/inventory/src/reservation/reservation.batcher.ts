import { randomUUID } from 'node:crypto';
import { admissionRefusals, BatchQueue, notFound, reservationBatchSize, splitByKey, type EntityManager, type MikroORM, type Pending } from '@shop/platform';
import { GraphQLError } from 'graphql';
import type { StockNotifier } from '../stock/stock.notifier.ts';
import type { StockSnapshot } from '../stock/stock-level.ts';
import { StockRepository } from '../stock/stock.repository.ts';
import { ReservationRepository } from './reservation.repository.ts';
import { groupByOrder, replayReservation, toReservation, type CommitOutcome, type ReserveOutcome } from './reservation.service.ts';

/** A reservation of one sku for one order, as the batcher takes it (checked already). */
export interface SingleReservation {
  orderId: string;
  sku: string;
  quantity: number;
  ttlMs: number;
}

/** The commit of an order whose reservation is one line of `sku`. */
export interface SingleCommit {
  orderId: string;
  sku: string;
}

export interface ReservationBatcherOptions {
  /**
   * How long the first reservation (or commit) of an idle sku waits for
   * others to join its batch (ms). 0: no wait, so only those that arrive
   * while the sku's previous batch runs are merged (pure group commit).
   */
  maxWaitMs?: number;
  /** The most reservations (or commits) merged into one transaction. */
  maxBatchSize?: number;
  /**
   * Admission control: the most reservations (and, apart, commits) waiting
   * for one sku on this replica. More are refused at once
   * (SERVICE_UNAVAILABLE, retryable), so a crowd cannot queue without bound
   * behind one sku.
   */
  maxQueuedPerSku?: number;
  /** Told about every batch once it is answered (metrics, tests). */
  onBatch?: (batch: BatchReport) => void;
}

export interface BatchReport {
  kind: 'reserve' | 'commit';
  sku: string;
  /** Orders decided by this batch's transaction. */
  size: number;
  /** How many of them hold (reserve) or sold (commit) stock now. */
  changed: number;
}

type Reserving = Pending<SingleReservation, ReserveOutcome>;
type Committing = Pending<SingleCommit, CommitOutcome>;
type Decision<R> = { result: R } | { error: unknown };

const DEFAULTS = { maxWaitMs: 5, maxBatchSize: 100, maxQueuedPerSku: 10_000 };

/**
 * Hot-sku reservations. A live sale sends hundreds of reservations per
 * second at one sku, then as many commits once payments go through. Each
 * would otherwise be its own transaction queuing for that sku's row lock,
 * holding it across several round trips: the row lock would set the pace
 * of the whole sale (see bench/reserve.bench.ts). Instead, single-sku
 * reservations of one sku that arrive within `maxWaitMs` (or while the
 * sku's previous batch runs) are merged, up to `maxBatchSize`, into ONE
 * transaction:
 *
 * 1. lock the batch's orders (advisory locks, as a lone reservation does)
 *    and read the reservations they already have: those are replays, and
 *    get the first reservation again, exactly as a lone retry would;
 * 2. take the units of all the others with one conditional update of the
 *    stock row (`available >= total`). When that fails, lock the row, serve
 *    the reservations in arrival order while units last, and take only
 *    those units: the same outcome as running them one after another;
 * 3. insert every new reservation row in one statement, commit, and answer
 *    each caller.
 *
 * Commits of single-sku reservations are merged the same way: one update
 * of the reservation rows and one of the stock row per batch.
 *
 * PostgreSQL still decides every sale (the conditional update, the CHECK
 * constraints); the row is locked once per batch instead of once per
 * order. One reserve batch and one commit batch per sku run at a time on a
 * replica; replicas contend for the row lock as before, each with batches.
 * Multi-sku reservations and their commits run alone (ReservationService).
 */
export class ReservationBatcher {
  readonly #orm: MikroORM;
  readonly #notifier: StockNotifier;
  readonly #onBatch: ReservationBatcherOptions['onBatch'];
  readonly #reserves: BatchQueue<SingleReservation, ReserveOutcome>;
  readonly #commits: BatchQueue<SingleCommit, CommitOutcome>;

  constructor(orm: MikroORM, notifier: StockNotifier, options: ReservationBatcherOptions = {}) {
    this.#orm = orm;
    this.#notifier = notifier;
    this.#onBatch = options.onBatch;
    const { maxWaitMs, maxBatchSize, maxQueuedPerSku } = { ...DEFAULTS, ...options };
    const queueOptions = { maxWaitMs, maxBatchSize, maxQueuedPerKey: maxQueuedPerSku };
    this.#reserves = new BatchQueue((sku, batch) => this.#reserveBatch(sku, batch), queueOptions, overloaded);
    this.#commits = new BatchQueue((sku, batch) => this.#commitBatch(sku, batch), queueOptions, overloaded);
  }

  /** Reserves `quantity` units of `sku` for `orderId` in the sku's next batch. */
  reserve(reservation: SingleReservation): Promise<ReserveOutcome> {
    return this.#reserves.enqueue(reservation.sku, reservation);
  }

  /** Commits the one-line reservation of `orderId` in its sku's next commit batch. */
  commit(commit: SingleCommit): Promise<CommitOutcome> {
    return this.#commits.enqueue(commit.sku, commit);
  }

  /** Resolves once nothing is waiting or running (for shutdown). */
  async drain(): Promise<void> {
    await Promise.all([this.#reserves.drain(), this.#commits.drain()]);
  }

  async #reserveBatch(sku: string, batch: Reserving[]): Promise<Reserving[]> {
    const { leaders, followers, later } = splitByOrder(batch, (a, b) => a.item.quantity === b.item.quantity);
    const result = await this.#orm.em.fork().transactional((tx) => decideReservations(tx, sku, leaders));
    if (result.snapshot) await this.#notifier.changed([result.snapshot]);
    // Nothing taken, but PostgreSQL said how many are left: later calls can be turned away early.
    else if (result.level) await this.#notifier.cache.write([result.level]);
    answer(leaders, followers, result.decisions);
    this.#report('reserve', sku, leaders.length, result.decisions, (outcome) => outcome.kind === 'reserved');
    // A different request for an order already in this batch is decided
    // after it, against what it did (a replay, or a CONFLICT).
    return later;
  }

  async #commitBatch(sku: string, batch: Committing[]): Promise<Committing[]> {
    const { leaders, followers } = splitByOrder(batch, () => true);
    const result = await this.#orm.em.fork().transactional((tx) => decideCommits(tx, sku, leaders));
    if (result.snapshot) await this.#notifier.changed([result.snapshot]);
    answer(leaders, followers, result.decisions);
    this.#report('commit', sku, leaders.length, result.decisions, () => true, result.committedNow);
    return [];
  }

  #report<R>(kind: BatchReport['kind'], sku: string, size: number, decisions: Map<unknown, Decision<R>>, counts: (result: R) => boolean, changed?: number) {
    reservationBatchSize().observe({ kind }, size);
    if (!this.#onBatch) return;
    const count = changed ?? [...decisions.values()].filter((d) => 'result' in d && counts(d.result)).length;
    this.#onBatch({ kind, sku, size, changed: count });
  }
}

function overloaded(sku: string): Error {
  admissionRefusals().inc({ gate: 'reservation', reason: 'queue-full' });
  return new GraphQLError(`Too many requests for ${sku} are waiting; try again shortly.`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
  });
}

interface ReserveBatchResult {
  decisions: Map<Reserving, Decision<ReserveOutcome>>;
  /** The stock row after the batch took units; undefined when it took none. */
  snapshot?: StockSnapshot;
  /** The level PostgreSQL reported when the batch took nothing. */
  level?: { sku: string; available: number };
}

/** The transaction of a reserve batch (steps 1 to 3 of ReservationBatcher). */
async function decideReservations(tx: EntityManager, sku: string, leaders: Reserving[]): Promise<ReserveBatchResult> {
  const reservations = new ReservationRepository(tx);
  const stock = new StockRepository(tx);
  const decisions = new Map<Reserving, Decision<ReserveOutcome>>();

  const orderIds = leaders.map((p) => p.item.orderId);
  await reservations.lockOrders(orderIds);
  const existing = groupByOrder(await reservations.findByOrders(orderIds));
  const fresh: Reserving[] = [];
  for (const pending of leaders) {
    const rows = existing.get(pending.item.orderId);
    if (rows) decisions.set(pending, decide(() => replayReservation(toReservation(rows), [{ sku, quantity: pending.item.quantity }])));
    else fresh.push(pending);
  }
  if (fresh.length === 0) return { decisions };

  const total = sumOf(fresh);
  let snapshot = await stock.holdUnits(sku, total);
  let winners = fresh;
  let level: { sku: string; available: number } | undefined;
  if (!snapshot) {
    const locked = await stock.lockSnapshot(sku);
    let left = locked?.available ?? 0;
    winners = [];
    for (const pending of fresh) {
      if (pending.item.quantity <= left) {
        winners.push(pending);
        left -= pending.item.quantity;
      } else {
        decisions.set(pending, { result: { kind: 'insufficient', sku, requested: pending.item.quantity, available: left } });
      }
    }
    if (winners.length > 0) {
      snapshot = await stock.holdUnits(sku, sumOf(winners));
      if (!snapshot) throw new Error(`stock of ${sku} changed under its row lock`);
    } else {
      level = { sku, available: left };
    }
  }

  const inserted = await reservations.insertHeldMany(
    winners.map(({ item }) => ({ id: randomUUID(), orderId: item.orderId, sku, quantity: item.quantity, ttlMs: item.ttlMs })),
  );
  const byOrder = new Map(inserted.map((row) => [row.orderId, row]));
  for (const pending of winners) {
    const row = byOrder.get(pending.item.orderId);
    if (!row) throw new Error(`reservation of order ${pending.item.orderId} was not recorded`);
    decisions.set(pending, { result: { kind: 'reserved', reservation: toReservation([row]) } });
  }
  return { decisions, ...(snapshot ? { snapshot } : {}), ...(level ? { level } : {}) };
}

interface CommitBatchResult {
  decisions: Map<Committing, Decision<CommitOutcome>>;
  snapshot?: StockSnapshot;
  committedNow: number;
}

/**
 * The transaction of a commit batch: lock the orders, move their HELD lines
 * to COMMITTED in one statement, sell the units from the stock row in one
 * more. Orders with nothing HELD get what a lone commit would answer:
 * committed already, released (nothing sold), or NOT_FOUND.
 */
async function decideCommits(tx: EntityManager, sku: string, leaders: Committing[]): Promise<CommitBatchResult> {
  const reservations = new ReservationRepository(tx);
  const stock = new StockRepository(tx);
  const decisions = new Map<Committing, Decision<CommitOutcome>>();
  const orderIds = leaders.map((p) => p.item.orderId);
  await reservations.lockOrders(orderIds);

  const closed = await reservations.closeHeldMany(orderIds, 'COMMITTED');
  // Only orders whose reservation is this one sku are routed here, and a reservation's lines never change.
  const strays = closed.filter((row) => row.sku !== sku);
  if (strays.length > 0) throw new Error(`commit batch of ${sku} closed lines of ${strays[0]?.sku}`);
  const units = closed.reduce((sum, row) => sum + row.quantity, 0);
  const [snapshot] = units > 0 ? await stock.settleHeldUnits([{ sku, quantity: units }], 'COMMIT') : [];

  const committedNow = groupByOrder(closed);
  const others = leaders.filter((p) => !committedNow.has(p.item.orderId)).map((p) => p.item.orderId);
  const current = groupByOrder(await reservations.findByOrders(others));
  for (const pending of leaders) {
    const { orderId } = pending.item;
    const rows = committedNow.get(orderId) ?? current.get(orderId);
    decisions.set(
      pending,
      decide(() => {
        if (!rows) throw notFound(`Order ${orderId} has no reservation.`);
        const reservation = toReservation(rows);
        return reservation.status === 'RELEASED' ? { kind: 'released', reservation } : { kind: 'committed', reservation };
      }),
    );
  }
  return { decisions, ...(snapshot ? { snapshot } : {}), committedNow: committedNow.size };
}

/** splitByKey by order, for the requests waiting in a batch. */
function splitByOrder<T extends { orderId: string }, R>(batch: readonly Pending<T, R>[], sameAs: (a: Pending<T, R>, b: Pending<T, R>) => boolean) {
  return splitByKey(batch, (pending) => pending.item.orderId, sameAs);
}

function answer<T, R>(leaders: readonly Pending<T, R>[], followers: readonly [Pending<T, R>, Pending<T, R>][], decisions: Map<Pending<T, R>, Decision<R>>) {
  const settle = (pending: Pending<T, R>, decision: Decision<R> | undefined) => {
    if (!decision) pending.reject(new Error('a batched request was left undecided'));
    else if ('result' in decision) pending.resolve(decision.result);
    else pending.reject(decision.error);
  };
  for (const leader of leaders) settle(leader, decisions.get(leader));
  for (const [follower, leader] of followers) settle(follower, decisions.get(leader));
}

function decide<R>(fn: () => R): Decision<R> {
  try {
    return { result: fn() };
  } catch (error) {
    return { error };
  }
}

function sumOf(batch: readonly Reserving[]): number {
  return batch.reduce((sum, pending) => sum + pending.item.quantity, 0);
}
