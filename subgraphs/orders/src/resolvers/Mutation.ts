import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  placeOrder: (_, args, ctx) => ctx.checkout.placeOrder(ctx.viewer, args.input),
  cancelOrder: (_, args, ctx) => ctx.checkout.cancelOrder(ctx.viewer, args.id),
  addToCart: (_, args, ctx) => ctx.cart.addToCart(ctx.viewer, args.sku, args.quantity),
  setCartLineQuantity: (_, args, ctx) => ctx.cart.setLineQuantity(ctx.viewer, args.lineId, args.quantity),
  checkoutCart: (_, args, ctx) => ctx.cart.checkoutCart(ctx.viewer, args.paymentToken, args.idempotencyKey),
  fulfillOrder: (_, args, ctx) => ctx.fulfilment.fulfil(ctx.viewer, args.orderId, args.trackingNumber),
  refundOrder: (_, args, ctx) => ctx.refunds.refund(ctx.viewer, args),
  createWebhook: (_, args, ctx) => ctx.webhooks.create(ctx.viewer, args),
};
