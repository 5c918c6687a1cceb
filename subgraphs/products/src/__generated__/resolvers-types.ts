import type { GraphQLResolveInfo } from 'graphql';
import type { Product as ProductModel, Variant as VariantModel, ProductImage as ProductImageModel } from '../product/product.entity.ts';
import type { Category as CategoryModel } from '../category/category.entity.ts';
import type { LiveSale as LiveSaleModel, LiveSalePrice as LiveSalePriceModel } from '../live-sale/live-sale.entity.ts';
import type { VariantPrice as VariantPriceModel } from '../product/product.service.ts';
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

/** Who may store a cached response. */
export type CacheControlScope =
  /** Only the caller's own client: the value depends on who is asking. */
  | 'PRIVATE'
  /** Any cache, shared ones (the CDN) included: the value is the same for every caller. */
  | 'PUBLIC';

/** A node of the category tree, e.g. Apparel > Footwear. */
export type Category = {
  __typename?: 'Category';
  /** The direct subcategories, in display order. */
  children: Array<Category>;
  /** Opaque category id. */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** The parent category; null for a top-level category. */
  parent?: Maybe<Category>;
  /** URL-friendly unique name, e.g. `footwear`. */
  slug: Scalars['String']['output'];
};

/** A new category. */
export type CreateCategoryInput = {
  /** Display name, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** Parent category; a top-level category when omitted. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
  /** URL-friendly unique name; derived from the name when omitted. */
  slug?: InputMaybe<Scalars['String']['input']>;
};

/** A new product. It starts as a DRAFT; publish it with `publishProduct`. */
export type CreateProductInput = {
  /** Categories to file the product under (at most 10). */
  categoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Long description, at most 10,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Images in display order (at most 20). */
  images?: InputMaybe<Array<ProductImageInput>>;
  /** Display name, 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** List price; its currency is the product's currency for good. */
  price: MoneyInput;
  /** The seller who will offer the product. Admins only, for acting on a seller's behalf; a seller's own id otherwise. */
  sellerId?: InputMaybe<Scalars['ID']['input']>;
  /** URL-friendly unique name (lowercase letters, digits and dashes); derived from the name when omitted. */
  slug?: InputMaybe<Scalars['String']['input']>;
  /** The variants, 1 to 100. */
  variants: Array<VariantInput>;
};

/**
 * A seller's live sale: a time window in which some of their products are
 * featured, optionally at a sale price per variant.
 */
export type LiveSale = {
  __typename?: 'LiveSale';
  /** When the seller cancelled the sale (ISO 8601); null unless cancelled. A cancelled sale reports ENDED and no longer sets prices. */
  cancelledAt?: Maybe<Scalars['String']['output']>;
  /** When the sale ends (ISO 8601, exclusive). */
  endsAt: Scalars['String']['output'];
  /** Opaque live sale id. */
  id: Scalars['ID']['output'];
  /** The sale prices, one per discounted variant. */
  prices: Array<LiveSalePrice>;
  /** The products on sale that the caller may see. */
  products: Array<Product>;
  /** The seller who runs the sale. */
  seller: User;
  /** When the sale starts (ISO 8601). */
  startsAt: Scalars['String']['output'];
  /** Where the sale stands now. Cached only until it changes. */
  status: LiveSaleStatus;
  /** Title shown to buyers, e.g. `Friday night running gear`. */
  title: Scalars['String']['output'];
};

/** A page of live sales. */
export type LiveSaleConnection = {
  __typename?: 'LiveSaleConnection';
  /** The live sales of this page, in order. */
  edges: Array<LiveSaleEdge>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
};

/** A live sale and its position in the list. */
export type LiveSaleEdge = {
  __typename?: 'LiveSaleEdge';
  /** Opaque position of this live sale; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The live sale. */
  node: LiveSale;
};

/** The sale price of one variant during a live sale. */
export type LiveSalePrice = {
  __typename?: 'LiveSalePrice';
  /** Price of the variant while the sale is LIVE, in the variant's currency. */
  price: Money;
  /** Sku of the discounted variant. */
  sku: Scalars['ID']['output'];
};

/** The sale price of one variant in a live sale. */
export type LiveSalePriceInput = {
  /** Sale price in minor units of the variant's currency; at most the variant's normal price. */
  amount: Scalars['Int']['input'];
  /** Sku of a variant of one of the products on sale. */
  sku: Scalars['ID']['input'];
};

