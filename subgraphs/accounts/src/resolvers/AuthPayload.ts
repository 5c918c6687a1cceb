import type { AuthPayload as Payload } from '../auth/auth.service.ts';

export const AuthPayload = {
  accessTokenExpiresAt: (payload: Payload) => payload.accessTokenExpiresAt.toISOString(),
};
