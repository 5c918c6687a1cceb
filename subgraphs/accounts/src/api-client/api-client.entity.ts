import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A partner's API key and the persisted operations it may run. Only the
 * sha256 of the key is stored (plus its first characters, for display); the
 * key itself is shown once, when the client is created. A revoked client
 * stays in the table for the record, and its key stops working.
 */
export const ApiClient = defineEntity({
  name: 'ApiClient',
  tableName: 'api_clients',
  properties: {
    id: p.uuid().primary(),
    name: p.string(),
    /** sha256 of the key, lower-case hex; never leaves this service. */
    keyHash: p.string().unique().hidden(),
    /** The key's first characters, enough for a person to tell keys apart. */
    keyPrefix: p.string(),
    /** Operation names of the persisted-query manifest (e.g. StockLevels). */
    allowedOperations: p.array(),
    /** The admin who created it; null for the demo seed. */
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiClient = InferEntity<typeof ApiClient>;
