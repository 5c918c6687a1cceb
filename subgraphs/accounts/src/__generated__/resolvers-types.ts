import type { GraphQLResolveInfo } from 'graphql';
import type { User as UserModel } from '../user/user.entity.ts';
import type { Address as AddressModel } from '../address/address.entity.ts';
import type { ApiClient as ApiClientModel } from '../api-client/api-client.entity.ts';
import type { AuthPayload as AuthPayloadModel } from '../auth/auth.service.ts';
import type { SigningKeyInfo as SigningKeyInfoModel } from '../signing-key/signing-key.service.ts';
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

/** A postal address in a user's address book. */
export type Address = {
  __typename?: 'Address';
  /** City or town. */
  city: Scalars['String']['output'];
  /** ISO 3166-1 alpha-2 country code, e.g. US. */
  country: Scalars['String']['output'];
  /** Name of the recipient. */
  fullName: Scalars['String']['output'];
  /** Opaque address id. */
  id: Scalars['ID']['output'];
  /** True for the one address used by default; the first address added is the default. */
  isDefault: Scalars['Boolean']['output'];
  /** Street and number. */
  line1: Scalars['String']['output'];
  /** Apartment, suite, floor; null when not given. */
  line2?: Maybe<Scalars['String']['output']>;
  /** Postal or ZIP code. */
  postalCode: Scalars['String']['output'];
  /** State, province or region; null when not given. */
  region?: Maybe<Scalars['String']['output']>;
};

/** A new address for the viewer's address book. */
export type AddressInput = {
  /** City or town. */
  city: Scalars['String']['input'];
  /** ISO 3166-1 alpha-2 country code, e.g. US. */
  country: Scalars['String']['input'];
  /** Name of the recipient. */
  fullName: Scalars['String']['input'];
  /** Make this the default address (the first address always is). */
  isDefault?: InputMaybe<Scalars['Boolean']['input']>;
  /** Street and number. */
  line1: Scalars['String']['input'];
  /** Apartment, suite, floor. */
  line2?: InputMaybe<Scalars['String']['input']>;
  /** Postal or ZIP code. */
  postalCode: Scalars['String']['input'];
  /** State, province or region. */
  region?: InputMaybe<Scalars['String']['input']>;
};

/**
 * A partner's API key, as admins see it: who it is for and which persisted
 * operations it may run. The key itself is shown once, when it is created;
 * only a hash of it is stored.
 */
export type ApiClient = {
  __typename?: 'ApiClient';
  /**
   * Names of the persisted-query manifest operations the key may run (e.g.
   * StockLevels, ProductList). With this key, the gateway runs only these
   * operations, by persisted-query id.
   */
  allowedOperations: Array<Scalars['String']['output']>;
  /** When the client was created (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Opaque API client id. */
  id: Scalars['ID']['output'];
  /** The key's first 8 characters, to tell keys apart; the rest is never shown again. */
  keyPrefix: Scalars['String']['output'];
  /** Who the key is for, e.g. the partner's name. */
  name: Scalars['String']['output'];
  /** When the key was revoked (ISO 8601); null while it works. */
  revokedAt?: Maybe<Scalars['String']['output']>;
};

/**
 * A signed-in session: a short-lived access token for the gateway, and a
 * refresh token that gets the next one.
 */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** JWT for `Authorization: Bearer <token>`; EdDSA-signed, valid 15 minutes, keys at /.well-known/jwks.json. */
  accessToken: Scalars['String']['output'];
  /** When the access token expires (ISO 8601). */
  accessTokenExpiresAt: Scalars['String']['output'];
  /**
   * Opaque single-use token: pass it to `refreshSession` to get a new access
   * token and a new refresh token. Reusing a spent one signs the session out.
   */
  refreshToken: Scalars['String']['output'];
  /** The signed-in user. */
  user: User;
};

/** Who may store a cached response. */
export type CacheControlScope =
  /** Only the caller's own client: the value depends on who is asking. */
  | 'PRIVATE'
  /** Any cache, shared ones (the CDN) included: the value is the same for every caller. */
  | 'PUBLIC';

/** Details of a new partner API client. */
export type CreateApiClientInput = {
  /**
   * Names of the persisted-query manifest operations the key may run, e.g.
   * ProductList: 1 to 100 GraphQL operation names (letters, digits and `_`,
   * not starting with a digit). A name given twice is kept once.
   */
  allowedOperations: Array<Scalars['String']['input']>;
  /** Who the key is for, e.g. the partner's name: not empty, at most 100 characters. */
  name: Scalars['String']['input'];
};

/**
 * A new partner API client with its key. This is the only time the key is
 * returned: it is not stored, so it cannot be shown again.
 */
