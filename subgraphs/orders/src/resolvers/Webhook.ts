import type { WebhookResolvers } from '../__generated__/resolvers-types.ts';

export const Webhook: WebhookResolvers = {
  createdAt: (webhook) => webhook.createdAt.toISOString(),
  deliveries: (webhook, args, ctx) => ctx.webhooks.deliveries(ctx.viewer, webhook.id, args),
};
