import { randomUUID } from 'node:crypto';
import type { ApiClientRepository } from './api-client.repository.ts';
import { hashApiKey, keyPrefixOf } from './api-client.service.ts';

/** The demo partner's key, fixed so the demo and its docs can use it. Seeded only with SEED_DEMO_DATA=true. */
export const DEMO_PARTNER_KEY = 'demo-partner-key';
export const DEMO_PARTNER_NAME = 'Demo partner';
/** Public catalogue reads only, from the persisted-query manifest. */
export const DEMO_PARTNER_OPERATIONS = ['StockLevels', 'ProductList', 'ProductPage'];

/**
 * Seeds the demo partner unless a client with its key exists. A revoked demo
 * client counts as existing, so revoking it sticks across restarts. Returns
 * true when it was inserted.
 */
export async function seedDemoPartner(repository: ApiClientRepository): Promise<boolean> {
  return repository.insertIfKeyIsNew({
    id: randomUUID(),
    name: DEMO_PARTNER_NAME,
    keyHash: hashApiKey(DEMO_PARTNER_KEY),
    keyPrefix: keyPrefixOf(DEMO_PARTNER_KEY),
    allowedOperations: DEMO_PARTNER_OPERATIONS,
    createdBy: null,
  });
}
