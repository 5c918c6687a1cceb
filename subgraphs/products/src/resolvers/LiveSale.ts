import type { GraphQLResolveInfo } from 'graphql';
import { freshUntil } from '../cache-control.ts';
import type { Context } from '../context.ts';
import type { LiveSale as LiveSaleEntity, LiveSalePrice as LiveSalePriceRecord } from '../live-sale/live-sale.entity.ts';
import { liveSaleStatus, nextChangeAt } from '../live-sale/live-sale.rules.ts';
import { moneyOf } from './money.ts';

export const LiveSale = {
  seller: (sale: LiveSaleEntity) => ({ __typename: 'User', id: sale.sellerId }),
  startsAt: (sale: LiveSaleEntity) => sale.startsAt.toISOString(),
  endsAt: (sale: LiveSaleEntity) => sale.endsAt.toISOString(),
  cancelledAt: (sale: LiveSaleEntity) => sale.cancelledAt?.toISOString() ?? null,
  status: (sale: LiveSaleEntity, _: unknown, ctx: Context, info: GraphQLResolveInfo) => {
    freshUntil(info, nextChangeAt(sale, ctx.now), ctx.now);
    return liveSaleStatus(sale, ctx.now);
  },
  products: async (sale: LiveSaleEntity, _: unknown, ctx: Context) =>
    ctx.products.findVisibleProducts((await ctx.loaders.productIdsByLiveSaleId.load(sale.id)).map((link) => link.productId)),
  prices: (sale: LiveSaleEntity, _: unknown, ctx: Context) => ctx.loaders.pricesByLiveSaleId.load(sale.id),
};

export const LiveSalePrice = {
  price: (price: LiveSalePriceRecord) => moneyOf(price.amount, price.currency),
};
