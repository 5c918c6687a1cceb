import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { badUserInput, decodeCursor, ErrorCode, isCursorTimestamp, isUuid, pageSize, requireRole, toConnection, type Connection, type Viewer } from '@shop/platform';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhook-event.ts';
import { checkWebhookUrl, WebhookUrlError } from './webhook-url.ts';
import type { DeliveryRow, WebhookRepository, WebhookRow } from './webhook.repository.ts';

export interface WebhookPolicy {
  /** Loopback and private URLs are accepted (development and tests); refused when NODE_ENV=production. */
  allowPrivateUrls: boolean;
}

/** A new webhook with its secret, which is shown this once. */
export interface CreatedWebhook {
  id: string;
  secret: string;
  webhook: WebhookRow;
}

export const DEFAULT_DELIVERY_PAGE_SIZE = 20;

/** `whsec_` and 32 random bytes in base64: the secret format of the Standard Webhooks libraries. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Partner webhooks: admins register them and read their delivery logs. */
export class WebhookService {
  readonly #repository: WebhookRepository;
  readonly #policy: WebhookPolicy;
  constructor(repository: WebhookRepository, policy: WebhookPolicy) {
    this.#repository = repository;
    this.#policy = policy;
  }

  async create(viewer: Viewer | null, args: { url: string; events: readonly WebhookEvent[] }): Promise<CreatedWebhook> {
    const admin = requireRole(viewer, 'ADMIN');
    const events = [...new Set(args.events)];
    if (!events.length || !events.every((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e))) {
      throw badUserInput('"events" must name at least one WebhookEvent.', 'events');
    }
    let url: URL;
    try {
      url = await checkWebhookUrl(args.url, { allowPrivate: this.#policy.allowPrivateUrls });
    } catch (error) {
      if (!(error instanceof WebhookUrlError)) throw error;
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'url', reason: error.reason } });
    }
    const secret = newWebhookSecret();
    const webhook = await this.#repository.insertWebhook({ url: url.toString(), events, secret, createdBy: admin.userId });
    return { id: webhook.id, secret, webhook };
  }

  async list(viewer: Viewer | null): Promise<WebhookRow[]> {
    requireRole(viewer, 'ADMIN');
    return this.#repository.findWebhooks();
  }

  async find(viewer: Viewer | null, id: string): Promise<WebhookRow | null> {
    requireRole(viewer, 'ADMIN');
    return this.#repository.findWebhook(id);
  }

  /** The delivery log of a webhook, newest first. */
  async deliveries(viewer: Viewer | null, webhookId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<DeliveryRow>> {
    requireRole(viewer, 'ADMIN');
    const first = pageSize(args.first ?? DEFAULT_DELIVERY_PAGE_SIZE);
    let after: [string, string] | undefined;
    if (args.after) {
      const [at, id] = decodeCursor(args.after);
      if (!isCursorTimestamp(at) || !isUuid(id)) throw badUserInput('"after" is not a cursor returned by this API.', 'after');
      after = [at, id];
    }
    const rows = await this.#repository.findDeliveries(webhookId, first + 1, after);
    return toConnection(rows, first, (d) => [d.createdAt.toISOString(), d.id]);
  }
}
