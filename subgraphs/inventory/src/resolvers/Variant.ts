import type { FederationReferenceTypes, ResolversParentTypes, VariantResolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';

/**
 * The generated `VariantResolvers`, except `__resolveReference`: mercurius
 * calls it as `(reference, args, context, info)` (@mercuriusjs/federation
 * lib/federation.js), one argument more than the Apollo Server signature the
 * generated type describes, so that one resolver is typed here.
 */
export type MercuriusVariantResolvers = Omit<VariantResolvers, '__resolveReference'> & {
  __resolveReference: (
    ref: FederationReferenceTypes['Variant'],
    args: Record<PropertyKey, never>,
    ctx: Context,
  ) => Promise<ResolversParentTypes['Variant'] | null>;
};

// A Variant here is its stock level: inventory knows nothing else about a
// variant, and loading the level while resolving the reference lets all the
// variants of an `_entities` call share one read.
export const Variant: MercuriusVariantResolvers = {
  __resolveReference: (ref, _, ctx) => ctx.loaders.loadStockLevel(ref.sku),
  stock: (level) => level,
};
