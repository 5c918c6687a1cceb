import { DEFAULT_PURCHASE_ADMISSION, type PurchaseAdmissionLimits } from './plugins/purchase-admission.ts';
import {
  ConfigError,
  DEFAULT_OPERATION_LIMITS,
  type OperationLimits,
  intOr,
  oneOf,

  metricsPortOf,
  pemOrUndefined,
  readCircuitBreakerSettings,
  readRedisUrl,
  type CircuitBreakerSettings,
  portOr,
  stringOr,
  urlOrUndefined,
  type Env,
  type LogLevel,
} from '@shop/platform';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { OPERATION_MODES, type OperationMode } from './persisted-queries.ts';
import { DEFAULT_LIMITS, type SubscriptionLimits } from './subscriptions.ts';
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from './client-address.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.ts';

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** The metrics port (/metrics, /health, /ready): METRICS_PORT, default 9000. Never served on `port`. */
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  /** Gateway processes sharing the public port (GATEWAY_WORKERS: a number or `auto`, one per core; default 1). See platform/src/cluster.ts. */
  readonly workers: number;
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** The composed supergraph file; the gateway reloads it when it changes. */
  readonly supergraphPath: string;
  /** Per-subgraph routing URL overrides from `<NAME>_URL` (e.g. PRODUCTS_URL). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly redisUrl: string | undefined;
  /** Where the accounts service publishes the keys that sign access tokens. */
  readonly jwksUrl: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** PEM private key that signs the internal identity tokens forwarded to subgraphs. */
  readonly identityPrivateKey: string | undefined;
  /** Identical queries in flight at once share one execution (`INFLIGHT_DEDUP`, on by default). */
  readonly inflightDedup: boolean;
  /** Public answers are kept in Redis for their max-age, invalidated by stock and mutation events (`RESPONSE_CACHE`, on by default). */
  readonly responseCache: boolean;
  /** `lean` (default): this gateway's executor of the query plans; `stock`: @apollo/gateway's own. */
  readonly executor: 'lean' | 'stock';
  /** Milliseconds a subgraph fetch may take before the gateway gives up on it. */
  readonly subgraphTimeoutMs: number;
  /** When a subgraph's circuit opens and for how long (CIRCUIT_BREAKER_*, see readCircuitBreakerSettings). */
  readonly circuitBreaker: CircuitBreakerSettings;
  readonly introspection: boolean;
  /** The GraphiQL explorer for browsers at GET /graphql; it reads its docs by introspection. */
  readonly explorer: boolean;
  /** Apollo persisted-query manifest (trusted documents). */
  readonly persistedQueriesPath: string;
  /** Which operations first-party clients may run: anything, anything but log unknown ones, or manifest only. */
  readonly operationMode: OperationMode;
  /** Depth, alias, cost and token limits of one operation. */
  readonly operationLimits: Readonly<OperationLimits>;
  /** Proxies whose X-Forwarded-For / Forwarded entries are believed (TRUSTED_PROXIES). */
  readonly trustedProxies: readonly string[];
  /** Per-client request limits (partner key, user, else address), sliding one-minute windows. */
  readonly rateLimits: Readonly<RateLimits>;
  /** Purchase mutations one gateway process runs at once; more are refused at once, retryable (PURCHASE_MAX_IN_FLIGHT, PURCHASE_RETRY_AFTER_SECONDS). */
  readonly purchaseAdmission: Readonly<PurchaseAdmissionLimits>;
  /** Subscription limits: per connection, per client, per-client queue, coalescing window, keep-alive. */
  readonly subscriptions: Readonly<SubscriptionLimits>;
}

const SUBGRAPHS = ['accounts', 'products', 'orders', 'inventory', 'payments'] as const;
const BOOL = ['true', 'false'] as const;

