import { badUserInput, decodeCursor, pageSize, toConnection, type Connection } from '@shop/platform';
import type { Product } from './product.entity.ts';
import type { ProductRepository } from './product.repository.ts';

export interface ListProductsArgs {
  first?: number | null;
  after?: string | null;
  filter?: { search?: string | null } | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_SEARCH_LENGTH = 200;

/** Turns an `after` cursor back into the keyset position it encodes. */
export function parseProductCursor(after: string): [string, string] {
  const position = decodeCursor(after);
  const [createdAt, id] = position;
  if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    throw badUserInput('"after" is not a cursor returned by this API.', 'after');
  }
  return [createdAt, id];
}

export function normalizeSearch(search: string | null | undefined): string | undefined {
  const text = search?.trim();
  if (!text) return undefined;
  if (text.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`"filter.search" must be at most ${MAX_SEARCH_LENGTH} characters.`, 'filter.search');
  }
  return text;
}

export class ProductService {
  readonly #repository: ProductRepository;
  constructor(repository: ProductRepository) {
    this.#repository = repository;
  }

  async listProducts(args: ListProductsArgs): Promise<Connection<Product>> {
    const first = pageSize(args.first ?? DEFAULT_PAGE_SIZE);
    const after = args.after ? parseProductCursor(args.after) : undefined;
    const search = normalizeSearch(args.filter?.search);
    const rows = await this.#repository.findPage({ limit: first + 1, after, search });
    return toConnection(rows, first, (p) => [p.createdAt.toISOString(), p.id]);
  }
}
