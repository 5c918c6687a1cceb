import type { GraphQLResolveInfo } from 'graphql';
import type { StockLevel as StockLevelModel } from '../stock/stock-level.ts';
import type { Reservation as ReservationModel } from '../reservation/reservation.service.ts';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: string; output: string; }
};

/** The outcome of commitReservation. */
export type CommitReservationResult = ReservationCommitted | ReservationReleased;

/** Not enough units of a sku to fill the order; nothing was held or sold. */
export type InsufficientStock = {
  __typename?: 'InsufficientStock';
  /** Units of it available at the time of the attempt. */
  available: Scalars['Int']['output'];
  /** Explanation for people, e.g. `Only 2 of SKU-1 left; 3 requested.` */
  message: Scalars['String']['output'];
  /** Sku that is short. */
  sku: Scalars['ID']['output'];
};

/** Changes to the catalogue. Never cached. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Internal (SERVICE or ADMIN): turns an order's held stock into a sale.
   * Idempotent. A hold that was already released (it expired, or the saga
   * released it) cannot be committed: the result says so. NOT_FOUND when the
   * order never reserved anything.
   */
  commitReservation: CommitReservationResult;
  /**
   * Internal (SERVICE or ADMIN): commitReservation for many orders in one call
   * (the orders service settling a batch of checkouts), in one transaction.
   * Each is answered as commitReservation answers it alone; answers come in
   * request order, and an order that failed (NOT_FOUND: it never reserved
   * anything) is null with its error at its index.
   */
  commitReservations: Array<Maybe<CommitReservationResult>>;
  /**
   * Internal (SERVICE or ADMIN): returns an order's held stock (compensation).
   * Idempotent and safe to call blindly: null when the order holds nothing. A
   * committed reservation cannot be released (CONFLICT).
   */
  releaseReservation?: Maybe<Reservation>;
  /**
   * Internal (SERVICE or ADMIN): releaseReservation for many orders in one
   * call, in one transaction. Answers in request order: the released
   * reservation, null when the order holds nothing, or null with its error at
   * its index when it failed (CONFLICT: committed).
   */
  releaseReservations: Array<Maybe<Reservation>>;
  /**
   * Internal (SERVICE or ADMIN): holds stock for an order, every item or none,
   * until the hold is committed, released or expires. Idempotent per order: the
   * same call again returns the first reservation; other items for the same
   * order are a CONFLICT error.
   */
  reserveStock: ReserveStockResult;
  /**
   * Internal (SERVICE or ADMIN): reserveStock for many orders in one call (the
   * orders service's group commit of checkouts). Each request is decided as
   * reserveStock decides it alone (single-sku requests join their sku's
   * reservation batch); answers come in request order, and a request that
   * failed is null with its error at its index.
   */
  reserveStockBatch: Array<Maybe<ReserveStockResult>>;
  /** Adds units to a variant's stock. Only the product's seller or an admin. */
  restock: StockLevel;
};


