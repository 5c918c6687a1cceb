import type { ApiClientResolvers } from '../__generated__/resolvers-types.ts';

export const ApiClient: ApiClientResolvers = {
  createdAt: (client) => client.createdAt.toISOString(),
  revokedAt: (client) => client.revokedAt?.toISOString() ?? null,
};
