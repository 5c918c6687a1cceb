import type { GraphQLResolveInfo } from 'graphql';
import type { Order as OrderModel, OrderItem as OrderItemModel } from '../order/order.entity.ts';
import type { PlaceOrderResult as PlaceOrderResultModel } from '../checkout/checkout.service.ts';
import type { PricedCart as PricedCartModel, PricedLine as PricedLineModel } from '../cart/cart.rules.ts';
import type { FulfilmentRow as FulfilmentRowModel } from '../fulfilment/fulfilment.repository.ts';
import type { RefundRow as RefundRowModel } from '../refund/refund.repository.ts';
import type { WebhookRow as WebhookRowModel, DeliveryRow as DeliveryRowModel, AttemptRow as AttemptRowModel } from '../webhook/webhook.repository.ts';
import type { CreatedWebhook as CreatedWebhookModel } from '../webhook/webhook.service.ts';
import type { PaymentState as PaymentStateModel } from '../remote/payments.client.ts';
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

/**
 * A signed-in customer's cart, kept on the server: one per customer, the same on
 * every device and after signing in again. Prices are the ones in effect now
 * (live-sale prices included), so they may change between two reads; the
 * order is priced again at checkout.
 */
export type Cart = {
  __typename?: 'Cart';
  /** Opaque cart id. */
  id: Scalars['ID']['output'];
  /** The lines, in the order their skus were first added. */
  lines: Array<CartLine>;
  /** Sum of the line totals of purchasable lines, in minor units (0 in USD for an empty cart). */
  total: Money;
  /** When the cart last changed (ISO 8601); null for a cart that was never used. */
  updatedAt?: Maybe<Scalars['String']['output']>;
};

/** One line of a cart: a quantity of one variant. */
export type CartLine = {
  __typename?: 'CartLine';
  /** Opaque line id; pass it to setCartLineQuantity. */
  id: Scalars['ID']['output'];
  /** False when the product was unpublished or removed since it was added: checkout refuses the cart until the line is removed. */
  purchasable: Scalars['Boolean']['output'];
  /** Units of the variant, 1 to 100. */
  quantity: Scalars['Int']['output'];
  /** unitPrice times quantity; 0 when the product is no longer on sale. */
  total: Money;
  /** What one unit costs now: the live-sale price while a sale is live, the normal price otherwise. Null when the product is no longer on sale. */
  unitPrice?: Maybe<Money>;
  /** The variant (name, normal price and stock come from the products and inventory subgraphs). */
  variant: Variant;
};

/** A webhook just created, with its signing secret. */
export type CreatedWebhook = {
  __typename?: 'CreatedWebhook';
  /** Webhook id. */
  id: Scalars['ID']['output'];
  /** Signing secret: `whsec_` followed by 32 random bytes in base64. Shown only once; keep it to verify signatures. */
  secret: Scalars['String']['output'];
  /** The webhook. */
  webhook: Webhook;
};