export type CreatedApiClient = {
  __typename?: 'CreatedApiClient';
  /** The new client. */
  apiClient: ApiClient;
  /** The key, for the partner's `x-api-key` header (`pk_` and 43 characters). Hand it over now: it cannot be retrieved later. */
  apiKey: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds an address to the viewer's address book (at most 20). Requires a signed-in user. */
  addAddress: Address;
  /**
   * Admins only: creates a partner API client and returns its key, once.
   * BAD_USER_INPUT (with `extensions.field`) for an empty name, an empty
   * operation list or a name that is not a GraphQL operation name.
   */
  createApiClient: CreatedApiClient;
  /**
   * Trades a refresh token for a new access token and a new refresh token;
   * the presented one is spent. UNAUTHENTICATED when it is unknown, expired,
   * revoked or already spent (a spent one also signs its session out).
   */
  refreshSession: AuthPayload;
  /**
   * Admins only: stops publishing a key; tokens it signed stop verifying. Retire
   * a key once its tokens have expired (15 minutes after a rotation). The key
   * that signs now cannot be retired.
   */
  retireSigningKey: SigningKey;
  /**
   * Admins only: revokes a partner's key: from now on it is refused. Revoking
   * again changes nothing (the first revocation date stays). NOT_FOUND for an
   * unknown id.
   */
  revokeApiClient: ApiClient;
  /**
   * Admins only: creates a new signing key that signs every access token from
   * now on. Older keys stay published, so tokens they signed keep verifying.
   */
  rotateSigningKey: SigningKey;
  /** Makes one of the viewer's addresses the default. NOT_FOUND when it is not in their address book. */
  setDefaultAddress: Address;
  /** Admins only: changes a user's role (not their own); new access tokens carry it. */
  setUserRole: User;
  /**
   * Signs in with email and password. Any failure is UNAUTHENTICATED with the
   * message "Invalid email or password."; too many attempts (per account or
   * per client address) give RATE_LIMITED with `extensions.retryAfter` in seconds.
   */
  signIn: AuthPayload;
  /** Signs the session out: its refresh tokens stop working. False when the token is unknown. */
  signOut: Scalars['Boolean']['output'];
  /**
   * Creates a CUSTOMER account and signs it in. BAD_USER_INPUT (with
   * `extensions.field`) for a malformed email, a password shorter than 8
   * characters or an empty name; CONFLICT when the email is taken.
   */
  signUp: AuthPayload;
};


export type MutationAddAddressArgs = {
  input: AddressInput;
};