/** The only place the gateway reads its environment. */
export function readConfig(env: Env): GatewayConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const identityPrivateKey = pemOrUndefined(env, 'INTERNAL_IDENTITY_PRIVATE_KEY', 'PRIVATE KEY');
  if (nodeEnv === 'production' && !identityPrivateKey) {
    throw new ConfigError('INTERNAL_IDENTITY_PRIVATE_KEY', 'is required when NODE_ENV=production');
  }
  const introspection = oneOf(env, 'ENABLE_INTROSPECTION', BOOL, nodeEnv === 'production' ? 'false' : 'true') === 'true';
  // The explorer follows introspection unless told otherwise; without introspection it would have no docs.
  const explorer = oneOf(env, 'ENABLE_EXPLORER', BOOL, introspection ? 'true' : 'false') === 'true';
  if (explorer && !introspection) throw new ConfigError('ENABLE_EXPLORER', 'needs ENABLE_INTROSPECTION=true: the explorer reads its docs by introspection');
  const trustedProxies = stringOr(env, 'TRUSTED_PROXIES', DEFAULT_TRUSTED_PROXIES.join(','))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    parseTrustedProxies(trustedProxies);
  } catch (error) {
    throw new ConfigError('TRUSTED_PROXIES', `must be comma-separated CIDRs: ${(error as Error).message}`);
  }
  const redisUrl = readRedisUrl(env);
  const workers = readWorkers(env);
  // Without Redis, APQ, rate limits and subscription slots live in each process: N workers would each allow the limit.
  if (workers > 1 && !redisUrl) throw new ConfigError('GATEWAY_WORKERS', 'above 1 needs REDIS_URL or REDIS_CLUSTER_NODES: the in-process stores serve one process');
  const subgraphUrls: Record<string, string> = {};
  for (const name of SUBGRAPHS) {
    const url = urlOrUndefined(env, `${name.toUpperCase()}_URL`, ['http:', 'https:']);
    if (url) subgraphUrls[name] = url;
  }
  return Object.freeze({
    port: portOr(env, 'PORT', 4000),
    metricsPort: metricsPortOf(env, 'gateway'),
    host: stringOr(env, 'HOST', '0.0.0.0'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    workers,
    nodeEnv,
    supergraphPath: resolve(stringOr(env, 'SUPERGRAPH_PATH', new URL('../../schema/supergraph.graphql', import.meta.url).pathname)),
    subgraphUrls: Object.freeze(subgraphUrls),
    redisUrl,
    jwksUrl: urlOrUndefined(env, 'JWKS_URL', ['http:', 'https:']) ?? `${(subgraphUrls.accounts ?? 'http://localhost:4001/graphql').replace(/\/graphql$/, '')}/.well-known/jwks.json`,
    jwtIssuer: stringOr(env, 'JWT_ISSUER', 'https://accounts.shop.local'),
    jwtAudience: stringOr(env, 'JWT_AUDIENCE', 'shop-gateway'),
    identityPrivateKey,
    inflightDedup: oneOf(env, 'INFLIGHT_DEDUP', ['on', 'off'] as const, 'on') === 'on',
    responseCache: oneOf(env, 'RESPONSE_CACHE', ['on', 'off'] as const, 'on') === 'on',
    executor: oneOf(env, 'GATEWAY_EXECUTOR', ['lean', 'stock'] as const, 'lean'),
    subgraphTimeoutMs: intOr(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    circuitBreaker: readCircuitBreakerSettings(env),
    // Introspection (and with it the explorer) is on in development and off in
    // production unless ENABLE_INTROSPECTION=true says otherwise.
    introspection,
    explorer,
    persistedQueriesPath: resolve(stringOr(env, 'PERSISTED_QUERIES_PATH', new URL('../../schema/persisted-queries.json', import.meta.url).pathname)),
    operationMode: oneOf(env, 'OPERATION_MODE', OPERATION_MODES, nodeEnv === 'production' ? 'log-unknown' : 'allow-all'),
    operationLimits: Object.freeze({
      maxDepth: intOr(env, 'MAX_QUERY_DEPTH', DEFAULT_OPERATION_LIMITS.maxDepth, { min: 1, max: 100 }),
      maxAliases: intOr(env, 'MAX_QUERY_ALIASES', DEFAULT_OPERATION_LIMITS.maxAliases, { min: 0, max: 1000 }),
      maxDirectives: intOr(env, 'MAX_QUERY_DIRECTIVES', DEFAULT_OPERATION_LIMITS.maxDirectives, { min: 0, max: 1000 }),
      maxIntrospectionDepth: intOr(env, 'MAX_INTROSPECTION_DEPTH', DEFAULT_OPERATION_LIMITS.maxIntrospectionDepth, { min: 1, max: 100 }),
      maxCost: intOr(env, 'MAX_QUERY_COST', DEFAULT_OPERATION_LIMITS.maxCost, { min: 1, max: 10_000_000 }),
      maxTokens: intOr(env, 'MAX_QUERY_TOKENS', DEFAULT_OPERATION_LIMITS.maxTokens, { min: 100, max: 1_000_000 }),
    }),
    trustedProxies: Object.freeze(trustedProxies),
    rateLimits: Object.freeze({
      perClientPerMinute: intOr(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMITS.perClientPerMinute, { min: 1, max: 100_000_000 }),
      anonymousPerMinute: intOr(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', DEFAULT_RATE_LIMITS.anonymousPerMinute, { min: 1, max: 100_000_000 }),
      failedCredentialsPerMinute: intOr(env, 'RATE_LIMIT_FAILED_CREDENTIALS_PER_MINUTE', DEFAULT_RATE_LIMITS.failedCredentialsPerMinute, { min: 1, max: 100_000_000 }),
    }),
    purchaseAdmission: Object.freeze({
      maxInFlight: intOr(env, 'PURCHASE_MAX_IN_FLIGHT', DEFAULT_PURCHASE_ADMISSION.maxInFlight, { min: 1, max: 100_000 }),
      retryAfterSeconds: intOr(env, 'PURCHASE_RETRY_AFTER_SECONDS', DEFAULT_PURCHASE_ADMISSION.retryAfterSeconds, { min: 1, max: 3_600 }),
    }),
    subscriptions: Object.freeze({
      maxPerConnection: intOr(env, 'SUBSCRIPTION_MAX_PER_CONNECTION', DEFAULT_LIMITS.maxPerConnection, { min: 1, max: 1000 }),
      maxConnectionsPerClient: intOr(env, 'SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT', DEFAULT_LIMITS.maxConnectionsPerClient, { min: 1, max: 100_000 }),
      maxConnectionsPerAddress: intOr(env, 'SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS', DEFAULT_LIMITS.maxConnectionsPerAddress, { min: 1, max: 1_000_000 }),
      connectionLeaseMs: intOr(env, 'SUBSCRIPTION_CONNECTION_LEASE_MS', DEFAULT_LIMITS.connectionLeaseMs, { min: 1_000, max: 3_600_000 }),
      maxBufferedBytes: intOr(env, 'SUBSCRIPTION_MAX_BUFFERED_BYTES', DEFAULT_LIMITS.maxBufferedBytes, { min: 1_000, max: 1_000_000_000 }),
      coalesceMs: intOr(env, 'SUBSCRIPTION_COALESCE_MS', DEFAULT_LIMITS.coalesceMs, { min: 0, max: 60_000 }),
      keepAliveMs: intOr(env, 'SUBSCRIPTION_KEEPALIVE_MS', DEFAULT_LIMITS.keepAliveMs, { min: 100, max: 600_000 }),
    }),
  });
}


/** GATEWAY_WORKERS: 1 to 64, or `auto` for one per core the process may use (os.availableParallelism). */
function readWorkers(env: Env): number {
  if (env.GATEWAY_WORKERS?.trim() === 'auto') return availableParallelism();
  return intOr(env, 'GATEWAY_WORKERS', 1, { min: 1, max: 64 });
}
