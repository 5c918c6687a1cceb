import type { OrderItemResolvers } from '../__generated__/resolvers-types.ts';
import { money } from './money.ts';

export const OrderItem: OrderItemResolvers = {
  unitPrice: (item) => money(item.unitPriceAmount, item.currency),
  variant: (item) => ({ __typename: 'Variant', sku: item.sku }),
};