/** Changes to the catalogue. Never cached. */
export type MutationCommitReservationArgs = {
  orderId: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationCommitReservationsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


/** Changes to the catalogue. Never cached. */
export type MutationReleaseReservationArgs = {
  orderId: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationReleaseReservationsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


/** Changes to the catalogue. Never cached. */
export type MutationReserveStockArgs = {
  items: Array<ReservationItemInput>;
  orderId: Scalars['ID']['input'];
  ttlSeconds?: Scalars['Int']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationReserveStockBatchArgs = {
  requests: Array<StockReservationRequestInput>;
};


/** Changes to the catalogue. Never cached. */
export type MutationRestockArgs = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
};

/**
 * A product in the catalogue, sold by one seller in one or more variants.
 * Public catalogue data: cacheable by anyone for 5 minutes, unless the product
 * is not PUBLISHED (then the response is private to its seller or an admin).
 */
export type Product = {
  __typename?: 'Product';
  /** Opaque product id. */
  id: Scalars['ID']['output'];
  /** True when at least one variant of the product has units available (inventory; cached for about a second). Null only while inventory cannot be reached. */
  inStock?: Maybe<Scalars['Boolean']['output']>;
  /** The product's variants, resolved by the products subgraph; inventory needs their skus. */
  variants: Array<Variant>;
};

/** Reads of the catalogue. */
export type Query = {
  __typename?: 'Query';
  /** Current stock levels of up to 100 skus, in the order asked; unknown skus have 0 available. */
  stockLevels: Array<StockLevel>;
};


/** Reads of the catalogue. */
export type QueryStockLevelsArgs = {
  skus: Array<Scalars['ID']['input']>;
};

/** Stock held for one order. */
export type Reservation = {
  __typename?: 'Reservation';
  /** When a HELD reservation is released unless committed first (ISO 8601). */
  expiresAt: Scalars['String']['output'];
  /** Id of the reservation. */
  id: Scalars['ID']['output'];
  /** The units held, one entry per sku. */
  items: Array<ReservationItem>;
  /** The order it holds stock for. */
  orderId: Scalars['ID']['output'];
  /** Where the reservation is in its life. */
  status: ReservationStatus;
};

/** The held units are sold (now or by an earlier call). */
export type ReservationCommitted = {
  __typename?: 'ReservationCommitted';
  /** The committed reservation. */
  reservation: Reservation;
};

/** Units of one sku held by a reservation. */
export type ReservationItem = {
  __typename?: 'ReservationItem';
  /** Units held. */
  quantity: Scalars['Int']['output'];
  /** Sku of the variant. */
  sku: Scalars['ID']['output'];
};

/** Units of one sku to hold for an order. */
export type ReservationItemInput = {
  /** Units to hold: 1 to 1,000,000. */
  quantity: Scalars['Int']['input'];
  /** Sku of the variant. */
  sku: Scalars['ID']['input'];
};

/** The reservation had already been released, so nothing was sold: the order must not be placed (refund any payment). */
export type ReservationReleased = {
  __typename?: 'ReservationReleased';
  /** Explanation for people. */
  message: Scalars['String']['output'];
  /** The released reservation. */
  reservation: Reservation;
};

/** Where a reservation is in its life: held, then committed (sold) or released (back in stock). */
export type ReservationStatus =
  /** The order was placed: the held units are sold. */
  | 'COMMITTED'
  /** Units are held for the order and not available to others. */
  | 'HELD'
  /** The hold ended without a sale (released or expired): the units are back in stock. */
  | 'RELEASED';

/** The outcome of reserveStock: the stock is held, or one sku has too little. */
export type ReserveStockResult = InsufficientStock | StockReserved;

/**
 * The stock of one variant as buyers see it: units available to buy now. Units
 * held by pending checkouts are not counted. Read from a cache that can lag a
 * change by about a second.
 */
export type StockLevel = {
  __typename?: 'StockLevel';
  /** Units that can be bought now; 0 for a sku that was never stocked. */
  available: Scalars['Int']['output'];
  /** Stock-keeping unit of the variant. */
  sku: Scalars['ID']['output'];
  /** The variant this level belongs to. */
  variant: Variant;
};

/** One order's reservation in reserveStockBatch. */
export type StockReservationRequestInput = {
  /** What to hold: 1 to 100 items. */
  items: Array<ReservationItemInput>;
  /** The order the stock is held for; one reservation per order. */
  orderId: Scalars['ID']['input'];
  /** Seconds until an uncommitted hold is released: 1 to 86,400. */
  ttlSeconds: Scalars['Int']['input'];
};

/** Every item of the order is held until `expiresAt`. */
export type StockReserved = {
  __typename?: 'StockReserved';
  /** When the hold is released unless committed first (ISO 8601). */
  expiresAt: Scalars['String']['output'];
  /** Id of the reservation (shared by all its items). */
  reservationId: Scalars['ID']['output'];
};

/** Live updates over WebSocket (graphql-ws, protocol `graphql-transport-ws`). */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Streams the stock levels of up to 100 skus during a live sale: first the
   * current level of each sku (so a client that reconnects is up to date at
   * once), then a level whenever a sku's available units change, on whichever
   * replica the change happened. A client that falls behind receives each
   * sku's latest level, not every step in between.
   */
  stockChanged: StockLevel;
};


/** Live updates over WebSocket (graphql-ws, protocol `graphql-transport-ws`). */
export type SubscriptionStockChangedArgs = {
  skus: Array<Scalars['ID']['input']>;
};

/** A purchasable variant of a product, identified by its stock-keeping unit. */
export type Variant = {
  __typename?: 'Variant';
  /** Stock-keeping unit: the variant's unique id. */
  sku: Scalars['ID']['output'];
  /** How many units of this variant can be bought right now (inventory; cached for about a second). Null only while inventory cannot be reached. */
  stock?: Maybe<StockLevel>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Product: Product;
  Variant: Variant;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Product'], {"variants":{"sku":true}}> ) );
  Variant:
    ( { __typename: 'Variant' }
    & GraphQLRecursivePick<FederationTypes['Variant'], {"sku":true}> );
};

/** Mapping of union types */
export type ResolversUnionTypes<_RefType extends Record<string, unknown>> = {
  CommitReservationResult:
    | ( Omit<ReservationCommitted, 'reservation'> & { reservation: _RefType['Reservation'] } )
    | ( Omit<ReservationReleased, 'reservation'> & { reservation: _RefType['Reservation'] } )
  ;
  ReserveStockResult:
    | ( InsufficientStock )
    | ( StockReserved )
  ;
};


/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CommitReservationResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['CommitReservationResult']>;
  InsufficientStock: ResolverTypeWrapper<InsufficientStock>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Product: ResolverTypeWrapper<{ id: string; variants?: { sku: string }[] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reservation: ResolverTypeWrapper<ReservationModel>;
  ReservationCommitted: ResolverTypeWrapper<Omit<ReservationCommitted, 'reservation'> & { reservation: ResolversTypes['Reservation'] }>;
  ReservationItem: ResolverTypeWrapper<ReservationItem>;
  ReservationItemInput: ReservationItemInput;
  ReservationReleased: ResolverTypeWrapper<Omit<ReservationReleased, 'reservation'> & { reservation: ResolversTypes['Reservation'] }>;
  ReservationStatus: ReservationStatus;
  ReserveStockResult: ResolverTypeWrapper<ResolversUnionTypes<ResolversTypes>['ReserveStockResult']>;
  StockLevel: ResolverTypeWrapper<StockLevelModel>;
  StockReservationRequestInput: StockReservationRequestInput;
  StockReserved: ResolverTypeWrapper<StockReserved>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Variant: ResolverTypeWrapper<StockLevelModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CommitReservationResult: ResolversUnionTypes<ResolversParentTypes>['CommitReservationResult'];
  InsufficientStock: InsufficientStock;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  Mutation: Record<PropertyKey, never>;
  Product: { id: string; variants?: { sku: string }[] };
  Query: Record<PropertyKey, never>;
  Reservation: ReservationModel;
  ReservationCommitted: Omit<ReservationCommitted, 'reservation'> & { reservation: ResolversParentTypes['Reservation'] };
  ReservationItem: ReservationItem;
  ReservationItemInput: ReservationItemInput;
  ReservationReleased: Omit<ReservationReleased, 'reservation'> & { reservation: ResolversParentTypes['Reservation'] };
  ReserveStockResult: ResolversUnionTypes<ResolversParentTypes>['ReserveStockResult'];
  StockLevel: StockLevelModel;
  StockReservationRequestInput: StockReservationRequestInput;
  StockReserved: StockReserved;
  Subscription: Record<PropertyKey, never>;
  Variant: StockLevelModel;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
};

export type ComposeDirectiveDirectiveArgs = {
  name: Scalars['String']['input'];
};

export type ComposeDirectiveDirectiveResolver<Result, Parent, ContextType = Context, Args = ComposeDirectiveDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = Context, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  as?: Maybe<Scalars['String']['input']>;
  for?: Maybe<Scalars['String']['input']>;
  import?: Maybe<Array<Maybe<Scalars['String']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = Context, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = Context, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CommitReservationResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CommitReservationResult'] = ResolversParentTypes['CommitReservationResult']> = {
  __resolveType: TypeResolveFn<'ReservationCommitted' | 'ReservationReleased', ParentType, ContextType>;
};

