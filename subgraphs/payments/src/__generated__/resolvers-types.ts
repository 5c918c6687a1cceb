import type { GraphQLResolveInfo } from 'graphql';
import type { Payment as PaymentModel } from '../payment/payment.entity.ts';
import type { CardToken as CardTokenModel } from '../provider/payment-provider.ts';
import type { AuthorizeResult as AuthorizeResultModel } from '../payment/payment.service.ts';
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

/** One order's authorization in authorizePayments. */
export type AuthorizePaymentInput = {
  /** Amount in minor units of `currency`. */
  amount: Scalars['Int']['input'];
  /** ISO 4217 currency code. */
  currency: Scalars['String']['input'];
  /** The order being paid. */
  orderId: Scalars['ID']['input'];
  /** A token from createPaymentToken. */
  token: Scalars['String']['input'];
  /** The customer paying; the token must be theirs. */
  userId: Scalars['ID']['input'];
};

/** The outcome of an authorization: the money is held, or the card was declined. */
export type AuthorizePaymentResult = PaymentAuthorized | PaymentDeclined;

/**
 * Card details to tokenize. They are checked and turned into a token at once,
 * and never stored.
 */
export type CardInput = {
  /** Security code: 3 digits, or 4 for American Express. */
  cvc: Scalars['String']['input'];
  /** Expiry month, 1 to 12. */
  expMonth: Scalars['Int']['input'];
  /** Expiry year, four digits (e.g. 2030). */
  expYear: Scalars['Int']['input'];
  /** Card number, 12 to 19 digits; spaces and dashes between groups are ignored. */
  number: Scalars['String']['input'];
};

/** An amount of money in minor units (cents) of an ISO 4217 currency. */
export type Money = {
  __typename?: 'Money';
  /** Amount in minor units of the currency, e.g. 1999 for 19.99 USD. */
  amount: Scalars['Int']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Internal (orders saga; SERVICE or ADMIN identity): holds `amount` on the
   * tokenized card for the order. Idempotent per order: a repeated call returns
   * the first outcome and never charges twice.
   */
  authorizePayment: AuthorizePaymentResult;
  /**
   * Internal (SERVICE or ADMIN): authorizePayment for many orders in one call
   * (the orders service's group commit of checkouts). Each is decided as
   * authorizePayment decides it alone; answers come in request order, and an
   * authorization that failed is null with its error at its index.
   */
  authorizePayments: Array<Maybe<AuthorizePaymentResult>>;
  /** Internal: takes the authorized amount of the order's payment. Idempotent: a captured payment is returned as it is. */
  capturePayment: Payment;
  /**
   * Internal (SERVICE or ADMIN): capturePayment for many orders in one call
   * (the orders service settling a batch of checkouts). Each is captured as
   * capturePayment captures it alone; answers come in request order, and a
   * capture that failed is null with its error at its index.
   */
  capturePayments: Array<Maybe<Payment>>;
  /** Turns a card into a single-use payment token. Requires a signed-in customer. */
  createPaymentToken: PaymentToken;
  /**
   * Internal: pays back `amount` of the order's captured payment. Idempotent per
   * order and `idempotencyKey`, or per order and amount when no key is given.
   */
  refundPayment: Payment;
  /** Internal: releases the order's authorization before capture. Idempotent; null when the order has no payment. */
  voidPayment?: Maybe<Payment>;
};