export type MutationCreateApiClientArgs = {
  input: CreateApiClientInput;
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRetireSigningKeyArgs = {
  kid: Scalars['ID']['input'];
};


export type MutationRevokeApiClientArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetDefaultAddressArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetUserRoleArgs = {
  role: Role;
  userId: Scalars['ID']['input'];
};


export type MutationSignInArgs = {
  input: SignInInput;
};


export type MutationSignOutArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationSignUpArgs = {
  input: SignUpInput;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Internal (SERVICE only): the API client a partner key belongs to, or null
   * when the key is unknown or revoked. The gateway calls this subgraph directly
   * with a SERVICE identity; the field is not part of the public API.
   */
  apiClientByKey?: Maybe<ApiClient>;
  /** Admins only: every partner API client, newest first, revoked ones included. */
  apiClients: Array<ApiClient>;
  /** The signed-in user; null for an anonymous caller. */
  me?: Maybe<User>;
  /** Admins only: every access-token signing key, newest first, retired ones included. */
  signingKeys: Array<SigningKey>;
  /** Admins only: any user by id, or null when there is none. */
  user?: Maybe<User>;
};


export type QueryApiClientByKeyArgs = {
  key: Scalars['String']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};

/** What a user may do on the platform. */
export type Role =
  /** Manages users, roles, signing keys and partner API clients. */
  | 'ADMIN'
  /** Buys products; every new account starts as a customer. */
  | 'CUSTOMER'
  /** Sells products and restocks their variants. */
  | 'SELLER';

/** Credentials of an existing account. */
export type SignInInput = {
  /** Email address of the account. */
  email: Scalars['String']['input'];
  /** The account's password. */
  password: Scalars['String']['input'];
};

/** Details of a new account. */
export type SignUpInput = {
  /** Email address to sign in with; must not belong to another account. */
  email: Scalars['String']['input'];
  /** Display name, not empty. */
  name: Scalars['String']['input'];
  /** Password, at least 8 characters. */
  password: Scalars['String']['input'];
};

/**
 * A key that signs (or signed) access tokens. Only the public half is ever
 * published, in the JWKS; the private half never leaves the service.
 */
export type SigningKey = {
  __typename?: 'SigningKey';
  /** JWS algorithm, e.g. EdDSA. */
  algorithm: Scalars['String']['output'];
  /** When the key was created (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Key id, as in the access tokens' `kid` header and the JWKS. */
  kid: Scalars['ID']['output'];
  /** When the key was retired (ISO 8601); null while it is published. */
  retiredAt?: Maybe<Scalars['String']['output']>;
  /** True for the key that signs new access tokens (the newest key that is not retired). */
  signing: Scalars['Boolean']['output'];
};

/**
 * A user account: a customer, a seller or an admin. Owned by this subgraph;
 * other subgraphs reference it by id (products as a seller, orders adds
 * `orders`). `id`, `name` and `role` are public; `email` and `addresses` are
 * private to the user and ADMINs. A user's public fields may be cached for 5
 * minutes (a seller's name on a product page); a response with `email` or
 * `addresses` is private, and so is anything asked through `me` or `user`.
 */
export type User = {
  __typename?: 'User';
  /**
   * The user's address book, in the order the addresses were added. Visible
   * only to the user themself and to ADMINs; for anyone else the field is null
   * with a FORBIDDEN error (the rest of the user still resolves).
   */
  addresses?: Maybe<Array<Address>>;
  /**
   * Sign-in email, trimmed and lower-cased. Visible only to the user themself
   * and to ADMINs; null for everyone else (no error, so public pages that ask
   * for it still render).
   */
  email?: Maybe<Scalars['String']['output']>;
  /** Opaque user id. */
  id: Scalars['ID']['output'];
  /** Display name, shown publicly (for example a seller's name on a product page). */
  name: Scalars['String']['output'];
  /** What the user may do on the platform. */
  role: Role;
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
  User: User;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Address: ResolverTypeWrapper<AddressModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AddressInput: AddressInput;
  ApiClient: ResolverTypeWrapper<ApiClientModel>;
  AuthPayload: ResolverTypeWrapper<AuthPayloadModel>;
  CacheControlScope: CacheControlScope;
  CreateApiClientInput: CreateApiClientInput;
  CreatedApiClient: ResolverTypeWrapper<Omit<CreatedApiClient, 'apiClient'> & { apiClient: ResolversTypes['ApiClient'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: Role;
  SignInInput: SignInInput;
  SignUpInput: SignUpInput;
  SigningKey: ResolverTypeWrapper<SigningKeyInfoModel>;
  User: ResolverTypeWrapper<UserModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Address: AddressModel;
  ID: Scalars['ID']['output'];
  AddressInput: AddressInput;
  ApiClient: ApiClientModel;
  AuthPayload: AuthPayloadModel;
  CreateApiClientInput: CreateApiClientInput;
  CreatedApiClient: Omit<CreatedApiClient, 'apiClient'> & { apiClient: ResolversParentTypes['ApiClient'] };
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  SignInInput: SignInInput;
  SignUpInput: SignUpInput;
  SigningKey: SigningKeyInfoModel;
  User: UserModel;
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

export type AddressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Address'] = ResolversParentTypes['Address']> = {
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fullName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  line1?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  line2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ApiClientResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiClient'] = ResolversParentTypes['ApiClient']> = {
  allowedOperations?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keyPrefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AuthPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accessTokenExpiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type CreatedApiClientResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatedApiClient'] = ResolversParentTypes['CreatedApiClient']> = {
  apiClient?: Resolver<ResolversTypes['ApiClient'], ParentType, ContextType>;
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addAddress?: Resolver<ResolversTypes['Address'], ParentType, ContextType, RequireFields<MutationAddAddressArgs, 'input'>>;
  createApiClient?: Resolver<ResolversTypes['CreatedApiClient'], ParentType, ContextType, RequireFields<MutationCreateApiClientArgs, 'input'>>;
  refreshSession?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  retireSigningKey?: Resolver<ResolversTypes['SigningKey'], ParentType, ContextType, RequireFields<MutationRetireSigningKeyArgs, 'kid'>>;
  revokeApiClient?: Resolver<ResolversTypes['ApiClient'], ParentType, ContextType, RequireFields<MutationRevokeApiClientArgs, 'id'>>;
  rotateSigningKey?: Resolver<ResolversTypes['SigningKey'], ParentType, ContextType>;
  setDefaultAddress?: Resolver<ResolversTypes['Address'], ParentType, ContextType, RequireFields<MutationSetDefaultAddressArgs, 'id'>>;
  setUserRole?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationSetUserRoleArgs, 'role' | 'userId'>>;
  signIn?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignInArgs, 'input'>>;
  signOut?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSignOutArgs, 'refreshToken'>>;
  signUp?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignUpArgs, 'input'>>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiClientByKey?: Resolver<Maybe<ResolversTypes['ApiClient']>, ParentType, ContextType, RequireFields<QueryApiClientByKeyArgs, 'key'>>;
  apiClients?: Resolver<Array<ResolversTypes['ApiClient']>, ParentType, ContextType>;
  me?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  signingKeys?: Resolver<Array<ResolversTypes['SigningKey']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
};

export type SigningKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SigningKey'] = ResolversParentTypes['SigningKey']> = {
  algorithm?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kid?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  retiredAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  signing?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  addresses?: Resolver<Maybe<Array<ResolversTypes['Address']>>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Address?: AddressResolvers<ContextType>;
  ApiClient?: ApiClientResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  CreatedApiClient?: CreatedApiClientResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SigningKey?: SigningKeyResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
  composeDirective?: ComposeDirectiveDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
