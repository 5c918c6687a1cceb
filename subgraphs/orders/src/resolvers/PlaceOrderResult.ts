import type { PlaceOrderResult as Result } from '../checkout/checkout.service.ts';

export const PlaceOrderResult = {
  __resolveType: (result: Result) => result.__typename,
};