export type MutationAuthorizePaymentArgs = {
  amount: Scalars['Int']['input'];
  currency: Scalars['String']['input'];
  orderId: Scalars['ID']['input'];
  token: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationAuthorizePaymentsArgs = {
  requests: Array<AuthorizePaymentInput>;
};


export type MutationCapturePaymentArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationCapturePaymentsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


export type MutationCreatePaymentTokenArgs = {
  card: CardInput;
};


export type MutationRefundPaymentArgs = {
  amount: Scalars['Int']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  orderId: Scalars['ID']['input'];
};


export type MutationVoidPaymentArgs = {
  orderId: Scalars['ID']['input'];
};

/** An order, owned by the orders subgraph; this subgraph adds its payment. */
export type Order = {
  __typename?: 'Order';
  /** Opaque order id. */
  id: Scalars['ID']['output'];
  /** The order's payment; null before payment, or when the viewer may not see it. Shareable: orders provides it in the checkout's answer. */
  payment?: Maybe<Payment>;
};

/**
 * The payment of an order. Visible only to the customer who paid and to ADMINs;
 * for anyone else it does not exist.
 */
export type Payment = {
  __typename?: 'Payment';
  /** The amount authorized (and, once captured, charged). */
  amount: Money;
  /** The card that paid, as much of it as is kept: brand and last 4 digits. */
  card: PaymentCard;
  /** When the payment was authorized or declined (ISO 8601, millisecond precision). */
  createdAt: Scalars['String']['output'];
  /** Opaque payment id. */
  id: Scalars['ID']['output'];
  /** How much of the amount has been paid back so far. */
  refunded: Money;
  /** Where the payment is in its lifecycle. Shareable: orders provides it in the checkout's answer. */
  status: PaymentStatus;
};

/** The amount is held on the card. */
export type PaymentAuthorized = {
  __typename?: 'PaymentAuthorized';
  /** The authorized payment. */
  payment: Payment;
};

/** What is kept of a card: never its number or security code. */
export type PaymentCard = {
  __typename?: 'PaymentCard';
  /** Card network, e.g. `visa`, `mastercard`, `amex`, `discover` or `unknown`. */
  brand: Scalars['String']['output'];
  /** The last 4 digits of the card number. */
  last4: Scalars['String']['output'];
};

/** The payment was refused; nothing was taken. */
export type PaymentDeclined = {
  __typename?: 'PaymentDeclined';
  /** A message that can be shown to the customer. */
  message: Scalars['String']['output'];
  /** Machine-readable reason, e.g. `card_declined`, `insufficient_funds`, `token_expired`, `provider_timeout`. */
  reason: Scalars['String']['output'];
};

/**
 * The lifecycle of a payment. AUTHORIZED moves to CAPTURED or VOIDED; CAPTURED to
 * PARTIALLY_REFUNDED or REFUNDED. FAILED means the card was declined.
 */
export type PaymentStatus =
  /** The amount is held on the card, not yet taken. */
  | 'AUTHORIZED'
  /** The amount has been taken. */
  | 'CAPTURED'
  /** The card was declined; nothing was held or taken. */
  | 'FAILED'
  /** Part of the amount has been paid back. */
  | 'PARTIALLY_REFUNDED'
  /** The whole amount has been paid back. */
  | 'REFUNDED'
  /** The hold was released before capture; nothing was taken. */
  | 'VOIDED';

/** A single-use stand-in for a card, valid for 15 minutes, to pass to checkout. */
export type PaymentToken = {
  __typename?: 'PaymentToken';
  /** Card network of the tokenized card. */
  brand: Scalars['String']['output'];
  /** When the token stops being usable (ISO 8601). */
  expiresAt: Scalars['String']['output'];
  /** The last 4 digits of the tokenized card. */
  last4: Scalars['String']['output'];
  /** The token; it can pay for one order of the customer who created it. */
  token: Scalars['String']['output'];
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
  Order: Order;
  Payment: Payment;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Payment:
    ( { __typename: 'Payment' }
    & GraphQLRecursivePick<FederationTypes['Payment'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AuthorizePaymentInput: AuthorizePaymentInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuthorizePaymentResult: ResolverTypeWrapper<AuthorizeResultModel>;
  CardInput: CardInput;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<{ id: string }>;
  Payment: ResolverTypeWrapper<PaymentModel>;
  PaymentAuthorized: ResolverTypeWrapper<Omit<PaymentAuthorized, 'payment'> & { payment: ResolversTypes['Payment'] }>;
  PaymentCard: ResolverTypeWrapper<PaymentCard>;
  PaymentDeclined: ResolverTypeWrapper<PaymentDeclined>;
  PaymentStatus: PaymentStatus;
  PaymentToken: ResolverTypeWrapper<CardTokenModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AuthorizePaymentInput: AuthorizePaymentInput;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AuthorizePaymentResult: AuthorizeResultModel;
  CardInput: CardInput;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: { id: string };
  Payment: PaymentModel;
  PaymentAuthorized: Omit<PaymentAuthorized, 'payment'> & { payment: ResolversParentTypes['Payment'] };
  PaymentCard: PaymentCard;
  PaymentDeclined: PaymentDeclined;
  PaymentToken: CardTokenModel;
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

export type AuthorizePaymentResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthorizePaymentResult'] = ResolversParentTypes['AuthorizePaymentResult']> = {
  __resolveType: TypeResolveFn<'PaymentAuthorized' | 'PaymentDeclined', ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  authorizePayment?: Resolver<ResolversTypes['AuthorizePaymentResult'], ParentType, ContextType, RequireFields<MutationAuthorizePaymentArgs, 'amount' | 'currency' | 'orderId' | 'token' | 'userId'>>;
  authorizePayments?: Resolver<Array<Maybe<ResolversTypes['AuthorizePaymentResult']>>, ParentType, ContextType, RequireFields<MutationAuthorizePaymentsArgs, 'requests'>>;
  capturePayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationCapturePaymentArgs, 'orderId'>>;
  capturePayments?: Resolver<Array<Maybe<ResolversTypes['Payment']>>, ParentType, ContextType, RequireFields<MutationCapturePaymentsArgs, 'orderIds'>>;
  createPaymentToken?: Resolver<ResolversTypes['PaymentToken'], ParentType, ContextType, RequireFields<MutationCreatePaymentTokenArgs, 'card'>>;
  refundPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationRefundPaymentArgs, 'amount' | 'orderId'>>;
  voidPayment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType, RequireFields<MutationVoidPaymentArgs, 'orderId'>>;
};

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment'], FederationReferenceType extends FederationReferenceTypes['Payment'] = FederationReferenceTypes['Payment']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Payment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  card?: Resolver<ResolversTypes['PaymentCard'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  refunded?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
};

export type PaymentAuthorizedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentAuthorized'] = ResolversParentTypes['PaymentAuthorized']> = {
  payment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentCardResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentCard'] = ResolversParentTypes['PaymentCard']> = {
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PaymentDeclinedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentDeclined'] = ResolversParentTypes['PaymentDeclined']> = {
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PaymentTokenResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentToken'] = ResolversParentTypes['PaymentToken']> = {
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AuthorizePaymentResult?: AuthorizePaymentResultResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  PaymentAuthorized?: PaymentAuthorizedResolvers<ContextType>;
  PaymentCard?: PaymentCardResolvers<ContextType>;
  PaymentDeclined?: PaymentDeclinedResolvers<ContextType>;
  PaymentToken?: PaymentTokenResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  composeDirective?: ComposeDirectiveDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
