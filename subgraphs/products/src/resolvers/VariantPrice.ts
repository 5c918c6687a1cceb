import type { VariantPrice as VariantPriceRecord } from '../product/product.service.ts';
import { moneyOf } from './money.ts';

export const VariantPrice = {
  unitPrice: (price: VariantPriceRecord) => moneyOf(price.unitAmount, price.currency),
  listPrice: (price: VariantPriceRecord) => moneyOf(price.listAmount, price.currency),
};
