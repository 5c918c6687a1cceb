import { isUuid, startStreamConsumer, type Logger, type MikroORM, type StreamConsumer, type StreamConsumerOptions } from '@shop/platform';
import { webhookBody, webhookEventsFor } from './webhook-event.ts';
import { WebhookRepository, type QueuedEvent } from './webhook.repository.ts';

/** The consumer group of the webhook intake on the order events stream. */
export const WEBHOOK_CONSUMER_GROUP = 'webhooks';

/**
 * Turns the order events on the stream into deliveries, through the
 * platform's consumer group (at least once, deduplicated by event id,
 * retried, dead-lettered). Queuing is idempotent too (one delivery per
 * webhook, event and type), so an event handled twice is queued once.
 * Only webhooks that existed when the event happened receive it.
 */
export function startWebhookIntake(options: { orm: MikroORM; redis: StreamConsumerOptions['redis']; stream: string; logger: Logger; group?: string }): Promise<StreamConsumer> {
  return startStreamConsumer({
    redis: options.redis,
    stream: options.stream,
    group: options.group ?? WEBHOOK_CONSUMER_GROUP,
    logger: options.logger,
    // The events of one read are queued in one statement.
    async handleBatch(events) {
      const queued: QueuedEvent[] = [];
      const now = new Date();
      for (const event of events) {
        const payload = (event.payload ?? {}) as Record<string, unknown>;
        const types = webhookEventsFor(event.type, payload);
        if (!types.length) continue;
        if (!isUuid(event.id)) {
          options.logger.warn({ entryId: event.entryId, type: event.type }, 'order event without an outbox id; no webhook is told');
          continue;
        }
        const occurredAt = typeof payload.at === 'string' && !Number.isNaN(Date.parse(payload.at)) ? payload.at : event.createdAt;
        const occurred = Number.isNaN(Date.parse(occurredAt)) ? now : new Date(occurredAt);
        for (const type of types) queued.push({ eventId: event.id, eventType: type, payload: webhookBody(type, event.id, occurredAt, payload), occurredAt: occurred });
      }
      // One statement: it all fails (and is retried) or it all holds.
      await new WebhookRepository(options.orm.em.fork()).queueDeliveries(queued, now);
      return events.map(() => undefined);
    },
  });
}
