import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { JWK } from 'jose';

/**
 * A key pair that signs access tokens. The newest non-retired key signs; every
 * non-retired key is published in the JWKS so tokens signed before a rotation
 * stay verifiable. The private JWK is stored as plain JSON in this service's
 * schema (no envelope encryption yet): it is never selected into GraphQL
 * results or the JWKS, and database access is the trust boundary.
 */
export const SigningKey = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_keys',
  properties: {
    kid: p.string().primary(),
    algorithm: p.string(),
    privateJwk: p.json<JWK>().hidden(),
    publicJwk: p.json<JWK>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    retiredAt: p.datetime().nullable(),
  },
});
export type SigningKey = InferEntity<typeof SigningKey>;