export type InsufficientStockResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InsufficientStock'] = ResolversParentTypes['InsufficientStock']> = {
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  commitReservation?: Resolver<ResolversTypes['CommitReservationResult'], ParentType, ContextType, RequireFields<MutationCommitReservationArgs, 'orderId'>>;
  commitReservations?: Resolver<Array<Maybe<ResolversTypes['CommitReservationResult']>>, ParentType, ContextType, RequireFields<MutationCommitReservationsArgs, 'orderIds'>>;
  releaseReservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<MutationReleaseReservationArgs, 'orderId'>>;
  releaseReservations?: Resolver<Array<Maybe<ResolversTypes['Reservation']>>, ParentType, ContextType, RequireFields<MutationReleaseReservationsArgs, 'orderIds'>>;
  reserveStock?: Resolver<ResolversTypes['ReserveStockResult'], ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'items' | 'orderId' | 'ttlSeconds'>>;
  reserveStockBatch?: Resolver<Array<Maybe<ResolversTypes['ReserveStockResult']>>, ParentType, ContextType, RequireFields<MutationReserveStockBatchArgs, 'requests'>>;
  restock?: Resolver<ResolversTypes['StockLevel'], ParentType, ContextType, RequireFields<MutationRestockArgs, 'quantity' | 'sku'>>;
};

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inStock?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  stockLevels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType, RequireFields<QueryStockLevelsArgs, 'skus'>>;
};

