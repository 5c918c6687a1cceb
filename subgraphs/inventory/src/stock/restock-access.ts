import { forbidden, hasRole, requireRole, type Viewer } from '@shop/platform';
import type { SellerDirectory } from './seller-directory.ts';
import { checkSku } from './stock.service.ts';

/** Same words for "not your sku" and "no such sku": a refusal never tells whether a sku exists. */
export const RESTOCK_FORBIDDEN_MESSAGE = 'Only the seller of this product or an admin may restock it.';

/**
 * Who may restock `sku`:
 * - ADMIN, and SERVICE (the orders saga returning a cancelled order's units):
 *   always, without asking products;
 * - SELLER: only the seller of the sku's product, as the products subgraph
 *   says (FORBIDDEN otherwise, unknown sku included; SERVICE_UNAVAILABLE when
 *   products cannot answer);
 * - anyone else signed in: FORBIDDEN; anonymous: UNAUTHENTICATED.
 */
export async function requireRestockAccess(viewer: Viewer | null, sku: string, sellers: SellerDirectory): Promise<Viewer> {
  const signedIn = requireRole(viewer, 'SELLER', 'ADMIN', 'SERVICE');
  if (hasRole(signedIn, 'ADMIN') || hasRole(signedIn, 'SERVICE')) return signedIn;
  // A malformed sku is refused as bad input before it is sent anywhere.
  checkSku(sku);
  const sellerId = await sellers.sellerOf(sku);
  if (sellerId === null || sellerId !== signedIn.userId) throw forbidden(RESTOCK_FORBIDDEN_MESSAGE);
  return signedIn;
}
