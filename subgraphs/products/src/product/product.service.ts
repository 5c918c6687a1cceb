import { randomUUID } from 'node:crypto';
import { badUserInput, isService, notFound, requireRole, toConnection, type Connection } from '@shop/platform';
import { InputProblems } from '../input-problems.ts';
import { effectivePrice, nextChangeAt } from '../live-sale/live-sale.rules.ts';
import type { Repositories } from '../repositories.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { slugify } from '../slug.ts';
import { mapUniqueViolations } from '../unique-violation.ts';
import type { Product, Variant } from './product.entity.ts';
import {
  parseCreateProductInput,
  parseUpdateProductInput,
  parseUpdateVariantInput,
  parseVariant,
  type CreateProductInput,
  type UpdateProductInput,
  type UpdateVariantInput,
  type VariantInput,
} from './product.input.ts';
import { parseListProductsArgs, positionOf, type ListProductsArgs } from './product-list.ts';
import { actingSellerId, assertCanChange, canView, canViewByReference, transition, type StatusAction } from './product.rules.ts';

export const MAX_PRICED_SKUS = 100;

/** The unit price of a sku in effect now, for the orders saga. */
export interface VariantPrice {
  sku: string;
  unitAmount: number;
  listAmount: number;
  currency: string;
  liveSaleId: string | null;
  productId: string;
  sellerId: string;
  published: boolean;
  /** When the live-sale schedule next changes the unit price, or null. */
  priceChangesAt: Date | null;
}

/** The fields of a change that were given: an absent field must not overwrite a column with undefined. */
function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Unique constraints of the product tables and the input field each protects. */
const UNIQUE_FIELDS = { products_slug_key: 'input.slug', variants_pkey: 'input.sku' } as const;

