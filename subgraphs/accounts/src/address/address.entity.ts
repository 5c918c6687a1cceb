import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A postal address in a user's address book; at most one per user is the default. */
export const Address = defineEntity({
  name: 'Address',
  tableName: 'addresses',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    fullName: p.string(),
    line1: p.string(),
    line2: p.string().nullable(),
    city: p.string(),
    region: p.string().nullable(),
    postalCode: p.string(),
    country: p.string().length(2),
    isDefault: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Address = InferEntity<typeof Address>;