/** The shipment of an order, recorded when a seller or an admin fulfils it. */
export type Fulfilment = {
  __typename?: 'Fulfilment';
  /** When the order was fulfilled (ISO 8601, millisecond precision). */
  fulfilledAt: Scalars['String']['output'];
  /** The carrier's tracking number, as the seller entered it. */
  trackingNumber: Scalars['String']['output'];
};

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
   * Adds `quantity` units of `sku` to the signed-in customer's cart: to the
   * line of that sku when there is one, as a new line otherwise. Errors:
   * UNAUTHENTICATED; BAD_USER_INPUT with `extensions.reason` UNKNOWN_SKU,
   * NOT_ON_SALE (the product is not published), QUANTITY_OUT_OF_RANGE (1 to
   * 100 per line, after adding), CART_LINE_LIMIT (at most 50 lines) or
   * CURRENCY_MISMATCH; SERVICE_UNAVAILABLE when the catalogue cannot be asked.
   */
  addToCart: Cart;
  /**
   * Cancels a CONFIRMED order that has not been fulfilled: the payment is
   * refunded in full, the stock goes back on sale and the order becomes
   * CANCELLED. For the order's customer and ADMINs; NOT_FOUND for anyone else,
   * as for a missing order. Cancelling a cancelled order returns it unchanged;
   * a FULFILLED or REFUNDED order, or one whose checkout is still PENDING, is a
   * CONFLICT.
   */
  cancelOrder: Order;
  /**
   * Checks out the signed-in customer's whole cart through the same checkout
   * as placeOrder, with the same outcomes, errors and idempotency: the same
   * key returns the first outcome, even once the cart has been emptied. Once
   * the order is placed, the checked-out units leave the cart; any other
   * outcome leaves the cart as it was. An empty cart is BAD_USER_INPUT (reason
   * CART_EMPTY); a line no longer on sale is placeOrder's BAD_USER_INPUT,
   * whose `field` names the line by position (`input.items[0].sku`).
   */
  checkoutCart: PlaceOrderResult;
  /**
   * ADMINs: registers a partner endpoint that receives the chosen order events
   * as signed POSTs (Standard Webhooks). The secret is returned only here.
   * Errors: FORBIDDEN; BAD_USER_INPUT (reason INVALID_URL, or
   * URL_NOT_ALLOWED for loopback and private addresses when NODE_ENV=production).
   */
  createWebhook: CreatedWebhook;
  /**
   * Records the shipment of a CONFIRMED order and moves it to FULFILLED. For a
   * SELLER of every item in the order, or an ADMIN; NOT_FOUND for a missing
   * order, FORBIDDEN for other signed-in users. Fulfilling a FULFILLED order
   * returns it as it stands (the first tracking number is kept); a CANCELLED,
   * REFUNDED or still PENDING order, or one whose payment is still being
   * captured, is a CONFLICT.
   */
  fulfillOrder: Order;
  /**
   * Checkout for the signed-in customer: prices the items at the price in
   * effect now (live-sale prices included), reserves the stock, takes the
   * payment and confirms the order. Running out of stock and a declined card
   * are results, not errors. Retrying with the same idempotencyKey and the same
   * input returns the first outcome and never creates a second order or
   * charge; the same key with other input is BAD_USER_INPUT (reason
   * IDEMPOTENCY_KEY_REUSED). Errors: UNAUTHENTICATED; BAD_USER_INPUT naming
   * the field; CHECKOUT_PENDING (still being settled: ask again with the same
   * key); CHECKOUT_FAILED (called off, nothing charged: use a new key);
   * SERVICE_UNAVAILABLE (nothing started: retry).
   */
  placeOrder: PlaceOrderResult;
  /**
   * ADMINs: pays back a CONFIRMED or FULFILLED order through payments, in full
   * (no amount: everything not yet refunded) or in part. The order becomes
   * REFUNDED once nothing is left to refund. Idempotent per order and
   * `idempotencyKey`, or per order and amount when no key is given (send
   * distinct keys for two equal partial refunds). Errors: UNAUTHENTICATED;
   * FORBIDDEN; NOT_FOUND; REFUND_EXCEEDS_REMAINING (more than is left;
   * `extensions.remaining` says how much is); CONFLICT for an order that is
   * not paid (PENDING, CANCELLED, its capture still under way) or already
   * fully refunded;
   * SERVICE_UNAVAILABLE when payments did not answer (retry the same request).
   */
  refundOrder: Order;
  /**
   * Sets the quantity of a line of the signed-in customer's cart; 0 removes
   * the line. Errors: UNAUTHENTICATED; NOT_FOUND when the line is not in the
   * viewer's cart; BAD_USER_INPUT (reason QUANTITY_OUT_OF_RANGE) outside 0 to 100.
   */
  setCartLineQuantity: Cart;
};


export type MutationAddToCartArgs = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCheckoutCartArgs = {
  idempotencyKey: Scalars['String']['input'];
  paymentToken: Scalars['String']['input'];
};


export type MutationCreateWebhookArgs = {
  events: Array<WebhookEvent>;
  url: Scalars['String']['input'];
};