/** Catalogue reads with visibility rules, and the sellers' product mutations. */
export class ProductService {
  readonly #deps: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  async listProducts(args: ListProductsArgs): Promise<Connection<Product>> {
    const query = parseListProductsArgs(args, this.#deps.viewer);
    const rows = await this.#deps.repositories.products.findPage(query);
    // Fields that reach a product again by id (Variant.product) then need no statement.
    for (const { product } of rows) this.#deps.loaders.productById.prime(product.id, product);
    const connection = toConnection(rows, query.first, (row) => positionOf(query.sort, row));
    return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.product })) };
  }

  /** A product the viewer may see (PUBLISHED, or their own / any for admins), or null. */
  async findProduct(id: string): Promise<Product | null> {
    const product = await this.#deps.loaders.productById.load(id.toLowerCase());
    return product && canView(this.#deps.viewer, product) ? product : null;
  }

  /** The products among `ids` the viewer may see, in the order given. */
  async findVisibleProducts(ids: readonly string[]): Promise<Product[]> {
    const products = await this.#deps.loaders.productById.loadMany(ids);
    return products.filter((p): p is Product => p !== null && !(p instanceof Error) && canView(this.#deps.viewer, p));
  }

  async findProductByReference(id: string): Promise<Product | null> {
    const product = await this.#deps.loaders.productById.load(id.toLowerCase());
    return product && canViewByReference(this.#deps.viewer, product) ? product : null;
  }

  async findVariantByReference(sku: string): Promise<Variant | null> {
    const variant = await this.#deps.loaders.variantBySku.load(sku);
    if (!variant) return null;
    const product = await this.#deps.loaders.productById.load(variant.product.id);
    return product && canViewByReference(this.#deps.viewer, product) ? variant : null;
  }

  /** Prices of the known skus among `skus` the viewer may see, in the order asked (others are left out): three statements whatever the count. */
  async variantPrices(skus: readonly string[]): Promise<VariantPrice[]> {
    if (skus.length > MAX_PRICED_SKUS) throw badUserInput(`"skus" may hold at most ${MAX_PRICED_SKUS} skus, got ${skus.length}.`, 'skus');
    const { loaders, now } = this.#deps;
    const unique = [...new Set(skus)];
    const variants = (await Promise.all(unique.map((sku) => loaders.variantBySku.load(sku)))).filter((v): v is Variant => v !== null);
    const [products, salePrices] = await Promise.all([
      Promise.all(variants.map((v) => loaders.productById.load(v.product.id))),
      Promise.all(variants.map((v) => loaders.salePriceBySku.load(v.sku))),
    ]);
    // Prices follow the product's visibility: a DRAFT or ARCHIVED product's
    // price and seller only to its seller, admins, the orders service (which
    // prices checkouts and must learn that a sku is not on sale) and inventory
    // (which checks who may restock a product not yet published).
    const pricesAnything = isService(this.#deps.viewer, 'orders', 'inventory');
    return variants.flatMap((variant, i) => {
      const product = products[i];
      if (!product || !(pricesAnything || canView(this.#deps.viewer, product))) return [];
      const price = effectivePrice(variant.priceAmount, salePrices[i], now);
      return [
        {
          sku: variant.sku,
          unitAmount: price.amount,
          listAmount: variant.priceAmount,
          currency: variant.currency,
          liveSaleId: price.liveSaleId,
          productId: product.id,
          sellerId: product.sellerId,
          published: product.status === 'PUBLISHED',
          priceChangesAt: salePrices[i] ? nextChangeAt({ ...salePrices[i], cancelledAt: null }, now) : null,
        },
      ];
    });
  }

  async createProduct(input: CreateProductInput): Promise<Product> {
    const viewer = requireRole(this.#deps.viewer, 'SELLER', 'ADMIN');
    const sellerId = actingSellerId(viewer, input.sellerId, 'input.sellerId');
    const { draft, problems } = parseCreateProductInput(input);
    problems.throwIfAny();
    if (!draft) throw new Error('a valid input yields a draft');
    const product = await mapUniqueViolations({ ...UNIQUE_FIELDS, variants_pkey: 'input.variants' }, () =>
      this.#deps.transaction(async (repositories) => {
        const checks = new InputProblems();
        await this.#checkCategories(repositories, checks, input.categoryIds ?? [], 'input.categoryIds');
        const taken = await repositories.products.findTakenSkus(draft.variants.map((v) => v.sku));
        draft.variants.forEach((variant, i) => {
          if (taken.has(variant.sku)) checks.add(`input.variants[${i}].sku`, `"input.variants[${i}].sku" (${variant.sku}) is already taken.`);
        });
        const slug = await this.#availableSlug(repositories, checks, draft.slug, draft.name);
        checks.throwIfAny();
        return repositories.products.insertProduct(
          { sellerId, slug, name: draft.name, description: draft.description, priceAmount: draft.priceAmount, currency: draft.currency },
          draft,
          this.#deps.now,
        );
      }),
    );
    this.#deps.loaders.clearAll();
    return product;
  }

  updateProduct(id: string, input: UpdateProductInput): Promise<Product> {
    return this.#changeProduct(id, async (repositories, product) => {
      const { changes, problems } = parseUpdateProductInput(input, product.currency);
      problems.throwIfAny();
      const checks = new InputProblems();
      if (input.categoryIds) await this.#checkCategories(repositories, checks, input.categoryIds, 'input.categoryIds');
      if (changes.slug !== undefined && changes.slug !== product.slug && (await repositories.products.isSlugTaken(changes.slug, product.id))) {
        checks.add('input.slug', `"input.slug" (${changes.slug}) is already taken.`);
      }
      checks.throwIfAny();
      const { categoryIds, images, ...fields } = changes;
      return repositories.products.updateProduct(product, definedOnly(fields), { categoryIds, images }, this.#deps.now);
    });
  }

  publishProduct(id: string): Promise<Product> {
    return this.#changeStatus(id, 'publish');
  }

  archiveProduct(id: string): Promise<Product> {
    return this.#changeStatus(id, 'archive');
  }

  addVariant(productId: string, input: VariantInput): Promise<Variant> {
    return this.#changeProduct(productId, async (repositories, product) => {
      const problems = new InputProblems();
      const variant = parseVariant(problems, 'input', input, product.currency, product.priceAmount);
      problems.throwIfAny();
      if (!variant) throw new Error('a valid input yields a variant');
      if ((await repositories.products.findTakenSkus([variant.sku])).has(variant.sku)) {
        problems.add('input.sku', `"input.sku" (${variant.sku}) is already taken.`);
        problems.throwIfAny();
      }
      const position = await repositories.products.nextVariantPosition(product.id);
      return repositories.products.insertVariant(product, variant, position, this.#deps.now);
    });
  }

  async updateVariant(sku: string, input: UpdateVariantInput): Promise<Variant> {
    requireRole(this.#deps.viewer, 'SELLER', 'ADMIN');
    const [found] = await this.#deps.repositories.products.findVariantsBySkus([sku]);
    if (!found) throw notFound(`No variant with sku "${sku}".`);
    // The product's lock first, as every product change takes it: one lock order, no deadlock.
    return this.#changeProduct(found.product.id, async (repositories, product) => {
      const variant = await repositories.products.lockVariant(sku);
      if (!variant) throw notFound(`No variant with sku "${sku}".`);
      const { changes, problems } = parseUpdateVariantInput(input, product.currency);
      problems.throwIfAny();
      return repositories.products.updateVariant(variant, definedOnly(changes), this.#deps.now);
    });
  }

  #changeStatus(id: string, action: StatusAction): Promise<Product> {
    return this.#changeProduct(id, (repositories, product) => {
      const next = transition(product, action, this.#deps.now);
      if (next.status === product.status) return Promise.resolve(product);
      return repositories.products.updateProduct(product, next, {}, this.#deps.now);
    });
  }

  /**
   * The frame of every change to an existing product: a SELLER or ADMIN, in
   * one transaction that holds the product's row lock (concurrent changes to
   * one product run one after the other), NOT_FOUND before FORBIDDEN before
   * input problems; the request's loaders are cleared after the commit.
   */
  async #changeProduct<T>(id: string, change: (repositories: Repositories, product: Product) => Promise<T>): Promise<T> {
    const viewer = requireRole(this.#deps.viewer, 'SELLER', 'ADMIN');
    const result = await mapUniqueViolations(UNIQUE_FIELDS, () =>
      this.#deps.transaction(async (repositories) => {
        const [product] = await repositories.products.lockByIds([id]);
        if (!product) throw notFound(`No product with id "${id}".`);
        assertCanChange(viewer, product);
        return change(repositories, product);
      }),
    );
    this.#deps.loaders.clearAll();
    return result;
  }

  async #checkCategories(repositories: Repositories, problems: InputProblems, ids: readonly string[], field: string): Promise<void> {
    const existing = await repositories.categories.findExistingIds(ids);
    ids.forEach((id, i) => {
      if (!existing.has(id.toLowerCase())) problems.add(`${field}[${i}]`, `"${field}[${i}]" (${id}) is not a category.`);
    });
  }

  /** The slug asked for (a problem when taken), or one derived from the name, made unique with a short suffix. */
  async #availableSlug(repositories: Repositories, problems: InputProblems, requested: string | undefined, name: string): Promise<string> {
    if (requested) {
      if (await repositories.products.isSlugTaken(requested)) problems.add('input.slug', `"input.slug" (${requested}) is already taken.`);
      return requested;
    }
    const base = slugify(name) || 'product';
    if (!(await repositories.products.isSlugTaken(base))) return base;
    return `${base.slice(0, 110)}-${randomUUID().slice(0, 8)}`;
  }
}
