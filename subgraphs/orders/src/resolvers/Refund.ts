import type { RefundResolvers } from '../__generated__/resolvers-types.ts';
import { money } from './money.ts';

export const Refund: RefundResolvers = {
  amount: (refund) => money(refund.amount, refund.currency),
  createdAt: (refund) => refund.createdAt.toISOString(),
};