/** Where a live sale stands, computed from the clock. */
export type LiveSaleStatus =
  /** Over (or cancelled). */
  | 'ENDED'
  /** Running now: its sale prices are in effect. */
  | 'LIVE'
  /** Scheduled and not started yet. */
  | 'UPCOMING';

/** An amount of money in minor units (cents) of an ISO 4217 currency. */
export type Money = {
  __typename?: 'Money';
  /** Amount in minor units of the currency, e.g. 1999 for 19.99 USD. */
  amount: Scalars['Int']['output'];
  /** ISO 4217 currency code, e.g. USD. */
  currency: Scalars['String']['output'];
};

/** An amount of money to set, in minor units of an ISO 4217 currency. */
export type MoneyInput = {
  /** Amount in minor units, 0 or more. */
  amount: Scalars['Int']['input'];
  /** ISO 4217 currency code in capitals, e.g. USD. */
  currency: Scalars['String']['input'];
};

/** Changes to the catalogue. Never cached. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Adds a variant to a product. Its seller or an admin. */
  addVariant: Variant;
  /** Withdraws a product from the catalogue (no-op when already ARCHIVED). Its seller or an admin. */
  archiveProduct: Product;
  /** Cancels an UPCOMING or LIVE sale (no-op when already cancelled): its prices stop applying at once. Its seller or an admin. */
  cancelLiveSale: LiveSale;
  /** Adds a category to the tree. Admins only. */
  createCategory: Category;
  /** Creates a DRAFT product with its variants. Sellers (for themselves) and admins. */
  createProduct: Product;
  /** Publishes a DRAFT or ARCHIVED product (no-op when already PUBLISHED). Its seller or an admin. */
  publishProduct: Product;
  /** Schedules a live sale of some of a seller's products. Sellers (for themselves) and admins. */
  scheduleLiveSale: LiveSale;
  /** Changes a product. Its seller or an admin. */
  updateProduct: Product;
  /** Changes a variant. The product's seller or an admin. */
  updateVariant: Variant;
};


/** Changes to the catalogue. Never cached. */
export type MutationAddVariantArgs = {
  input: VariantInput;
  productId: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationArchiveProductArgs = {
  id: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationCancelLiveSaleArgs = {
  id: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationCreateCategoryArgs = {
  input: CreateCategoryInput;
};


/** Changes to the catalogue. Never cached. */
export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


/** Changes to the catalogue. Never cached. */
export type MutationPublishProductArgs = {
  id: Scalars['ID']['input'];
};


/** Changes to the catalogue. Never cached. */
export type MutationScheduleLiveSaleArgs = {
  input: ScheduleLiveSaleInput;
};


/** Changes to the catalogue. Never cached. */
export type MutationUpdateProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
};


/** Changes to the catalogue. Never cached. */
export type MutationUpdateVariantArgs = {
  input: UpdateVariantInput;
  sku: Scalars['ID']['input'];
};

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge; pass it as `after` to read the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A product in the catalogue, sold by one seller in one or more variants.
 * Public catalogue data: cacheable by anyone for 5 minutes. A response holding
 * a product that only its seller or an admin may see (a draft) is private.
 */
export type Product = {
  __typename?: 'Product';
  /** The categories the product is filed under (a product may be in several). */
  categories: Array<Category>;
  /** When the product was added to the catalogue (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Long description shown on the product page. */
  description: Scalars['String']['output'];
  /** Opaque product id. */
  id: Scalars['ID']['output'];
  /** Product images, in display order (the first is the main image). */
  images: Array<ProductImage>;
  /** The live sale the product is in now, or else its next scheduled one; null when none is running or scheduled. Cached only until that sale starts or ends. */
  liveSale?: Maybe<LiveSale>;
  /** Display name. */
  name: Scalars['String']['output'];
  /** List price of the product (the price shown on catalogue pages); each variant has its own price in the same currency. */
  price: Money;
  /** When the product was last published (ISO 8601); null while it has never been. */
  publishedAt?: Maybe<Scalars['String']['output']>;
  /** The seller who offers the product (null only while the accounts service cannot be reached). */
  seller?: Maybe<User>;
  /** URL-friendly unique name, e.g. `aurora-running-shoe`. */
  slug: Scalars['String']['output'];
  /** Publication state. */
  status: ProductStatus;
  /** When the product or its variants, categories or images last changed (ISO 8601). */
  updatedAt: Scalars['String']['output'];
  /** The purchasable variants (sizes, colours) of the product, in display order. */
  variants: Array<Variant>;
};

/** A page of products. */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** The products of this page, in order. */
  edges: Array<ProductEdge>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
};

/** A product and its position in the list. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Opaque position of this product; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The product. */
  node: Product;
};

