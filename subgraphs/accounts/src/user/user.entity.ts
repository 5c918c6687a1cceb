import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Roles a user account can hold (the GraphQL `Role` enum). */
export const USER_ROLES = ['CUSTOMER', 'SELLER', 'ADMIN'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A user account. `email` is stored normalized (trimmed, lower-cased) and is unique. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.string().unique(),
    name: p.string(),
    role: p.enum(USER_ROLES),
    /** `scrypt$N$r$p$salt$hash`; never leaves this service. */
    passwordHash: p.string().hidden(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;
