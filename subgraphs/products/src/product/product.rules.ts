import { badUserInput, canActFor, forbidden, hasRole, type Viewer } from '@shop/platform';
import { isUuid } from '../db.ts';
import type { Product, ProductStatus } from './product.entity.ts';

/**
 * Who sees and changes what. Only PUBLISHED products are public; a product's
 * seller and admins also see it in every other state.
 */
export function canView(viewer: Viewer | null, product: Pick<Product, 'status' | 'sellerId'>): boolean {
  return product.status === 'PUBLISHED' || canActFor(viewer, product.sellerId);
}

/**
 * Entity references (`_entities`) come from records of other subgraphs that
 * already point at the product (an order line, a stock level), so an
 * ARCHIVED product still resolves there: past orders keep their names.
 * Drafts never leak through a reference.
 */
export function canViewByReference(viewer: Viewer | null, product: Pick<Product, 'status' | 'sellerId'>): boolean {
  return product.status !== 'DRAFT' || canActFor(viewer, product.sellerId);
}

/** The viewer (already a SELLER or ADMIN) may change only their own products and sales, admins any. */
export function assertCanChange(viewer: Viewer, owned: { sellerId: string }, what = 'product'): void {
  if (!canActFor(viewer, owned.sellerId)) throw forbidden(`Only the ${what}'s seller or an admin may change it.`);
}

/** The seller a write acts for: the viewer, or (admins only) the seller they name. */
export function actingSellerId(viewer: Viewer, requested: string | null | undefined, field: string): string {
  if (requested == null || requested === viewer.userId) return viewer.userId;
  if (!hasRole(viewer, 'ADMIN')) throw forbidden(`Only admins may act for another seller ("${field}").`);
  if (!isUuid(requested)) throw badUserInput(`"${field}" is not a user id.`, field);
  return requested.toLowerCase();
}

export type StatusAction = 'publish' | 'archive';

/**
 * The publish state machine: DRAFT -> PUBLISHED <-> ARCHIVED, and a draft
 * may be archived (discarded). Repeating an action is a no-op. Returns the
 * new status and when the product was published (kept unless it is
 * published now).
 */
export function transition(
  product: Pick<Product, 'status' | 'publishedAt'>,
  action: StatusAction,
  now: Date,
): { status: ProductStatus; publishedAt: Date | null | undefined } {
  const status: ProductStatus = action === 'publish' ? 'PUBLISHED' : 'ARCHIVED';
  if (product.status === status) return { status, publishedAt: product.publishedAt };
  return { status, publishedAt: status === 'PUBLISHED' ? now : product.publishedAt };
}