/**
 * Filters for the product list; all given filters must match. Stock is owned
 * by the inventory subgraph and cannot be filtered on here: ask for
 * `Product.inStock` instead.
 */
export type ProductFilter = {
  /** Only products filed under this category or any of its descendants. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Only products whose list price is at most this amount, in minor units of the product's currency. */
  maxPrice?: InputMaybe<Scalars['Int']['input']>;
  /** Only products whose list price is at least this amount, in minor units of the product's currency. */
  minPrice?: InputMaybe<Scalars['Int']['input']>;
  /** Full-text search over product names (weighted higher) and descriptions, in web search syntax (`"exact phrase"`, `-exclude`, `or`). Null or blank means no search. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only products of this seller. */
  sellerId?: InputMaybe<Scalars['ID']['input']>;
  /** Publication states to list; PUBLISHED when omitted. Other states need a signed-in seller (who sees only their own products) or an admin. */
  statuses?: InputMaybe<Array<ProductStatus>>;
};

/** An image of a product. */
export type ProductImage = {
  __typename?: 'ProductImage';
  /** Text alternative for screen readers and when the image cannot be shown. */
  altText: Scalars['String']['output'];
  /** Opaque image id. */
  id: Scalars['ID']['output'];
  /** Display position, 0 for the main image. */
  position: Scalars['Int']['output'];
  /** Absolute URL of the image file. */
  url: Scalars['String']['output'];
};

/** An image to attach to a product. */
export type ProductImageInput = {
  /** Text alternative for screen readers. */
  altText?: InputMaybe<Scalars['String']['input']>;
  /** Absolute https URL of the image file. */
  url: Scalars['String']['input'];
};

/**
 * Sort orders of the product list. Every order is keyset-paginated: a cursor
 * carries the sort key of its edge and is valid only with the same order.
 */
export type ProductSort =
  /** Most recently added first. The default without a search. */
  | 'NEWEST'
  /** Lowest list price first. */
  | 'PRICE_ASC'
  /** Highest list price first. */
  | 'PRICE_DESC'
  /** Best match first (PostgreSQL ts_rank), newest first among equals. Only with `filter.search`; the default when a search is given. */
  | 'RELEVANCE';

/**
 * Publication state of a product. Only PUBLISHED products are visible to the
 * public; a product's seller and admins also see its drafts and archived state.
 */
export type ProductStatus =
  /** Withdrawn from the catalogue. Hidden from lists and search, but still resolvable as a federation entity so that past orders keep showing it. */
  | 'ARCHIVED'
  /** Being prepared: visible only to its seller and admins. */
  | 'DRAFT'
  /** In the catalogue: visible to everyone. */
  | 'PUBLISHED';

/** Reads of the catalogue. */
export type Query = {
  __typename?: 'Query';
  /** The top-level categories, or the direct subcategories of `parentId`, in display order. */
  categories: Array<Category>;
  /** One category by id or by slug (give exactly one), or null when there is none. */
  category?: Maybe<Category>;
  /** One live sale by id, or null when there is none. */
  liveSale?: Maybe<LiveSale>;
  /** Live sales that are not cancelled, as a Relay connection: UPCOMING and LIVE ones soonest first, ENDED ones most recently ended first, all of them latest start first. */
  liveSales: LiveSaleConnection;
  /** One product by id, or null when there is none the caller may see. */
  product?: Maybe<Product>;
  /** Products in the catalogue as a Relay connection (at most 100 per page). The public sees PUBLISHED products only. */
  products: ProductConnection;
  /** Unit prices in effect now for up to 100 skus, for pricing a cart; unknown skus are left out. Never cached. */
  variantPrices: Array<VariantPrice>;
};


/** Reads of the catalogue. */
export type QueryCategoriesArgs = {
  parentId?: InputMaybe<Scalars['ID']['input']>;
};