export type MutationFulfillOrderArgs = {
  orderId: Scalars['ID']['input'];
  trackingNumber: Scalars['String']['input'];
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


export type MutationRefundOrderArgs = {
  amount?: InputMaybe<Scalars['Int']['input']>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  orderId: Scalars['ID']['input'];
};


export type MutationSetCartLineQuantityArgs = {
  lineId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

/**
 * A customer's order. Visible only to the customer who placed it and to ADMINs;
 * for anyone else it does not exist.
 */
export type Order = {
  __typename?: 'Order';
  /** The customer who placed the order. */
  customer: User;
  /** How the order was shipped; null until it is FULFILLED. */
  fulfilment?: Maybe<Fulfilment>;
  /** Opaque order id. */
  id: Scalars['ID']['output'];
  /** The lines of the order, in the order they were placed. */
  items: Array<OrderItem>;
  /**
   * The order's payment, owned by payments. Orders answers it only where it
   * provides it (`OrderPlaced.order`, the checkout's answer); everywhere else
   * the gateway asks payments.
   */
  payment?: Maybe<Payment>;
  /** When the order was placed (ISO 8601, millisecond precision). */
  placedAt: Scalars['String']['output'];
  /** How much of the total has been paid back so far (0 when nothing was refunded). */
  refunded: Money;
  /** The refunds of the order, oldest first. Only ADMINs see them; empty for anyone else. */
  refunds: Array<Refund>;
  /** Where the order is in its lifecycle. */
  status: OrderStatus;
  /** What the order costs in total: the sum of its items' unit price times quantity. */
  total: Money;
};

/** A page of orders. */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** The orders of this page, in the order the field that returns the connection states. */
  edges: Array<OrderEdge>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
};

/** An order and its position in the list. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque position of this order; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The order. */
  node: Order;
};

/** One line of an order: a quantity of one variant at the price charged for it. */
export type OrderItem = {
  __typename?: 'OrderItem';
  /** How many units were ordered (at least 1). */
  quantity: Scalars['Int']['output'];
  /** Price of one unit when the order was placed; later catalogue changes do not affect it. */
  unitPrice: Money;
  /** The variant ordered. */
  variant: Variant;
};

/** One line of a cart: a quantity of one variant. */
export type OrderItemInput = {
  /** Units to buy: 1 to 100 (lines with the same sku are added up, to at most 100). */
  quantity: Scalars['Int']['input'];
  /** Sku of the variant to buy. */
  sku: Scalars['ID']['input'];
};

/** The order is placed: its stock is sold to the customer and its payment captured. */
export type OrderPlaced = {
  __typename?: 'OrderPlaced';
  /**
   * The order, CONFIRMED, with its payment as orders knows it: AUTHORIZED until
   * the capture that follows the answer is recorded; after that (a retry with
   * the same idempotency key) as payments answers it. Orders provides
   * `payment { id status }` here, so the checkout's answer takes no extra trip
   * to payments.
   */
  order: Order;
};

/**
 * The lifecycle of an order. PENDING moves to CONFIRMED or CANCELLED; CONFIRMED
 * to FULFILLED, CANCELLED or REFUNDED; FULFILLED to REFUNDED. CANCELLED and
 * REFUNDED are final.
 */
export type OrderStatus =
  /** Called off before fulfilment; nothing is charged. */
  | 'CANCELLED'
  /** Stock reserved and payment captured. */
  | 'CONFIRMED'
  /** Shipped or handed over to the customer. */
  | 'FULFILLED'
  /** Placed; stock and payment are being secured. */
  | 'PENDING'
  /** Paid back to the customer after confirmation. */
  | 'REFUNDED';

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge; pass it as `after` to read the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A payment, owned by payments. Orders knows its id and, in the checkout's
 * answer, its status (see `OrderPlaced.order`); it cannot look one up by id.
 */
