import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { startPeriodicTask } from './periodic.ts';
import { sql, type EntityManager, type MikroORM } from './database.ts';
import type { Logger } from './logger.ts';
import { currentTraceCarrier, type TraceCarrier } from './telemetry/trace-carrier.ts';

/**
 * The transactional outbox: a service writes its events into an `outbox`
 * table in the same transaction as the state change they describe, so an
 * event exists if and only if the change committed. A relay then copies
 * unpublished rows to a Redis Stream and marks them published.
 *
 * Delivery is at least once. Several relays (one per replica) never take
 * the same row at the same time (`for update skip locked`), so in normal
 * operation each event reaches the stream once; but a relay that dies after
 * XADD and before its commit leaves the rows unpublished, and they are sent
 * again. Consumers therefore deduplicate by the event's `id` field (the
 * outbox row id, a UUID), for example with `SET seen:<group>:<id> 1 NX EX
 * <retention>` before acting, or a unique key on the id in their own
 * transaction. Stream order follows creation order only roughly (two relays
 * interleave batches, and transactions commit in another order than they
 * start): events that must be ordered carry their own version.
 *
 * A stream entry has the fields `id`, `type`, `payload` (JSON) and
 * `createdAt` (ISO 8601), and, when the change was made while tracing, the
 * W3C trace context of the operation that made it (`traceparent`,
 * `tracestate`), so that a consumer continues that trace.
 */

/**
 * DDL of an outbox table in the current schema, for a service's migration.
 * The partial index keeps the relay's scan proportional to the backlog, not
 * to the table.
 */
export function createOutboxTableSql(table = 'outbox'): string[] {
  return [
    `create table ${table} (
      id uuid primary key default gen_random_uuid(),
      type text not null,
      payload jsonb not null,
      created_at timestamptz(3) not null default now(),
      published_at timestamptz(3)
    )`,
    `create index ${table}_unpublished_idx on ${table} (created_at, id) where published_at is null`,
    `create index ${table}_published_idx on ${table} (published_at) where published_at is not null`,
  ];
}

/** DDL adding the trace context column to an outbox table made by createOutboxTableSql (a later migration of each service). */
export function addOutboxTraceContextSql(table = 'outbox'): string[] {
  return [`alter table ${table} add column if not exists trace_context jsonb`];
}

/** An event to record: `type` names it (e.g. `OrderPlaced`), `payload` is its JSON body. */
export interface OutboxEventInput {
  type: string;
  payload: unknown;
  /**
   * The trace the event belongs to; default the active one. A batch that
   * writes the events of several requests gives each its request's own.
   */
  traceContext?: TraceCarrier | undefined;
}

/**
 * Records events in the outbox on `em`'s current transaction (call it
 * inside the transaction that makes the change). Returns their ids.
 */
export async function writeOutboxEvents(em: EntityManager, events: readonly OutboxEventInput[], table = 'outbox'): Promise<string[]> {
  if (events.length === 0) return [];
  const records = outboxRecords(events.map((e) => ({ ...e, key: '' })));
  await sql(
    em,
    `insert into ${qualifiedTable(em, table)} (id, type, payload, trace_context)
       select id, type, payload, trace_context from jsonb_to_recordset(?::jsonb) as e(${OUTBOX_RECORD_COLUMNS})`,
    [JSON.stringify(records)],
  );
  const ids = records.map((r) => r.id);
  return ids;
}

/** One outbox row as `outboxRecords` gives it, keyed to the change it belongs to by `key`. */
export interface OutboxRecord {
  key: string;
  id: string;
  type: string;
  payload: unknown;
  trace_context: TraceCarrier | null;
}

/** The recordset columns of `outboxRecords`, for `jsonb_to_recordset(...) as e(${OUTBOX_RECORD_COLUMNS})`. */
export const OUTBOX_RECORD_COLUMNS = 'key text, id uuid, type text, payload jsonb, trace_context jsonb';

/**
 * Outbox rows for a service that writes its events in the same statement as
 * the change they describe (a data-modifying CTE inserting
 * `select id, type, payload, trace_context from jsonb_to_recordset(<json>)
 * as e(${OUTBOX_RECORD_COLUMNS}) where e.key in (<the keys that changed>)`):
 * one atomic statement instead of a transaction of several. `key` ties an
 * event to its change (an order id, say); ids are new UUIDs.
 */
export function outboxRecords(events: readonly (OutboxEventInput & { key: string })[]): OutboxRecord[] {
  const active = currentTraceCarrier();
  return events.map((e) => ({ key: e.key, id: randomUUID(), type: e.type, payload: e.payload, trace_context: traceOrNull(e.traceContext ?? active) }));
}

