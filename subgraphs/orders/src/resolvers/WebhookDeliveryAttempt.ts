import type { WebhookDeliveryAttemptResolvers } from '../__generated__/resolvers-types.ts';

export const WebhookDeliveryAttempt: WebhookDeliveryAttemptResolvers = {
  at: (attempt) => attempt.at.toISOString(),
};
