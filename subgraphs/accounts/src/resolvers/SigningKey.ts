import type { SigningKeyInfo } from '../signing-key/signing-key.service.ts';

export const SigningKey = {
  createdAt: (key: SigningKeyInfo) => key.createdAt.toISOString(),
  retiredAt: (key: SigningKeyInfo) => key.retiredAt?.toISOString() ?? null,
};
