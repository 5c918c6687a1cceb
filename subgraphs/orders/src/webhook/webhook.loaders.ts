import { createGroupLoader } from '@shop/platform';
import type { WebhookRepository } from './webhook.repository.ts';

/** Per request: one statement for the attempts of every delivery in a response. */
export function createWebhookLoaders(repository: WebhookRepository) {
  return {
    attemptsByDeliveryId: createGroupLoader((ids: readonly string[]) => repository.findAttempts(ids), (row) => row.deliveryId),
  };
}
export type WebhookLoaders = ReturnType<typeof createWebhookLoaders>;
