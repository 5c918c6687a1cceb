import type { WebhookDeliveryResolvers } from '../__generated__/resolvers-types.ts';

export const WebhookDelivery: WebhookDeliveryResolvers = {
  id: (delivery) => `msg_${delivery.id}`,
  event: (delivery) => delivery.eventType,
  nextAttemptAt: (delivery) => delivery.nextAttemptAt?.toISOString() ?? null,
  createdAt: (delivery) => delivery.createdAt.toISOString(),
  deliveredAt: (delivery) => delivery.deliveredAt?.toISOString() ?? null,
  attempts: (delivery, _, ctx) => ctx.webhookLoaders.attemptsByDeliveryId.load(delivery.id),
};
