import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { consumerDeadLetters, consumerRetries, reportConsumerLag } from './instruments.ts';
import type { Logger } from './logger.ts';
import { inConsumerSpan, traceCarrierOf } from './telemetry/trace-carrier.ts';

/**
 * The consumer side of the event backbone: a Redis Streams consumer group
 * reading the events the outbox relays publish (`platform/src/outbox.ts`:
 * entries with the fields `id`, `type`, `payload`, `createdAt`).
 *
 * Delivery contract, for a handler's author:
 * - At least once. An entry is acknowledged (XACK) only after its handler
 *   resolved; a consumer that dies before that leaves the entry pending, and
 *   a live consumer of the same group takes it over (XAUTOCLAIM) once it has
 *   been idle for `claimIdleMs`. Handlers must therefore be idempotent.
 * - Deduplicated by event id: the outbox may publish one event twice (a relay
 *   that died between XADD and its commit). After a handler succeeds, the
 *   event id is remembered for `dedupTtlMs` under
 *   `<stream>:<group>:done:<id>`, in the same MULTI as the XACK; an entry
 *   whose id is remembered is acknowledged without running the handler.
 * - Retries with backoff: a handler that throws is called again for the
 *   same entry after `retryDelayMs(attempt)` (200 ms, doubling, at most
 *   `maxRetryDelayMs`). The attempt count lives in Redis
 *   (`<stream>:<group>:attempts`), so it survives a consumer's death and an
 *   entry that crashes every consumer (a poison message) still ends.
 * - Dead letters: after `maxAttempts` failures the entry is copied to
 *   `deadLetterStream` (default `<stream>:dead`) with the fields `group`,
 *   `entryId`, `attempts` and `error` added, and acknowledged. Nothing is
 *   dropped silently; an operator replays dead letters by XADDing them back.
 * - Lag: `lag()` reports the group's entries not yet delivered (XINFO
 *   GROUPS `lag`) and delivered but not acknowledged (`pending`), for a
 *   metrics gauge.
 * - Order: entries of one batch are handled concurrently and retries run
 *   later than entries behind them; events that must be ordered carry their
 *   own version (as the outbox says).
 * - Batches: a consumer whose work is cheaper per event when done for many
 *   at once (one service call, one multi-row statement) gives `handleBatch`
 *   instead of `handle`: it gets every fresh entry of one read (up to
 *   `batchSize`) and answers per event, so one failing event is retried
 *   alone (a retry is a batch of one) while the others are acknowledged.
 * - Trace context: an entry's extra fields (e.g. `traceparent`) reach the
 *   handler in `fields`. With tracing on, each `handle` call runs in a
 *   CONSUMER span (`process <stream>`) that continues the trace the event
 *   carried; a `handleBatch` call runs in one span linked to every event's
 *   trace (a batch of one continues its event's trace).
 */
export interface StreamEvent {
  /** The stream entry id (`1700000000000-0`). */
  entryId: string;
  /** The event id given by the producer (the outbox row id); the deduplication key. */
  id: string;
  type: string;
  /** `payload` parsed from JSON. */
  payload: unknown;
  createdAt: string;
  /** 1 on the first delivery to a handler, 2 on the first retry, ... */
  attempt: number;
  /** Every field of the entry as written. */
  fields: Readonly<Record<string, string>>;
}

export interface StreamConsumerOptions {
  /**
   * A Redis connection. The consumer blocks on a duplicate of it (XREADGROUP
   * BLOCK), so it never holds up other commands on this one.
   */
  redis: Redis;
  stream: string;
  group: string;
  /** This consumer's name in the group; default host, pid and a random suffix. */
  consumer?: string;
  /** Handles one event; resolving acknowledges it, throwing retries it. Give this or `handleBatch`. */
  handle?(event: StreamEvent): Promise<void>;
  /**
   * Handles the fresh events of one read together. Returns, per event in
   * the order given, `undefined` when it is done or the error it failed
   * with (the event is retried alone); throwing fails every event of the
   * batch.
   */
  handleBatch?(events: readonly StreamEvent[]): Promise<readonly (Error | undefined)[]>;
  logger: Logger;
  /** Entries read per XREADGROUP (and handled concurrently). Default 100. */
  batchSize?: number;
  /** How long one XREADGROUP waits for new entries (ms). Default 1000. */
  blockMs?: number;
  /** Failures after which an entry is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Pause before retry number `attempt` (1-based). Default 200 ms x 2^(attempt-1), capped. */
  retryDelayMs?: (attempt: number) => number;
  /** Cap of the default retry delay (ms). Default 10000; keep it below `claimIdleMs`. */
  maxRetryDelayMs?: number;
  /** A pending entry idle this long belongs to a dead consumer and is claimed (ms). Default 30000. */
  claimIdleMs?: number;
  /** How often this consumer looks for such entries (ms). Default 5000. */
  claimIntervalMs?: number;
  /** How long a handled event id is remembered for deduplication (ms). Default 24 h. */
  dedupTtlMs?: number;
  /** Where entries go after `maxAttempts` failures. Default `<stream>:dead`. */
  deadLetterStream?: string;
  /** Where a new group starts: `0` (the whole stream, the default) or `$` (only new entries). */
  startAt?: '0' | '$';
}