export type ReservationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation']> = {
  expiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['ReservationItem']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
};

export type ReservationCommittedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReservationCommitted'] = ResolversParentTypes['ReservationCommitted']> = {
  reservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ReservationItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReservationItem'] = ResolversParentTypes['ReservationItem']> = {
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ReservationReleasedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReservationReleased'] = ResolversParentTypes['ReservationReleased']> = {
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ReserveStockResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReserveStockResult'] = ResolversParentTypes['ReserveStockResult']> = {
  __resolveType: TypeResolveFn<'InsufficientStock' | 'StockReserved', ParentType, ContextType>;
};

export type StockLevelResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StockLevel'] = ResolversParentTypes['StockLevel']> = {
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  variant?: Resolver<ResolversTypes['Variant'], ParentType, ContextType>;
};

export type StockReservedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StockReserved'] = ResolversParentTypes['StockReserved']> = {
  expiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reservationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  stockChanged?: SubscriptionResolver<ResolversTypes['StockLevel'], "stockChanged", ParentType, ContextType, RequireFields<SubscriptionStockChangedArgs, 'skus'>>;
};

export type VariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Variant'] = ResolversParentTypes['Variant'], FederationReferenceType extends FederationReferenceTypes['Variant'] = FederationReferenceTypes['Variant']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Variant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stock?: Resolver<Maybe<ResolversTypes['StockLevel']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  CommitReservationResult?: CommitReservationResultResolvers<ContextType>;
  InsufficientStock?: InsufficientStockResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservationCommitted?: ReservationCommittedResolvers<ContextType>;
  ReservationItem?: ReservationItemResolvers<ContextType>;
  ReservationReleased?: ReservationReleasedResolvers<ContextType>;
  ReserveStockResult?: ReserveStockResultResolvers<ContextType>;
  StockLevel?: StockLevelResolvers<ContextType>;
  StockReserved?: StockReservedResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Variant?: VariantResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  composeDirective?: ComposeDirectiveDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
