import type { OrderItem as OrderItemEntity } from '../order/order.entity.ts';
import { money } from './money.ts';

export const OrderItem = {
  unitPrice: (item: OrderItemEntity) => money(item.unitPriceAmount, item.currency),
  variant: (item: OrderItemEntity) => ({ __typename: 'Variant', sku: item.sku }),
};
