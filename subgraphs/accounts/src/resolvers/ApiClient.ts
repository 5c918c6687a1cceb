import type { ApiClient as ApiClientEntity } from '../api-client/api-client.entity.ts';

export const ApiClient = {
  createdAt: (client: ApiClientEntity) => client.createdAt.toISOString(),
  revokedAt: (client: ApiClientEntity) => client.revokedAt?.toISOString() ?? null,
};