export interface OutboxRelayOptions {
  orm: MikroORM;
  /** The Redis connection to XADD on (see `connectRedis`). */
  redis: Redis;
  /** The stream events go to, e.g. `events:inventory`. */
  stream: string;
  logger: Logger;
  /** The outbox table in the ORM's schema. */
  table?: string;
  /** Rows per transaction (and per MULTI/EXEC). */
  batchSize?: number;
  /** Pause between polls when the outbox is empty (ms). */
  intervalMs?: number;
  /** The stream is trimmed to about this many entries (`MAXLEN ~`), so it cannot fill Redis. */
  maxStreamLength?: number;
  /** Published rows older than this are deleted (ms). */
  retentionMs?: number;
  /** A Redis call slower than this fails the batch, which is retried (ms). */
  timeoutMs?: number;
}

export interface OutboxRelay {
  /** Relays one batch; returns how many events it published. */
  relayOnce(): Promise<number>;
  /** Deletes published rows past the retention time; returns how many. */
  prune(): Promise<number>;
}

/**
 * One relay step at a time (tests and `startOutboxRelay` drive it): takes
 * up to `batchSize` unpublished rows that no other relay holds, appends them
 * to the stream in one MULTI/EXEC, and marks them published in the same
 * database transaction. If Redis fails, the transaction rolls back and the
 * rows stay unpublished for the next attempt.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const maxStreamLength = options.maxStreamLength ?? 1_000_000;
  const retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const table = () => qualifiedTable(options.orm.em, options.table ?? 'outbox');

  return {
    relayOnce: () =>
      options.orm.em.fork().transactional(async (tx) => {
        const rows = await sql<OutboxRow>(
          tx,
          `select id, type, payload, created_at, trace_context from ${table()}
            where published_at is null
            order by created_at, id
            limit ?
            for update skip locked`,
          [batchSize],
        );
        if (rows.length === 0) return 0;
        const multi = options.redis.multi();
        for (const row of rows) {
          multi.xadd(
            options.stream, 'MAXLEN', '~', String(maxStreamLength), '*',
            'id', row.id, 'type', row.type, 'payload', JSON.stringify(row.payload), 'createdAt', toIso(row.created_at),
            ...traceFields(row.trace_context),
          );
        }
        const results = await withTimeout(multi.exec(), timeoutMs, `XADD to ${options.stream}`);
        const failed = results?.find(([error]) => error) ?? (results ? undefined : [new Error('MULTI was discarded')]);
        if (failed) throw failed[0];
        await sql(tx, `update ${table()} set published_at = now() where id in (?)`, [rows.map((r) => r.id)]);
        return rows.length;
      }),
    async prune() {
      const rows = await sql<{ id: string }>(
        options.orm.em.fork(),
        `delete from ${table()} where id in (
           select id from ${table()} where published_at < now() - ? * interval '1 millisecond' limit 1000
         ) returning id`,
        [retentionMs],
      );
      return rows.length;
    },
  };
}

export interface RunningOutboxRelay {
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>;
}

/**
 * Runs a relay until stopped: batches back to back while the outbox has a
 * backlog, then a poll every `intervalMs`; prunes old rows about once a
 * minute. Safe to run on every replica.
 */
export function startOutboxRelay(options: OutboxRelayOptions): RunningOutboxRelay {
  const relay = createOutboxRelay(options);
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  let lastPruneAt = 0;
  let failures = 0;

  return startPeriodicTask(intervalMs, async (isStopped) => {
    try {
      let published: number;
      do {
        published = await relay.relayOnce();
      } while (published === batchSize && !isStopped());
      failures = 0;
      if (Date.now() - lastPruneAt > 60_000) {
        lastPruneAt = Date.now();
        await relay.prune();
      }
    } catch (error) {
      // Every poll fails the same way while Redis or PostgreSQL is down: log the first few.
      failures += 1;
      if (failures <= 3 || failures % 100 === 0) options.logger.warn({ err: error, failures, stream: options.stream }, 'outbox relay failed, will retry');
    }
  });
}

interface OutboxRow {
  id: string;
  type: string;
  payload: unknown;
  created_at: Date | string;
  trace_context: TraceCarrier | null;
}

/** A carrier to store (null when there is none: untraced events carry nothing). */
function traceOrNull(carrier: TraceCarrier | undefined): TraceCarrier | null {
  return carrier?.traceparent ? carrier : null;
}

/** The stream entry fields of a stored trace context. */
function traceFields(carrier: TraceCarrier | null): string[] {
  if (!carrier || typeof carrier.traceparent !== 'string') return [];
  return typeof carrier.tracestate === 'string' && carrier.tracestate ? ['traceparent', carrier.traceparent, 'tracestate', carrier.tracestate] : ['traceparent', carrier.traceparent];
}

function qualifiedTable(em: EntityManager, table: string): string {
  return `"${String(em.config.get('schema'))}".${table}`;
}

function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