export interface StreamConsumerStats {
  handled: number;
  duplicates: number;
  retries: number;
  deadLettered: number;
  claimed: number;
}

export interface StreamLag {
  /** Entries in the stream not yet delivered to this group (null when Redis cannot tell). */
  lag: number | null;
  /** Entries delivered to the group and not yet acknowledged. */
  pending: number;
}

export interface StreamConsumer {
  readonly consumer: string;
  /** Counters since start (for metrics). */
  stats(): StreamConsumerStats;
  /** The group's backlog, read from Redis. */
  lag(): Promise<StreamLag>;
  /** Stops reading, waits for handlers in progress (their entries are acknowledged or left pending), closes the blocking connection. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  batchSize: 100,
  blockMs: 1_000,
  maxAttempts: 5,
  maxRetryDelayMs: 10_000,
  claimIdleMs: 30_000,
  claimIntervalMs: 5_000,
  dedupTtlMs: 24 * 60 * 60 * 1000,
};

type Entry = [id: string, fields: string[]];

/**
 * Resolves once `redis` is connected (or after `timeoutMs`, leaving the
 * caller's first command to fail): connections made with `connectRedis` do
 * not queue commands while they connect.
 */
export function redisReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Creates the group if it does not exist yet (MKSTREAM: the stream may not exist either). */
export async function ensureConsumerGroup(redis: Redis, stream: string, group: string, startAt: '0' | '$' = '0'): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, startAt, 'MKSTREAM');
  } catch (error) {
    if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
  }
}

