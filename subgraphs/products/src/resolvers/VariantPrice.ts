import type { VariantPriceResolvers } from '../__generated__/resolvers-types.ts';
import { moneyOf } from './money.ts';

export const VariantPrice: VariantPriceResolvers = {
  unitPrice: (price) => moneyOf(price.unitAmount, price.currency),
  listPrice: (price) => moneyOf(price.listAmount, price.currency),
  priceChangesAt: (price) => price.priceChangesAt?.toISOString() ?? null,
};
