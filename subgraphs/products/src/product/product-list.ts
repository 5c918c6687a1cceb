import { badUserInput, decodeCursor, forbidden, isCursorInteger, isCursorTimestamp, hasRole, pageSize, requireRole, type Viewer } from '@shop/platform';
import { isUuid } from '../db.ts';
import { PRODUCT_STATUSES, type Product, type ProductStatus } from './product.entity.ts';

/**
 * The arguments of `Query.products`, validated and turned into a page query.
 *
 * Every sort is keyset-paginated on a unique, totally ordered key that ends
 * with the id, and the cursor of an edge carries that key (tagged with the
 * sort it belongs to). A page therefore continues exactly after the last row
 * seen, however many rows were added or removed before it: no row is skipped
 * or repeated, unlike with offsets.
 */

export const PRODUCT_SORTS = ['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export type ProductPosition =
  | { sort: 'NEWEST'; createdAt: string; id: string }
  | { sort: 'PRICE_ASC' | 'PRICE_DESC'; price: number; id: string }
  | { sort: 'RELEVANCE'; rank: number; createdAt: string; id: string };

export interface ProductFilterInput {
  search?: string | null;
  categoryId?: string | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  sellerId?: string | null;
  statuses?: readonly ProductStatus[] | null;
}

export interface ListProductsArgs {
  first?: number | null;
  after?: string | null;
  filter?: ProductFilterInput | null;
  sort?: ProductSort | null;
}

export interface ProductPageQuery {
  /** Page size; the repository reads one row more to tell whether another page follows. */
  first: number;
  sort: ProductSort;
  after?: ProductPosition;
  search?: string;
  statuses: ProductStatus[];
  sellerId?: string;
  categoryId?: string;
  minPrice?: number;
  maxPrice?: number;
}

/** A row of a page: the product and, for RELEVANCE, its rank (part of the cursor). */
export interface ProductPageRow {
  product: Product;
  rank?: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_SEARCH_LENGTH = 200;

export function normalizeSearch(search: string | null | undefined): string | undefined {
  const text = search?.trim();
  if (!text) return undefined;
  if (text.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`"filter.search" must be at most ${MAX_SEARCH_LENGTH} characters.`, 'filter.search');
  }
  return text;
}

const isIsoDate = isCursorTimestamp;

/** Turns an `after` cursor back into the keyset position it encodes; it must come from the same sort. */
export function parseProductCursor(after: string, sort: ProductSort): ProductPosition {
  const [tag, ...key] = decodeCursor(after);
  const notOurs = () => badUserInput('"after" is not a cursor returned by this API.', 'after');
  if (!PRODUCT_SORTS.includes(tag as ProductSort)) throw notOurs();
  if (tag !== sort) throw badUserInput(`"after" is a cursor of the ${String(tag)} order; it cannot continue a ${sort} list.`, 'after');
  const id = key.at(-1);
  if (!isUuid(id)) throw notOurs();
  if (sort === 'NEWEST' && key.length === 2 && isIsoDate(key[0])) return { sort, createdAt: key[0], id };
  if ((sort === 'PRICE_ASC' || sort === 'PRICE_DESC') && key.length === 2 && isCursorInteger(key[0])) return { sort, price: key[0], id };
  if (sort === 'RELEVANCE' && key.length === 3 && typeof key[0] === 'number' && Number.isFinite(key[0]) && isIsoDate(key[1])) {
    return { sort, rank: key[0], createdAt: key[1], id };
  }
  throw notOurs();
}

/** The cursor content of a row: the sort tag, then the sort key (see parseProductCursor). */
export function positionOf(sort: ProductSort, row: ProductPageRow): unknown[] {
  const { product } = row;
  switch (sort) {
    case 'NEWEST':
      return [sort, product.createdAt.toISOString(), product.id];
    case 'PRICE_ASC':
    case 'PRICE_DESC':
      return [sort, product.priceAmount, product.id];
    case 'RELEVANCE':
      return [sort, row.rank ?? 0, product.createdAt.toISOString(), product.id];
  }
}

function price(value: number | null | undefined, field: string): number | undefined {
  if (value == null) return undefined;
  if (value < 0) throw badUserInput(`"${field}" must be 0 or more (minor units), got ${value}.`, field);
  return value;
}

/**
 * Which states the viewer may list, and whose products. Anything beyond
 * PUBLISHED needs a seller (then limited to their own products) or an admin.
 */
function scope(viewer: Viewer | null, filter: ProductFilterInput): { statuses: ProductStatus[]; sellerId?: string } {
  const statuses = [...new Set(filter.statuses?.length ? filter.statuses : (['PUBLISHED'] as const))].filter((s) => PRODUCT_STATUSES.includes(s));
  const sellerId = filter.sellerId == null ? undefined : filter.sellerId.toLowerCase();
  if (filter.sellerId != null && !isUuid(filter.sellerId)) throw badUserInput('"filter.sellerId" is not a user id.', 'filter.sellerId');
  if (statuses.every((s) => s === 'PUBLISHED')) return { statuses, sellerId };
  const signedIn = requireRole(viewer, 'SELLER', 'ADMIN');
  if (hasRole(signedIn, 'ADMIN')) return { statuses, sellerId };
  if (sellerId && sellerId !== signedIn.userId.toLowerCase()) {
    throw forbidden('"filter.statuses" other than PUBLISHED list only your own products.');
  }
  return { statuses, sellerId: signedIn.userId };
}

export function parseListProductsArgs(args: ListProductsArgs, viewer: Viewer | null): ProductPageQuery {
  const first = pageSize(args.first ?? DEFAULT_PAGE_SIZE);
  const filter = args.filter ?? {};
  const search = normalizeSearch(filter.search);
  const sort = args.sort ?? (search ? 'RELEVANCE' : 'NEWEST');
  if (sort === 'RELEVANCE' && !search) throw badUserInput('"sort: RELEVANCE" needs a "filter.search".', 'sort');
  const minPrice = price(filter.minPrice, 'filter.minPrice');
  const maxPrice = price(filter.maxPrice, 'filter.maxPrice');
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
    throw badUserInput(`"filter.minPrice" (${minPrice}) must not exceed "filter.maxPrice" (${maxPrice}).`, 'filter.minPrice');
  }
  if (filter.categoryId != null && !isUuid(filter.categoryId)) throw badUserInput('"filter.categoryId" is not a category id.', 'filter.categoryId');
  return {
    first,
    sort,
    after: args.after ? parseProductCursor(args.after, sort) : undefined,
    search,
    ...scope(viewer, filter),
    categoryId: filter.categoryId?.toLowerCase() ?? undefined,
    minPrice,
    maxPrice,
  };
}
