import { randomUUID } from 'node:crypto';
import { isUuid, sql, type EntityManager } from '@shop/platform';
import type { WebhookEvent } from './webhook-event.ts';

export interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
  createdAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface DeliveryRow {
  id: string;
  webhookId: string;
  eventType: WebhookEvent;
  payload: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A due delivery with what sending it needs. */
export interface DueDelivery extends DeliveryRow {
  url: string;
  secret: string;
}

export interface AttemptRow {
  deliveryId: string;
  number: number;
  at: Date;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

function toWebhook(r: Record<string, any>): WebhookRow {
  return { id: r.id, url: r.url, events: r.events, secret: r.secret, createdAt: new Date(r.created_at) };
}

function toDelivery(r: Record<string, any>): DeliveryRow {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status,
    attemptCount: r.attempt_count,
    nextAttemptAt: date(r.next_attempt_at),
    createdAt: new Date(r.created_at),
    deliveredAt: date(r.delivered_at),
  };
}

const DELIVERY_COLUMNS = 'd.id, d.webhook_id, d.event_type, d.payload, d.status, d.attempt_count, d.next_attempt_at, d.created_at, d.delivered_at';

/** Queries only; every method is one SQL statement. */
/** One webhook event to queue: an order event of the stream as one of the webhook event types it stands for. */
export interface QueuedEvent {
  eventId: string;
  eventType: WebhookEvent;
  /** The delivery body (JSON). */
  payload: string;
  occurredAt: Date;
}

export class WebhookRepository {
  readonly #em: EntityManager;
  readonly #schema: string;
  constructor(em: EntityManager) {
    this.#em = em;
    this.#schema = String(em.config.get('schema'));
  }

  async insertWebhook(webhook: { url: string; events: readonly WebhookEvent[]; secret: string; createdBy: string }): Promise<WebhookRow> {
    const [row] = await sql<Record<string, any>>(
      this.#em,
      `insert into "${this.#schema}".webhooks (id, url, events, secret, created_by) values (?, ?, array[?]::text[], ?, ?) returning *`,
      [randomUUID(), webhook.url, webhook.events, webhook.secret, webhook.createdBy],
    );
    return toWebhook(row!);
  }

  async findWebhooks(): Promise<WebhookRow[]> {
    return (await sql<Record<string, any>>(this.#em, `select * from "${this.#schema}".webhooks where active order by created_at desc, id desc`)).map(toWebhook);
  }

  async findWebhook(id: string): Promise<WebhookRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await sql<Record<string, any>>(this.#em, `select * from "${this.#schema}".webhooks where id = ? and active`, [id]);
    return row ? toWebhook(row) : null;
  }

  /**
   * Queues, for each of `events`, one delivery to every active webhook
   * subscribed to its type that existed when the event happened
   * (`occurredAt`: a stream read from its start does not send old events to
   * new webhooks); an event already queued for a webhook is not queued
   * again. One statement for the whole batch, whatever its size.
   */
  async queueDeliveries(events: readonly QueuedEvent[], at: Date): Promise<number> {
    if (!events.length) return 0;
    const rows = await sql<{ id: string }>(
      this.#em,
      `insert into "${this.#schema}".webhook_deliveries (id, webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
         select gen_random_uuid(), w.id, e.event_id, e.event_type, e.payload, 'PENDING', ?, ?
           from jsonb_to_recordset(?::jsonb) as e(event_id uuid, event_type text, payload text, occurred_at timestamptz)
           join "${this.#schema}".webhooks w on w.active and e.event_type = any(w.events) and w.created_at <= e.occurred_at
       on conflict (webhook_id, event_id, event_type) do nothing
       returning id`,
      [at, at, JSON.stringify(events.map((e) => ({ event_id: e.eventId, event_type: e.eventType, payload: e.payload, occurred_at: e.occurredAt.toISOString() })))],
    );
    return rows.length;
  }

  /**
   * Takes up to `limit` due deliveries for `leaseMs`: another sender (on
   * another replica) skips them until the lease ends, so a delivery is sent
   * by one sender at a time, and again by any sender if its own died.
   */
  async leaseDue(now: Date, leaseMs: number, limit: number): Promise<DueDelivery[]> {
    const rows = await sql<Record<string, any>>(
      this.#em,
      `with due as (
         select id from "${this.#schema}".webhook_deliveries
          where status = 'PENDING' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?)
          order by next_attempt_at
          limit ?
          for update skip locked
       )
       update "${this.#schema}".webhook_deliveries d set locked_until = ?::timestamptz + ? * interval '1 millisecond'
         from due, "${this.#schema}".webhooks w
        where d.id = due.id and w.id = d.webhook_id
       returning ${DELIVERY_COLUMNS}, w.url, w.secret`,
      [now, now, limit, now, leaseMs],
    );
    return rows.map((r) => ({ ...toDelivery(r), url: r.url, secret: r.secret }));
  }

  /** Logs an attempt and moves the delivery on: SUCCEEDED, FAILED, or PENDING until `nextAttemptAt`. */
  async recordAttempt(attempt: AttemptRow, outcome: { status: DeliveryStatus; nextAttemptAt: Date | null }): Promise<void> {
    await sql(
      this.#em,
      `with attempt as (
         insert into "${this.#schema}".webhook_delivery_attempts (delivery_id, number, at, response_status, error, duration_ms) values (?, ?, ?, ?, ?, ?)
       )
       update "${this.#schema}".webhook_deliveries
          set status = ?, attempt_count = ?, next_attempt_at = ?, locked_until = null,
              delivered_at = case when ? = 'SUCCEEDED' then ?::timestamptz else delivered_at end
        where id = ?`,
      [
        attempt.deliveryId, attempt.number, attempt.at, attempt.responseStatus, attempt.error, attempt.durationMs,
        outcome.status, attempt.number, outcome.nextAttemptAt, outcome.status, attempt.at, attempt.deliveryId,
      ],
    );
  }

  /** Deletes up to `limit` delivered or failed deliveries created before `cutoff`, with their attempts; returns how many. */
  async deleteSettledBefore(cutoff: Date, limit: number): Promise<number> {
    const rows = await sql<{ id: string }>(
      this.#em,
      `delete from "${this.#schema}".webhook_deliveries where id in (
         select id from "${this.#schema}".webhook_deliveries where status <> 'PENDING' and created_at < ? limit ?
       ) returning id`,
      [cutoff, limit],
    );
    return rows.length;
  }

  /** One keyset page of a webhook's deliveries, newest first. */
  async findDeliveries(webhookId: string, limit: number, after?: readonly [string, string]): Promise<DeliveryRow[]> {
    const rows = await sql<Record<string, any>>(
      this.#em,
      `select ${DELIVERY_COLUMNS} from "${this.#schema}".webhook_deliveries d
        where d.webhook_id = ? and (d.created_at, d.id) < (?::timestamptz, ?::uuid)
        order by d.created_at desc, d.id desc
        limit ?`,
      [webhookId, after?.[0] ?? 'infinity', after?.[1] ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff', limit],
    );
    return rows.map(toDelivery);
  }

  async findAttempts(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    const valid = deliveryIds.filter(isUuid);
    if (!valid.length) return [];
    const rows = await sql<Record<string, any>>(
      this.#em,
      `select delivery_id, number, at, response_status, error, duration_ms from "${this.#schema}".webhook_delivery_attempts where delivery_id in (?) order by delivery_id, number`,
      [valid],
    );
    return rows.map((r) => ({ deliveryId: r.delivery_id, number: r.number, at: new Date(r.at), responseStatus: r.response_status, error: r.error, durationMs: r.duration_ms }));
  }
}
