import type { LiveSalePriceResolvers, LiveSaleResolvers } from '../__generated__/resolvers-types.ts';
import { freshUntil } from '../cache-control.ts';
import { liveSaleStatus, nextChangeAt } from '../live-sale/live-sale.rules.ts';
import { moneyOf } from './money.ts';

export const LiveSale: LiveSaleResolvers = {
  seller: (sale) => ({ __typename: 'User', id: sale.sellerId }),
  startsAt: (sale) => sale.startsAt.toISOString(),
  endsAt: (sale) => sale.endsAt.toISOString(),
  cancelledAt: (sale) => sale.cancelledAt?.toISOString() ?? null,
  status: (sale, _, ctx, info) => {
    freshUntil(info, nextChangeAt(sale, ctx.now), ctx.now);
    return liveSaleStatus(sale, ctx.now);
  },
  products: async (sale, _, ctx) =>
    ctx.products.findVisibleProducts((await ctx.loaders.productIdsByLiveSaleId.load(sale.id)).map((link) => link.productId)),
  prices: (sale, _, ctx) => ctx.loaders.pricesByLiveSaleId.load(sale.id),
};

export const LiveSalePrice: LiveSalePriceResolvers = {
  price: (price) => moneyOf(price.amount, price.currency),
};