/** Reads of the catalogue. */
export type QueryCategoryArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
};


/** Reads of the catalogue. */
export type QueryLiveSaleArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of the catalogue. */
export type QueryLiveSalesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sellerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<LiveSaleStatus>;
};


/** Reads of the catalogue. */
export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of the catalogue. */
export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<ProductSort>;
};


/** Reads of the catalogue. */
export type QueryVariantPricesArgs = {
  skus: Array<Scalars['ID']['input']>;
};

/** A live sale to schedule. */
export type ScheduleLiveSaleInput = {
  /** End (ISO 8601 with a time zone, exclusive); after the start, at most 7 days later. */
  endsAt: Scalars['String']['input'];
  /** Optional sale prices per variant sku. */
  prices?: InputMaybe<Array<LiveSalePriceInput>>;
  /** The products on sale (1 to 50): the seller's own, not archived, and in no other live sale that overlaps this one. */
  productIds: Array<Scalars['ID']['input']>;
  /** The seller who runs the sale. Admins only; a seller's own id otherwise. */
  sellerId?: InputMaybe<Scalars['ID']['input']>;
  /** Start (ISO 8601 with a time zone); not in the past, give or take five minutes for a start of "now". */
  startsAt: Scalars['String']['input'];
  /** Title shown to buyers, 1 to 200 characters. */
  title: Scalars['String']['input'];
};

