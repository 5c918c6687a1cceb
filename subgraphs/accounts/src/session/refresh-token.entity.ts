import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One refresh token of a session. Only the sha256 of the token is stored.
 * Every refresh spends the presented token and issues the next one in the
 * same family; the family is the session, and revoking it signs it out.
 */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.string().unique(),
    familyId: p.uuid(),
    userId: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    spentAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type RefreshToken = InferEntity<typeof RefreshToken>;
