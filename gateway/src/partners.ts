import { createHash } from 'node:crypto';
import { IDENTITY_HEADER, type IdentitySigner, type Logger } from '@shop/platform';
import type { Caller } from './persisted-queries.ts';

/**
 * Resolves a partner's `x-api-key` to the partner and the operations it may
 * run. Keys live (hashed) in the accounts service; the gateway asks it with a
 * SERVICE identity and remembers the answer for `ttlMs` (also for unknown
 * keys, so a flood of bad keys does not reach accounts), which is also how
 * long a revocation takes to reach every gateway replica.
 */
export interface PartnerDirectory {
  lookup(apiKey: string): Promise<Caller['partner'] | null>;
}

const LOOKUP = `query ApiClientByKey($key: String!) { apiClientByKey(key: $key) { id name allowedOperations } }`;

export function createPartnerDirectory(options: { accountsUrl: string; signer: IdentitySigner | undefined; logger: Logger; ttlMs?: number; timeoutMs?: number }): PartnerDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const cache = new Map<string, { value: Caller['partner'] | null; expiresAt: number }>();
  return {
    async lookup(apiKey) {
      const cacheKey = createHash('sha256').update(apiKey).digest('hex');
      const hit = cache.get(cacheKey);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      if (!options.signer) throw new Error('partner keys need INTERNAL_IDENTITY_PRIVATE_KEY');
      const token = await options.signer.sign({ userId: 'gateway', roles: ['SERVICE'] });
      const response = await fetch(options.accountsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
        body: JSON.stringify({ query: LOOKUP, variables: { key: apiKey } }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      });
      const body = (await response.json()) as { data?: { apiClientByKey: Caller['partner'] | null }; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) {
        options.logger.error({ errors: body.errors }, 'partner key lookup failed');
        throw new Error('partner key lookup failed');
      }
      const value = body.data.apiClientByKey;
      if (cache.size > 10_000) cache.clear();
      cache.set(cacheKey, { value, expiresAt: Date.now() + ttlMs });
      return value;
    },
  };
}