/** Changes to a product; omitted (or null) fields stay as they are. */
export type UpdateProductInput = {
  /** New categories (replace the old ones). */
  categoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** New description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** New images in display order (replace the old ones). */
  images?: InputMaybe<Array<ProductImageInput>>;
  /** New display name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New list price, in the product's currency. */
  price?: InputMaybe<MoneyInput>;
  /** New slug. */
  slug?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a variant; omitted (or null) fields stay as they are. The sku never changes. */
export type UpdateVariantInput = {
  /** New display name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New option values (replace the old ones); the name stays as it is unless given too. */
  options?: InputMaybe<Array<VariantOptionInput>>;
  /** New price, in the product's currency. */
  price?: InputMaybe<MoneyInput>;
};

/** A user account, owned by the accounts subgraph; referenced here as a seller. */
export type User = {
  __typename?: 'User';
  /** Opaque user id. */
  id: Scalars['ID']['output'];
};

/** A purchasable variant of a product, identified by its stock-keeping unit. */
export type Variant = {
  __typename?: 'Variant';
  /** The price a buyer pays now: the sale price while a live sale is LIVE, the normal price otherwise. Cached only until the sale starts or ends. */
  effectivePrice: Money;
  /** Variant name, e.g. `Size 42 / Blue`. */
  name: Scalars['String']['output'];
  /** The option values that set this variant apart, e.g. Size 42 and Colour Blue. */
  options: Array<VariantOption>;
  /** Normal price of this variant. */
  price: Money;
  /** The product this variant belongs to. */
  product: Product;
  /** Price of this variant in the product's current or next live sale; null when that sale does not discount it (or there is none). */
  salePrice?: Maybe<Money>;
  /** Stock-keeping unit: the variant's unique id. */
  sku: Scalars['ID']['output'];
};

/** A new variant. */
export type VariantInput = {
  /** Display name; when omitted, built from the option values (e.g. `42 / Blue`). */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Option values that set this variant apart. */
  options?: InputMaybe<Array<VariantOptionInput>>;
  /** Price of the variant, in the product's currency; the product's list price when omitted. */
  price?: InputMaybe<MoneyInput>;
  /** Stock-keeping unit, unique across the catalogue: letters, digits, `.`, `_` or `-`, at most 64 characters. It never changes once created. */
  sku: Scalars['ID']['input'];
};

/** One option value of a variant, such as Size 42 or Colour Blue. */
export type VariantOption = {
  __typename?: 'VariantOption';
  /** Option name, e.g. `Size` or `Colour`. */
  name: Scalars['String']['output'];
  /** Option value, e.g. `42` or `Blue`. */
  value: Scalars['String']['output'];
};

/** One option value of a variant. */
export type VariantOptionInput = {
  /** Option name, e.g. `Size` (unique within the variant). */
  name: Scalars['String']['input'];
  /** Option value, e.g. `42`. */
  value: Scalars['String']['input'];
};

/**
 * The unit price of a variant in effect now, for pricing a cart (the orders
 * saga calls this). Never cached: a live sale may start or end at any moment.
 */
export type VariantPrice = {
  __typename?: 'VariantPrice';
  /** The variant's normal price. */
  listPrice: Money;
  /** The live sale whose price is in effect, or null. */
  liveSaleId?: Maybe<Scalars['ID']['output']>;
  /**
   * When the unit price next changes by the live-sale schedule (ISO 8601, UTC):
   * the start of the sale whose price is not yet in effect, or the end of the
   * one that is. Null when no change is scheduled. A seller editing the price or
   * the sale changes it sooner; a caller that keeps prices keeps them briefly.
   */
  priceChangesAt?: Maybe<Scalars['String']['output']>;
  /** Id of the variant's product. */
  productId: Scalars['ID']['output'];
  /** True when the product is PUBLISHED; only then may it be sold. */
  published: Scalars['Boolean']['output'];
  /** Id of the seller of the product. */
  sellerId: Scalars['ID']['output'];
  /** Sku of the variant. */
  sku: Scalars['ID']['output'];
  /** The price a buyer pays now: the live sale price while a sale is LIVE, the normal price otherwise. */
  unitPrice: Money;
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
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Variant:
    ( { __typename: 'Variant' }
    & GraphQLRecursivePick<FederationTypes['Variant'], {"sku":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CacheControlScope: CacheControlScope;
  Category: ResolverTypeWrapper<CategoryModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CreateCategoryInput: CreateCategoryInput;
  CreateProductInput: CreateProductInput;
  LiveSale: ResolverTypeWrapper<LiveSaleModel>;
  LiveSaleConnection: ResolverTypeWrapper<Omit<LiveSaleConnection, 'edges'> & { edges: Array<ResolversTypes['LiveSaleEdge']> }>;
  LiveSaleEdge: ResolverTypeWrapper<Omit<LiveSaleEdge, 'node'> & { node: ResolversTypes['LiveSale'] }>;
  LiveSalePrice: ResolverTypeWrapper<LiveSalePriceModel>;
  LiveSalePriceInput: LiveSalePriceInput;
  LiveSaleStatus: LiveSaleStatus;
  Money: ResolverTypeWrapper<Money>;
  MoneyInput: MoneyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductModel>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'edges'> & { edges: Array<ResolversTypes['ProductEdge']> }>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  ProductFilter: ProductFilter;
  ProductImage: ResolverTypeWrapper<ProductImageModel>;
  ProductImageInput: ProductImageInput;
  ProductSort: ProductSort;
  ProductStatus: ProductStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ScheduleLiveSaleInput: ScheduleLiveSaleInput;
  UpdateProductInput: UpdateProductInput;
  UpdateVariantInput: UpdateVariantInput;
  User: ResolverTypeWrapper<{ id: string }>;
  Variant: ResolverTypeWrapper<VariantModel>;
  VariantInput: VariantInput;
  VariantOption: ResolverTypeWrapper<VariantOption>;
  VariantOptionInput: VariantOptionInput;
  VariantPrice: ResolverTypeWrapper<VariantPriceModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Category: CategoryModel;
  ID: Scalars['ID']['output'];
  CreateCategoryInput: CreateCategoryInput;
  CreateProductInput: CreateProductInput;
  LiveSale: LiveSaleModel;
  LiveSaleConnection: Omit<LiveSaleConnection, 'edges'> & { edges: Array<ResolversParentTypes['LiveSaleEdge']> };
  LiveSaleEdge: Omit<LiveSaleEdge, 'node'> & { node: ResolversParentTypes['LiveSale'] };
  LiveSalePrice: LiveSalePriceModel;
  LiveSalePriceInput: LiveSalePriceInput;
  Money: Money;
  MoneyInput: MoneyInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: ProductModel;
  ProductConnection: Omit<ProductConnection, 'edges'> & { edges: Array<ResolversParentTypes['ProductEdge']> };
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  ProductFilter: ProductFilter;
  ProductImage: ProductImageModel;
  ProductImageInput: ProductImageInput;
  Query: Record<PropertyKey, never>;
  ScheduleLiveSaleInput: ScheduleLiveSaleInput;
  UpdateProductInput: UpdateProductInput;
  UpdateVariantInput: UpdateVariantInput;
  User: { id: string };
  Variant: VariantModel;
  VariantInput: VariantInput;
  VariantOption: VariantOption;
  VariantOptionInput: VariantOptionInput;
  VariantPrice: VariantPriceModel;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
};

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

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

export type CategoryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category']> = {
  children?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LiveSaleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LiveSale'] = ResolversParentTypes['LiveSale']> = {
  cancelledAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  endsAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prices?: Resolver<Array<ResolversTypes['LiveSalePrice']>, ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  seller?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['LiveSaleStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LiveSaleConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LiveSaleConnection'] = ResolversParentTypes['LiveSaleConnection']> = {
  edges?: Resolver<Array<ResolversTypes['LiveSaleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type LiveSaleEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LiveSaleEdge'] = ResolversParentTypes['LiveSaleEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['LiveSale'], ParentType, ContextType>;
};

export type LiveSalePriceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LiveSalePrice'] = ResolversParentTypes['LiveSalePrice']> = {
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addVariant?: Resolver<ResolversTypes['Variant'], ParentType, ContextType, RequireFields<MutationAddVariantArgs, 'input' | 'productId'>>;
  archiveProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationArchiveProductArgs, 'id'>>;
  cancelLiveSale?: Resolver<ResolversTypes['LiveSale'], ParentType, ContextType, RequireFields<MutationCancelLiveSaleArgs, 'id'>>;
  createCategory?: Resolver<ResolversTypes['Category'], ParentType, ContextType, RequireFields<MutationCreateCategoryArgs, 'input'>>;
  createProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationCreateProductArgs, 'input'>>;
  publishProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationPublishProductArgs, 'id'>>;
  scheduleLiveSale?: Resolver<ResolversTypes['LiveSale'], ParentType, ContextType, RequireFields<MutationScheduleLiveSaleArgs, 'input'>>;
  updateProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationUpdateProductArgs, 'id' | 'input'>>;
  updateVariant?: Resolver<ResolversTypes['Variant'], ParentType, ContextType, RequireFields<MutationUpdateVariantArgs, 'input' | 'sku'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['ProductImage']>, ParentType, ContextType>;
  liveSale?: Resolver<Maybe<ResolversTypes['LiveSale']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  publishedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seller?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ProductStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  variants?: Resolver<Array<ResolversTypes['Variant']>, ParentType, ContextType>;
};

export type ProductConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type ProductEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
};

export type ProductImageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductImage'] = ResolversParentTypes['ProductImage']> = {
  altText?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType, Partial<QueryCategoriesArgs>>;
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType, Partial<QueryCategoryArgs>>;
  liveSale?: Resolver<Maybe<ResolversTypes['LiveSale']>, ParentType, ContextType, RequireFields<QueryLiveSaleArgs, 'id'>>;
  liveSales?: Resolver<ResolversTypes['LiveSaleConnection'], ParentType, ContextType, RequireFields<QueryLiveSalesArgs, 'first'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
  variantPrices?: Resolver<Array<ResolversTypes['VariantPrice']>, ParentType, ContextType, RequireFields<QueryVariantPricesArgs, 'skus'>>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type VariantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Variant'] = ResolversParentTypes['Variant'], FederationReferenceType extends FederationReferenceTypes['Variant'] = FederationReferenceTypes['Variant']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Variant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  effectivePrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  options?: Resolver<Array<ResolversTypes['VariantOption']>, ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  salePrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type VariantOptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VariantOption'] = ResolversParentTypes['VariantOption']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type VariantPriceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VariantPrice'] = ResolversParentTypes['VariantPrice']> = {
  listPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  liveSaleId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  priceChangesAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  published?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  sellerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Category?: CategoryResolvers<ContextType>;
  LiveSale?: LiveSaleResolvers<ContextType>;
  LiveSaleConnection?: LiveSaleConnectionResolvers<ContextType>;
  LiveSaleEdge?: LiveSaleEdgeResolvers<ContextType>;
  LiveSalePrice?: LiveSalePriceResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  ProductImage?: ProductImageResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  Variant?: VariantResolvers<ContextType>;
  VariantOption?: VariantOptionResolvers<ContextType>;
  VariantPrice?: VariantPriceResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
  composeDirective?: ComposeDirectiveDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