export type Payment = {
  __typename?: 'Payment';
  /** Opaque payment id. */
  id: Scalars['ID']['output'];
  /** Where the payment is in its lifecycle. */
  status: PaymentStatus;
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

/** What to buy and how to pay. */
export type PlaceOrderInput = {
  /** Chosen by the client for this checkout (for example a UUID), 1 to 200 characters. Send the same key when retrying the same checkout. */
  idempotencyKey: Scalars['String']['input'];
  /** The lines of the cart: 1 to 50. */
  items: Array<OrderItemInput>;
  /** A token from createPaymentToken, for the customer who places the order. */
  paymentToken: Scalars['String']['input'];
};

/**
 * The outcome of placeOrder: the order is placed, a sku has too little stock,
 * or the payment was declined. In the last two cases nothing is reserved or
 * charged, and the order (if one was recorded) is CANCELLED.
 */
export type PlaceOrderResult = InsufficientStock | OrderPlaced | PaymentDeclined;

export type Query = {
  __typename?: 'Query';
  /** One order by id; null when there is none or it is not the viewer's (ADMINs see every order). */
  order?: Maybe<Order>;
  /**
   * CONFIRMED orders waiting to be shipped, oldest first. A SELLER sees the
   * orders holding at least one of their products; an ADMIN sees all.
   * Errors: UNAUTHENTICATED; FORBIDDEN for anyone else.
   */
  ordersToFulfill: OrderConnection;
  /** ADMINs: one webhook by id; null when there is none. */
  webhook?: Maybe<Webhook>;
  /** ADMINs: the partner webhooks, newest first. */
  webhooks: Array<Webhook>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersToFulfillArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookArgs = {
  id: Scalars['ID']['input'];
};

/** Money paid back on an order by an admin, through the payments service. */
export type Refund = {
  __typename?: 'Refund';
  /** How much was paid back. */
  amount: Money;
  /** When the refund was requested (ISO 8601, millisecond precision). */
  createdAt: Scalars['String']['output'];
  /** Opaque refund id. */
  id: Scalars['ID']['output'];
  /** PENDING while payments is being asked; SUCCEEDED once the money went back. */
  status: RefundStatus;
};

/** Where a refund is: asked of payments, or done. */
export type RefundStatus =
  /** Recorded; payments has not confirmed it yet (asking again with the same request finishes it). */
  | 'PENDING'
  /** The money went back to the customer's card. */
  | 'SUCCEEDED';

/** A user account, owned by the accounts subgraph; this subgraph adds its orders. */
export type User = {
  __typename?: 'User';
  /** The user's cart, the same on every device. Only the user themself and ADMINs may read it. */
  cart: Cart;
  /** Opaque user id. */
  id: Scalars['ID']['output'];
  /** The user's orders, newest first. Only the user themself and ADMINs may read them. */
  orders: OrderConnection;
};


/** A user account, owned by the accounts subgraph; this subgraph adds its orders. */
export type UserOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A purchasable variant, owned by the products subgraph; referenced here by sku. */
export type Variant = {
  __typename?: 'Variant';
  /** Stock-keeping unit: the variant's unique id. */
  sku: Scalars['ID']['output'];
};

/** A partner endpoint that receives order events. */
export type Webhook = {
  __typename?: 'Webhook';
  /** When it was created (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** The delivery log, newest first. */
  deliveries: WebhookDeliveryConnection;
  /** The events it receives. */
  events: Array<WebhookEvent>;
  /** Opaque webhook id. */
  id: Scalars['ID']['output'];
  /** Where events are POSTed. */
  url: Scalars['String']['output'];
};


/** A partner endpoint that receives order events. */
export type WebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One event sent (or being sent) to one webhook, with its attempts. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Attempts made so far. */
  attemptCount: Scalars['Int']['output'];
  /** Every attempt, oldest first. */
  attempts: Array<WebhookDeliveryAttempt>;
  /** When the event was queued for this webhook (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** When a 2xx answer was received (ISO 8601); null until then. */
  deliveredAt?: Maybe<Scalars['String']['output']>;
  /** The event type. */
  event: WebhookEvent;
  /** The message id, sent as the `webhook-id` header on every attempt. */
  id: Scalars['ID']['output'];
  /** When the next attempt is due (ISO 8601); null once delivered or given up. */
  nextAttemptAt?: Maybe<Scalars['String']['output']>;
  /** The JSON body that is POSTed. */
  payload: Scalars['String']['output'];
  /** Where the delivery is. */
  status: WebhookDeliveryStatus;
};

/** One POST of a delivery. */
export type WebhookDeliveryAttempt = {
  __typename?: 'WebhookDeliveryAttempt';
  /** When it was sent (ISO 8601). */
  at: Scalars['String']['output'];
  /** How long the endpoint took to answer (ms). */
  durationMs: Scalars['Int']['output'];
  /** Why it failed (status, timeout or network error); null when it succeeded. */
  error?: Maybe<Scalars['String']['output']>;
  /** 1 for the first attempt. */
  number: Scalars['Int']['output'];
  /** The HTTP status the endpoint answered; null when it did not answer (timeout, refused connection). */
  responseStatus?: Maybe<Scalars['Int']['output']>;
};

/** A page of deliveries. */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** The deliveries of this page, newest first. */
  edges: Array<WebhookDeliveryEdge>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
};

/** A delivery and its position in the log. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** Opaque position; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The delivery. */
  node: WebhookDelivery;
};

/** Where a delivery is. */
export type WebhookDeliveryStatus =
  /** Every attempt failed; no more will be made. */
  | 'FAILED'
  /** Not delivered yet; another attempt is due. */
  | 'PENDING'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

