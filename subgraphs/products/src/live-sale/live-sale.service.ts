import { badUserInput, forbidden, notFound, requireRole, toConnection, type Connection } from '@shop/platform';
import { InputProblems } from '../input-problems.ts';
import { actingSellerId, assertCanChange } from '../product/product.rules.ts';
import type { ServiceDeps } from '../service-deps.ts';
import type { LiveSale } from './live-sale.entity.ts';
import { liveSalePositionOf, parseListLiveSalesArgs, type ListLiveSalesArgs } from './live-sale-list.ts';
import { liveSaleStatus, parseScheduleLiveSaleInput, type ScheduleLiveSaleInput } from './live-sale.rules.ts';

/** Sellers' live sales: scheduling, cancelling, listing. */
export class LiveSaleService {
  readonly #deps: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  async listLiveSales(args: ListLiveSalesArgs): Promise<Connection<LiveSale>> {
    const query = parseListLiveSalesArgs(args, this.#deps.now);
    const rows = await this.#deps.repositories.liveSales.findPage(query);
    return toConnection(rows, query.first, (sale) => liveSalePositionOf(query.order, sale));
  }

  findLiveSale(id: string): Promise<LiveSale | null> {
    return this.#deps.loaders.liveSaleById.load(id.toLowerCase());
  }

  /**
   * Schedules a sale. The products are locked for the transaction, so two
   * schedules of one product cannot both pass the overlap check: a product is
   * in at most one sale at any moment, which is what makes "its current or
   * next sale" and its effective price unambiguous.
   */
  async scheduleLiveSale(input: ScheduleLiveSaleInput): Promise<LiveSale> {
    const viewer = requireRole(this.#deps.viewer, 'SELLER', 'ADMIN');
    const sellerId = actingSellerId(viewer, input.sellerId, 'input.sellerId');
    const { now } = this.#deps;
    const { draft, problems } = parseScheduleLiveSaleInput(input, now);
    problems.throwIfAny();
    if (!draft) throw new Error('a valid input yields a draft');
    const sale = await this.#deps.transaction(async (repositories) => {
      const products = new Map((await repositories.products.lockByIds(draft.productIds)).map((p) => [p.id, p]));
      const checks = new InputProblems();
      draft.productIds.forEach((id, i) => {
        const product = products.get(id);
        const field = `input.productIds[${i}]`;
        if (!product) checks.add(field, `"${field}" (${id}) is not a product.`);
        else if (product.sellerId !== sellerId) throw forbidden(`"${field}" is a product of another seller; a live sale holds only its seller's products.`);
        else if (product.status === 'ARCHIVED') checks.add(field, `"${field}" (${id}) is archived.`);
      });
      for (const { productId, sale } of await repositories.liveSales.findOverlapping(draft.productIds, draft.startsAt, draft.endsAt)) {
        const i = draft.productIds.indexOf(productId);
        checks.add(
          `input.productIds[${i}]`,
          `"input.productIds[${i}]" is already in live sale ${sale.id} (${sale.startsAt.toISOString()} to ${sale.endsAt.toISOString()}), which overlaps this one.`,
        );
      }
      const variants = new Map((await repositories.products.findVariantsBySkus(draft.prices.map((p) => p.sku))).map((v) => [v.sku, v]));
      (input.prices ?? []).forEach((price, i) => {
        const variant = variants.get(price.sku);
        const field = `input.prices[${i}]`;
        if (!variant || !draft.productIds.includes(variant.product.id)) {
          checks.add(`${field}.sku`, `"${field}.sku" (${price.sku}) is not a variant of a product on sale.`);
        } else if (price.amount > variant.priceAmount) {
          checks.add(`${field}.amount`, `"${field}.amount" (${price.amount}) must not exceed the variant's price (${variant.priceAmount}).`);
        }
      });
      checks.throwIfAny();
      return repositories.liveSales.insert({ sellerId, title: draft.title, startsAt: draft.startsAt, endsAt: draft.endsAt }, draft.productIds, draft.prices, now);
    });
    this.#deps.loaders.clearAll();
    return sale;
  }

  /** Cancels an UPCOMING or LIVE sale: its prices stop applying at once. Cancelling twice changes nothing. */
  async cancelLiveSale(id: string): Promise<LiveSale> {
    const viewer = requireRole(this.#deps.viewer, 'SELLER', 'ADMIN');
    const { now } = this.#deps;
    const sale = await this.#deps.transaction(async (repositories) => {
      const sale = await repositories.liveSales.lockById(id);
      if (!sale) throw notFound(`No live sale with id "${id}".`);
      assertCanChange(viewer, sale, 'live sale');
      if (sale.cancelledAt) return sale;
      if (liveSaleStatus(sale, now) === 'ENDED') throw badUserInput(`Live sale ${id} has already ended.`, 'id');
      return repositories.liveSales.cancel(sale, now);
    });
    this.#deps.loaders.clearAll();
    return sale;
  }
}
