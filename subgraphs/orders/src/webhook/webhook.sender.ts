import { Webhook } from 'standardwebhooks';
import { startPeriodicTask, type Logger, type MikroORM, type PeriodicTask } from '@shop/platform';
import { postWebhook } from './webhook-http.ts';
import { WebhookRepository, type DeliveryStatus, type DueDelivery } from './webhook.repository.ts';

export interface WebhookSenderSettings {
  /** One POST, answer included, must finish within this (ms). */
  timeoutMs: number;
  /** Attempts after which a delivery is FAILED. */
  maxAttempts: number;
  /** Pause before the second attempt; it doubles after each failure (ms). */
  retryBaseMs: number;
  /** Cap of the pause between attempts (ms). */
  retryMaxDelayMs: number;
  /** How often the sender looks for due deliveries (ms). */
  pollIntervalMs: number;
  /** Deliveries sent concurrently per round. */
  batchSize: number;
  /** Loopback and private addresses may be connected to (not in production). */
  allowPrivateUrls: boolean;
  /** Delivered and failed deliveries older than this leave the log (ms). */
  logRetentionMs: number;
}

export const DEFAULT_WEBHOOK_SENDER_SETTINGS: WebhookSenderSettings = {
  timeoutMs: 10_000,
  maxAttempts: 10,
  retryBaseMs: 30_000,
  retryMaxDelayMs: 3_600_000,
  pollIntervalMs: 1_000,
  batchSize: 50,
  allowPrivateUrls: false,
  logRetentionMs: 30 * 24 * 60 * 60 * 1000,
};

/** The pause after failed attempt number `attempt` (1-based): exponential, capped. */
export function retryDelayMs(attempt: number, settings: Pick<WebhookSenderSettings, 'retryBaseMs' | 'retryMaxDelayMs'>): number {
  return Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** (attempt - 1));
}

/** Where a delivery goes after attempt number `attempt` ended as `ok`. */
export function nextState(attempt: number, ok: boolean, at: Date, settings: WebhookSenderSettings): { status: DeliveryStatus; nextAttemptAt: Date | null } {
  if (ok) return { status: 'SUCCEEDED', nextAttemptAt: null };
  if (attempt >= settings.maxAttempts) return { status: 'FAILED', nextAttemptAt: null };
  return { status: 'PENDING', nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempt, settings)) };
}

/**
 * Signs the delivery as Standard Webhooks says: `webhook-id` is the same on
 * every attempt (receivers deduplicate by it), `webhook-timestamp` is the
 * attempt's own time (receivers refuse stale timestamps, so a retry is
 * signed afresh), `webhook-signature` is `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` made by the `standardwebhooks` library.
 */
export function signedHeaders(delivery: Pick<DueDelivery, 'id' | 'secret' | 'payload'>, at: Date): Record<string, string> {
  const messageId = `msg_${delivery.id}`;
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(delivery.secret).sign(messageId, at, delivery.payload),
  };
}

export interface WebhookSender {
  /** Sends one round of due deliveries; returns how many it attempted. */
  sendDue(): Promise<number>;
  /** Deletes settled deliveries past the log retention (up to 1,000 per call); returns how many. */
  prune(): Promise<number>;
}

/**
 * The delivery worker: leases due deliveries (so replicas share the work),
 * POSTs each, and records the attempt. Delivery is at least once: a sender
 * that dies after the POST and before recording it leaves the lease to
 * expire, and the delivery is sent again with the same `webhook-id`.
 */
export function createWebhookSender(options: { orm: MikroORM; logger: Logger; settings: WebhookSenderSettings }): WebhookSender {
  const { settings, logger } = options;
  // Longer than any attempt can take, so a live sender never loses its lease mid-POST.
  const leaseMs = settings.timeoutMs + 5_000;
  return {
    async sendDue() {
      const repository = new WebhookRepository(options.orm.em.fork());
      const due = await repository.leaseDue(new Date(), leaseMs, settings.batchSize);
      await Promise.all(
        due.map(async (delivery) => {
          const at = new Date();
          const number = delivery.attemptCount + 1;
          const result = await postWebhook(new URL(delivery.url), delivery.payload, signedHeaders(delivery, at), {
            timeoutMs: settings.timeoutMs,
            allowPrivate: settings.allowPrivateUrls,
          });
          const next = nextState(number, result.error === null, at, settings);
          await new WebhookRepository(options.orm.em.fork()).recordAttempt(
            { deliveryId: delivery.id, number, at, responseStatus: result.status, error: result.error, durationMs: result.durationMs },
            next,
          );
          if (next.status === 'FAILED') logger.warn({ deliveryId: delivery.id, webhookId: delivery.webhookId, attempts: number, error: result.error }, 'webhook delivery failed for good');
        }),
      );
      return due.length;
    },
    prune: () => new WebhookRepository(options.orm.em.fork()).deleteSettledBefore(new Date(Date.now() - settings.logRetentionMs), 1_000),
  };
}

/**
 * Runs the sender until stopped: rounds back to back while a round is full,
 * then a poll every `pollIntervalMs`; prunes the log about once a minute.
 */
export function startWebhookSender(options: { orm: MikroORM; logger: Logger; settings: WebhookSenderSettings }): PeriodicTask {
  const sender = createWebhookSender(options);
  let failures = 0;
  let lastPruneAt = 0;
  return startPeriodicTask(options.settings.pollIntervalMs, async (isStopped) => {
    try {
      while ((await sender.sendDue()) === options.settings.batchSize && !isStopped());
      if (Date.now() - lastPruneAt > 60_000) {
        lastPruneAt = Date.now();
        await sender.prune();
      }
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures <= 3 || failures % 100 === 0) options.logger.warn({ err: error, failures }, 'webhook sender failed, will retry');
    }
  });
}