/** The order events a partner webhook can subscribe to. */
export type WebhookEvent =
  /** A confirmed order was cancelled and paid back in full. */
  | 'ORDER_CANCELLED'
  /** An order was confirmed to the customer (today the same moment as ORDER_PLACED). */
  | 'ORDER_CONFIRMED'
  /** An order was shipped; the payload carries the tracking number. */
  | 'ORDER_FULFILLED'
  /** An order was placed: its stock is held and its payment authorized (the capture follows). Comes with ORDER_CONFIRMED: an order is placed and confirmed in one step. */
  | 'ORDER_PLACED'
  /** Money was paid back on an order (in part or in full); the payload says how much and what is left. */
  | 'ORDER_REFUNDED';



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
  User: User;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Cart: ResolverTypeWrapper<PricedCartModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CartLine: ResolverTypeWrapper<PricedLineModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreatedWebhook: ResolverTypeWrapper<CreatedWebhookModel>;
  Fulfilment: ResolverTypeWrapper<FulfilmentRowModel>;
  InsufficientStock: ResolverTypeWrapper<InsufficientStock>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderModel>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderItem: ResolverTypeWrapper<OrderItemModel>;
  OrderItemInput: OrderItemInput;
  OrderPlaced: ResolverTypeWrapper<Omit<OrderPlaced, 'order'> & { order: ResolversTypes['Order'] }>;
  OrderStatus: OrderStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Payment: ResolverTypeWrapper<PaymentStateModel>;
  PaymentDeclined: ResolverTypeWrapper<PaymentDeclined>;
  PaymentStatus: PaymentStatus;
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderResult: ResolverTypeWrapper<PlaceOrderResultModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Refund: ResolverTypeWrapper<RefundRowModel>;
  RefundStatus: RefundStatus;
  User: ResolverTypeWrapper<{ id: string }>;
  Variant: ResolverTypeWrapper<Variant>;
  Webhook: ResolverTypeWrapper<WebhookRowModel>;
  WebhookDelivery: ResolverTypeWrapper<DeliveryRowModel>;
  WebhookDeliveryAttempt: ResolverTypeWrapper<AttemptRowModel>;
  WebhookDeliveryConnection: ResolverTypeWrapper<Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversTypes['WebhookDeliveryEdge']> }>;
  WebhookDeliveryEdge: ResolverTypeWrapper<Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversTypes['WebhookDelivery'] }>;
  WebhookDeliveryStatus: WebhookDeliveryStatus;
  WebhookEvent: WebhookEvent;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Cart: PricedCartModel;
  ID: Scalars['ID']['output'];
  CartLine: PricedLineModel;
  Int: Scalars['Int']['output'];
  CreatedWebhook: CreatedWebhookModel;
  Fulfilment: FulfilmentRowModel;
  InsufficientStock: InsufficientStock;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: OrderModel;
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderItem: OrderItemModel;
  OrderItemInput: OrderItemInput;
  OrderPlaced: Omit<OrderPlaced, 'order'> & { order: ResolversParentTypes['Order'] };
  PageInfo: PageInfo;
  Payment: PaymentStateModel;
  PaymentDeclined: PaymentDeclined;
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderResult: PlaceOrderResultModel;
  Query: Record<PropertyKey, never>;
  Refund: RefundRowModel;
  User: { id: string };
  Variant: Variant;
  Webhook: WebhookRowModel;
  WebhookDelivery: DeliveryRowModel;
  WebhookDeliveryAttempt: AttemptRowModel;
  WebhookDeliveryConnection: Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversParentTypes['WebhookDeliveryEdge']> };
  WebhookDeliveryEdge: Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversParentTypes['WebhookDelivery'] };
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

export type CartResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Cart'] = ResolversParentTypes['Cart']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['CartLine']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type CartLineResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CartLine'] = ResolversParentTypes['CartLine']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  purchasable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  unitPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  variant?: Resolver<ResolversTypes['Variant'], ParentType, ContextType>;
};

export type CreatedWebhookResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatedWebhook'] = ResolversParentTypes['CreatedWebhook']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
};