/** Starts consuming `stream` as `group`; see the delivery contract above. */
export async function startStreamConsumer(options: StreamConsumerOptions): Promise<StreamConsumer> {
  const settings = { ...DEFAULTS, ...options };
  const { stream, group, logger } = options;
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const deadLetterStream = options.deadLetterStream ?? `${stream}:dead`;
  const attemptsKey = `${stream}:${group}:attempts`;
  const doneKey = (id: string) => `${stream}:${group}:done:${id}`;
  const retryDelayMs = options.retryDelayMs ?? ((attempt: number) => Math.min(settings.maxRetryDelayMs, 200 * 2 ** (attempt - 1)));
  const redis = options.redis;
  const { handle, handleBatch } = options;
  if (!handle === !handleBatch) throw new Error('a stream consumer takes exactly one of handle and handleBatch');
  const run = async (events: readonly StreamEvent[]): Promise<PromiseSettledResult<void>[]> => {
    const span = (batch: readonly StreamEvent[]) => ({
      stream,
      group,
      carriers: batch.map((e) => traceCarrierOf(e.fields)),
      ...(batch.length === 1 ? { messageId: batch[0]!.id } : {}),
    });
    if (handle) return Promise.allSettled(events.map((event) => inConsumerSpan(span([event]), () => handle(event))));
    let errors: readonly (Error | undefined)[];
    try {
      errors = await inConsumerSpan(span(events), () => handleBatch!(events));
    } catch (error) {
      return events.map(() => ({ status: 'rejected', reason: error }));
    }
    return events.map((_, i) => {
      const error = errors[i];
      return error === undefined ? { status: 'fulfilled', value: undefined } : { status: 'rejected', reason: error };
    });
  };
  await redisReady(redis);
  await ensureConsumerGroup(redis, stream, group, options.startAt ?? '0');
  // XREADGROUP BLOCK holds its connection: give it one of its own.
  const reader = redis.duplicate();
  reader.on('error', () => {}); // failures surface on the reads, which are retried
  await redisReady(reader);

  const stats: StreamConsumerStats = { handled: 0, duplicates: 0, retries: 0, deadLettered: 0, claimed: 0 };
  const inFlight = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let lastClaimAt = 0;
  let failures = 0;

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  /** Handles entries read or claimed: duplicates acked at once, the rest run, then acked together. */
  async function handleEntries(entries: readonly Entry[]): Promise<void> {
    const events = entries.map(([entryId, raw]) => toEvent(entryId, raw));
    const seen = events.length ? await redis.mget(...events.map((e) => doneKey(e.id))) : [];
    const duplicates = events.filter((_, i) => seen[i] !== null);
    const fresh = events.filter((_, i) => seen[i] === null);
    if (duplicates.length) {
      stats.duplicates += duplicates.length;
      await redis.xack(stream, group, ...duplicates.map((e) => e.entryId));
    }
    if (!fresh.length) return;
    const attempts = await redis.hmget(attemptsKey, ...fresh.map((e) => e.entryId));
    fresh.forEach((event, i) => (event.attempt = Number(attempts[i] ?? 0) + 1));
    const outcomes = await run(fresh);
    const succeeded = fresh.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    if (succeeded.length) {
      const multi = redis.multi();
      for (const event of succeeded) multi.set(doneKey(event.id), '1', 'PX', settings.dedupTtlMs);
      multi.xack(stream, group, ...succeeded.map((e) => e.entryId));
      multi.hdel(attemptsKey, ...succeeded.map((e) => e.entryId));
      await multi.exec();
      stats.handled += succeeded.length;
    }
    for (const [i, event] of fresh.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.status === 'rejected') await failed(event, outcome.reason);
    }
  }

  async function failed(event: StreamEvent, error: unknown): Promise<void> {
    const attempts = await redis.hincrby(attemptsKey, event.entryId, 1);
    const message = error instanceof Error ? error.message : String(error);
    if (attempts >= settings.maxAttempts) {
      const fields = Object.entries({ ...event.fields, group, entryId: event.entryId, attempts: String(attempts), error: message.slice(0, 1000) }).flat();
      await redis.multi().xadd(deadLetterStream, '*', ...fields).xack(stream, group, event.entryId).hdel(attemptsKey, event.entryId).exec();
      stats.deadLettered += 1;
      consumerDeadLetters().inc({ stream, group });
      logger.error({ stream, group, eventId: event.id, type: event.type, attempts, err: error }, 'event handler kept failing; event moved to the dead-letter stream');
      return;
    }
    stats.retries += 1;
    consumerRetries().inc({ stream, group });
    logger.warn({ stream, group, eventId: event.id, type: event.type, attempts, err: error }, 'event handler failed; will retry');
    // The entry stays pending under this consumer until the retry (or, if we die, until another consumer claims it).
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      if (stopped) return;
      track(retry(event.entryId));
    }, retryDelayMs(attempts));
    retryTimers.add(timer);
  }

  /** Re-reads one of our pending entries (XCLAIM with no idle minimum keeps it ours) and handles it again. */
  async function retry(entryId: string): Promise<void> {
    try {
      const claimed = (await redis.xclaim(stream, group, consumer, 0, entryId)) as Entry[];
      await handleEntries(claimed.filter((entry) => entry && entry[1]));
    } catch (error) {
      logger.warn({ err: error, stream, group, entryId }, 'retry of an event failed to run; the entry stays pending');
    }
  }

  /** Takes over entries a dead (or stuck) consumer left pending for `claimIdleMs`. */
  async function claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(stream, group, consumer, settings.claimIdleMs, cursor, 'COUNT', settings.batchSize)) as [string, Entry[]];
      // Entries deleted from the stream meanwhile come back as null.
      const live = entries.filter((entry) => entry && entry[1]);
      if (live.length) {
        stats.claimed += live.length;
        logger.info({ stream, group, claimed: live.length }, 'claimed events left pending by another consumer');
        await handleEntries(live);
      }
      cursor = next;
    } while (cursor !== '0-0' && !stopped);
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        if (Date.now() - lastClaimAt >= settings.claimIntervalMs) {
          lastClaimAt = Date.now();
          await claimAbandoned();
        }
        const reply = (await reader.xreadgroup(
          'GROUP', group, consumer, 'COUNT', settings.batchSize, 'BLOCK', settings.blockMs, 'STREAMS', stream, '>',
        )) as [string, Entry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length) await handleEntries(entries);
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        if (failures <= 3 || failures % 100 === 0) logger.warn({ err: error, stream, group, failures }, 'stream consumer failed to read; will retry');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(failures, 6))));
      }
    }
  }

  const running = loop();
  const lag = async (): Promise<StreamLag> => {
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    for (const raw of groups) {
      const info = pairs(raw);
      if (info.name !== group) continue;
      return { lag: info.lag === null || info.lag === undefined ? null : Number(info.lag), pending: Number(info.pending ?? 0) };
    }
    return { lag: null, pending: 0 };
  };
  const unreport = reportConsumerLag({ stream, group, lag });
  return {
    consumer,
    stats: () => ({ ...stats }),
    lag,
    async stop() {
      stopped = true;
      unreport();
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      // Unblocks a pending XREADGROUP at once.
      reader.disconnect();
      await running;
      await Promise.allSettled([...inFlight]);
    },
  };
}

function toEvent(entryId: string, raw: readonly string[]): StreamEvent {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) fields[raw[i]!] = raw[i + 1]!;
  let payload: unknown = null;
  try {
    payload = fields.payload === undefined ? null : JSON.parse(fields.payload);
  } catch {
    payload = fields.payload;
  }
  // An entry without an id (not written by an outbox) is deduplicated by its entry id.
  return { entryId, id: fields.id ?? entryId, type: fields.type ?? '', payload, createdAt: fields.createdAt ?? '', attempt: 1, fields };
}

function pairs(raw: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i])] = raw[i + 1];
  return out;
}