export type FulfilmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Fulfilment'] = ResolversParentTypes['Fulfilment']> = {
  fulfilledAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InsufficientStockResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InsufficientStock'] = ResolversParentTypes['InsufficientStock']> = {
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addToCart?: Resolver<ResolversTypes['Cart'], ParentType, ContextType, RequireFields<MutationAddToCartArgs, 'quantity' | 'sku'>>;
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  checkoutCart?: Resolver<ResolversTypes['PlaceOrderResult'], ParentType, ContextType, RequireFields<MutationCheckoutCartArgs, 'idempotencyKey' | 'paymentToken'>>;
  createWebhook?: Resolver<ResolversTypes['CreatedWebhook'], ParentType, ContextType, RequireFields<MutationCreateWebhookArgs, 'events' | 'url'>>;
  fulfillOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationFulfillOrderArgs, 'orderId' | 'trackingNumber'>>;
  placeOrder?: Resolver<ResolversTypes['PlaceOrderResult'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  refundOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationRefundOrderArgs, 'orderId'>>;
  setCartLineQuantity?: Resolver<ResolversTypes['Cart'], ParentType, ContextType, RequireFields<MutationSetCartLineQuantityArgs, 'lineId' | 'quantity'>>;
};

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  customer?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  fulfilment?: Resolver<Maybe<ResolversTypes['Fulfilment']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  refunded?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  refunds?: Resolver<Array<ResolversTypes['Refund']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type OrderConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type OrderEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type OrderItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = {
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  variant?: Resolver<ResolversTypes['Variant'], ParentType, ContextType>;
};

export type OrderPlacedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderPlaced'] = ResolversParentTypes['OrderPlaced']> = {
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type PaymentDeclinedResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentDeclined'] = ResolversParentTypes['PaymentDeclined']> = {
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PlaceOrderResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PlaceOrderResult'] = ResolversParentTypes['PlaceOrderResult']> = {
  __resolveType: TypeResolveFn<'InsufficientStock' | 'OrderPlaced' | 'PaymentDeclined', ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  ordersToFulfill?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersToFulfillArgs, 'first'>>;
  webhook?: Resolver<Maybe<ResolversTypes['Webhook']>, ParentType, ContextType, RequireFields<QueryWebhookArgs, 'id'>>;
  webhooks?: Resolver<Array<ResolversTypes['Webhook']>, ParentType, ContextType>;
};

export type RefundResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Refund'] = ResolversParentTypes['Refund']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RefundStatus'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cart?: Resolver<ResolversTypes['Cart'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<UserOrdersArgs, 'first'>>;
};

export type VariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Variant'] = ResolversParentTypes['Variant']> = {
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type WebhookResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Webhook'] = ResolversParentTypes['Webhook']> = {
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['WebhookDeliveryConnection'], ParentType, ContextType, RequireFields<WebhookDeliveriesArgs, 'first'>>;
  events?: Resolver<Array<ResolversTypes['WebhookEvent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookDeliveryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = {
  attemptCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  attempts?: Resolver<Array<ResolversTypes['WebhookDeliveryAttempt']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  event?: Resolver<ResolversTypes['WebhookEvent'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
};

export type WebhookDeliveryAttemptResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDeliveryAttempt'] = ResolversParentTypes['WebhookDeliveryAttempt']> = {
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  responseStatus?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type WebhookDeliveryConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDeliveryConnection'] = ResolversParentTypes['WebhookDeliveryConnection']> = {
  edges?: Resolver<Array<ResolversTypes['WebhookDeliveryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type WebhookDeliveryEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WebhookDeliveryEdge'] = ResolversParentTypes['WebhookDeliveryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Cart?: CartResolvers<ContextType>;
  CartLine?: CartLineResolvers<ContextType>;
  CreatedWebhook?: CreatedWebhookResolvers<ContextType>;
  Fulfilment?: FulfilmentResolvers<ContextType>;
  InsufficientStock?: InsufficientStockResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  OrderPlaced?: OrderPlacedResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  PaymentDeclined?: PaymentDeclinedResolvers<ContextType>;
  PlaceOrderResult?: PlaceOrderResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Refund?: RefundResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  Variant?: VariantResolvers<ContextType>;
  Webhook?: WebhookResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryAttempt?: WebhookDeliveryAttemptResolvers<ContextType>;
  WebhookDeliveryConnection?: WebhookDeliveryConnectionResolvers<ContextType>;
  WebhookDeliveryEdge?: WebhookDeliveryEdgeResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  composeDirective?: ComposeDirectiveDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
