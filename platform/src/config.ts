import { DEFAULT_CIRCUIT_BREAKER_SETTINGS, type CircuitBreakerSettings } from './circuit-breaker.ts';
import { GATEWAY_SERVICE, generateIdentityKeys, type TrustedCallers } from './identity.ts';

/**
 * Environment parsing shared by every service's `config.ts`.
 *
 * Contract: a service reads process.env exactly once, through these helpers,
 * and gets back a frozen object. Any invalid value throws a ConfigError that
 * names the variable, so the process stops at start with a message a human
 * can act on instead of failing later on first use.
 */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function optionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function stringOr(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function requiredString(env: Env, name: string): string {
  const value = raw(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required but not set');
  return value;
}

export function intOr(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be an integer, got "${value}"`);
  const parsed = Number(value);
  if (range.min !== undefined && parsed < range.min) throw new ConfigError(name, `must be >= ${range.min}, got ${parsed}`);
  if (range.max !== undefined && parsed > range.max) throw new ConfigError(name, `must be <= ${range.max}, got ${parsed}`);
  return parsed;
}

/**
 * The circuit breakers' settings (per subgraph at the gateway, per service in
 * orders), the same variables for both: CIRCUIT_BREAKER_FAILURE_PERCENT,
 * CIRCUIT_BREAKER_WINDOW_MS, CIRCUIT_BREAKER_MIN_RPS, CIRCUIT_BREAKER_HALF_OPEN_MS.
 */
export function readCircuitBreakerSettings(env: Env): CircuitBreakerSettings {
  return Object.freeze({
    failureRatio: intOr(env, 'CIRCUIT_BREAKER_FAILURE_PERCENT', DEFAULT_CIRCUIT_BREAKER_SETTINGS.failureRatio * 100, { min: 1, max: 99 }) / 100,
    windowMs: intOr(env, 'CIRCUIT_BREAKER_WINDOW_MS', DEFAULT_CIRCUIT_BREAKER_SETTINGS.windowMs, { min: 1000, max: 600_000 }),
    minimumRps: intOr(env, 'CIRCUIT_BREAKER_MIN_RPS', DEFAULT_CIRCUIT_BREAKER_SETTINGS.minimumRps, { min: 1, max: 100_000 }),
    halfOpenAfterMs: intOr(env, 'CIRCUIT_BREAKER_HALF_OPEN_MS', DEFAULT_CIRCUIT_BREAKER_SETTINGS.halfOpenAfterMs, { min: 100, max: 600_000 }),
  });
}

/**
 * Where Redis is: REDIS_URL (one server, `redis://` or `rediss://`), or
 * REDIS_CLUSTER_NODES, a comma-separated list of `host:port` seed nodes of a
 * Redis Cluster (any few masters; the client learns the rest), turned into
 * a `redis-cluster://host:port,host:port` URL that connectRedis understands.
 * Undefined when neither is set (the in-process stand-ins).
 */
export function readRedisUrl(env: Env): string | undefined {
  const nodes = raw(env, 'REDIS_CLUSTER_NODES');
  if (nodes === undefined) return urlOrUndefined(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (raw(env, 'REDIS_URL')) throw new ConfigError('REDIS_CLUSTER_NODES', 'and REDIS_URL are both set: set one of them');
  const entries = nodes.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const match = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    if (!match || Number(match[1]) < 1 || Number(match[1]) > 65535) throw new ConfigError('REDIS_CLUSTER_NODES', `must be comma-separated host:port entries, got "${entry}"`);
  }
  if (!entries.length) throw new ConfigError('REDIS_CLUSTER_NODES', 'lists no node');
  return `${REDIS_CLUSTER_PROTOCOL}//${entries.join(',')}`;
}

/** The scheme of a Redis Cluster's seed list in a `redisUrl` (see readRedisUrl). */
export const REDIS_CLUSTER_PROTOCOL = 'redis-cluster:';

export function portOr(env: Env, name: string, fallback: number): number {
  return intOr(env, name, fallback, { min: 0, max: 65535 });
}

export function urlOrUndefined(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use one of ${protocols.join(', ')}, got "${parsed.protocol}"`);
  }
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** A PEM block of the given label; `\n` escapes are accepted so a key fits in one env line. */
export function pemOrUndefined(env: Env, name: string, label: string): string | undefined {
  const value = raw(env, name)?.replace(/\\n/g, '\n');
  if (value === undefined) return undefined;
  if (!value.includes(`-----BEGIN ${label}-----`)) throw new ConfigError(name, `must be a PEM "${label}"`);
  return value;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Which services may call which (least privilege), the trust model in one
 * table. `callers`: whose tokens a subgraph verifies at all (every subgraph
 * the gateway's, which speak for clients). `services`: whose SERVICE
 * identity it accepts; the role SERVICE grants in each subgraph exactly the
 * operations that caller needs and nothing else:
 * - accounts: the gateway's partner-key lookup (`apiClientByKey`);
 * - inventory: the orders saga's reserve, commit, release and restock;
 * - payments: the orders saga's authorize, capture, void and refund;
 * - products: the orders saga's price reads and inventory's seller lookups
 *   (SERVICE sees the price and seller of DRAFT and ARCHIVED products too: a
 *   seller restocks a product before publishing it).
 * A service not listed here accepts the gateway's tokens alone.
 */
export const EXPECTED_CALLERS: Readonly<Record<string, { callers: readonly string[]; services: readonly string[] }>> = {
  accounts: { callers: [GATEWAY_SERVICE], services: [GATEWAY_SERVICE] },
  products: { callers: [GATEWAY_SERVICE, 'orders', 'inventory'], services: ['orders', 'inventory'] },
  orders: { callers: [GATEWAY_SERVICE], services: [] },
  inventory: { callers: [GATEWAY_SERVICE, 'orders'], services: ['orders'] },
  payments: { callers: [GATEWAY_SERVICE, 'orders'], services: ['orders'] },
};

/**
 * The private key a calling service signs its own identity with
 * (`<SERVICE>_IDENTITY_PRIVATE_KEY`). Required in production, where the
 * services it calls refuse unsigned callers; undefined elsewhere when unset.
 */
export function readSigningKey(env: Env, service: string, nodeEnv: ServiceConfig['nodeEnv']): string | undefined {
  const variable = identityKeyVariable(service, 'PRIVATE');
  const key = pemOrUndefined(env, variable, 'PRIVATE KEY');
  if (nodeEnv === 'production' && !key) throw new ConfigError(variable, 'is required when NODE_ENV=production');
  return key;
}

/** `INTERNAL_IDENTITY_<KIND>_KEY` for the gateway (the historical name), `<SERVICE>_IDENTITY_<KIND>_KEY` for the others. */
export function identityKeyVariable(service: string, kind: 'PUBLIC' | 'PRIVATE'): string {
  return service === GATEWAY_SERVICE ? `INTERNAL_IDENTITY_${kind}_KEY` : `${service.toUpperCase()}_IDENTITY_${kind}_KEY`;
}

/** The settings every service shares: where it listens, what it logs, which servers it uses. */
export interface ServiceConfig {
  readonly service: string;
  readonly port: number;
  /** Interface to listen on (HOST): loopback in development, every interface otherwise. */
  readonly host: string;
  /** The metrics port (/metrics, /health, /ready), never served on `port`. */
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** PostgreSQL URL; the service keeps its tables in the schema named after it. */
  readonly databaseUrl: string;
  readonly databaseSchema: string;
  readonly databasePoolSize: number;
  /** Redis URL (`redis-cluster://` for REDIS_CLUSTER_NODES), or undefined for the single-replica in-process stand-ins. */
  readonly redisUrl: string | undefined;
  /** PEM public key of the gateway's internal identity tokens; without it every caller is anonymous. */
  readonly identityPublicKey: string | undefined;
  /** Public keys of the services this one accepts calls from, and the service identities it accepts (EXPECTED_CALLERS). */
  readonly identityCallers: TrustedCallers;
  /** Apply pending migrations when the process starts (the default; MIGRATE_ON_START=false when a release job migrates). */
  readonly migrateOnStart: boolean;
  /** Seed the service's demo data when it is missing (SEED_DEMO_DATA=true; only the embedded stack sets it by default). */
  readonly seedDemoData: boolean;
}

const PG_PROTOCOLS = ['postgres:', 'postgresql:'] as const;

/** Default metrics port of each process (METRICS_PORT overrides it): the public port's last digit, in the 9000s. */
export const DEFAULT_METRICS_PORTS: Readonly<Record<string, number>> = Object.freeze({
  gateway: 9000,
  accounts: 9001,
  products: 9002,
  orders: 9003,
  inventory: 9004,
  payments: 9005,
});

/** METRICS_PORT, or the service's default (9000 gateway, 9001-9005 subgraphs). */
export function metricsPortOf(env: Env, service: string): number {
  return portOr(env, 'METRICS_PORT', DEFAULT_METRICS_PORTS[service] ?? 9000);
}

/**
 * Reads the shared settings of a subgraph: `<SERVICE>_DATABASE_URL` overrides
 * `DATABASE_URL`; `<SERVICE>_PORT` overrides `PORT`.
 */
export function readServiceConfig(env: Env, service: string, defaultPort: number): ServiceConfig {
  const prefix = service.toUpperCase();
  const databaseVar = raw(env, `${prefix}_DATABASE_URL`) ? `${prefix}_DATABASE_URL` : 'DATABASE_URL';
  const databaseUrl = urlOrUndefined(env, databaseVar, PG_PROTOCOLS);
  if (!databaseUrl) throw new ConfigError('DATABASE_URL', `(or ${prefix}_DATABASE_URL) is required but not set`);
  const portVar = raw(env, `${prefix}_PORT`) ? `${prefix}_PORT` : 'PORT';
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const identityPublicKey = pemOrUndefined(env, 'INTERNAL_IDENTITY_PUBLIC_KEY', 'PUBLIC KEY');
  // In production a subgraph without the gateway's key would silently treat
  // every caller as anonymous; refuse to start instead.
  if (nodeEnv === 'production' && !identityPublicKey) throw new ConfigError('INTERNAL_IDENTITY_PUBLIC_KEY', 'is required when NODE_ENV=production');
  const expected = EXPECTED_CALLERS[service] ?? { callers: [GATEWAY_SERVICE], services: [] };
  const keys: Record<string, string | undefined> = {};
  for (const caller of expected.callers) {
    keys[caller] = caller === GATEWAY_SERVICE ? identityPublicKey : pemOrUndefined(env, identityKeyVariable(caller, 'PUBLIC'), 'PUBLIC KEY');
  }
  const identityCallers: TrustedCallers = Object.freeze({ keys: Object.freeze(keys), services: expected.services });
  return Object.freeze({
    service,
    port: portOr(env, portVar, defaultPort),
    metricsPort: metricsPortOf(env, service),
    // A subgraph is reached through the gateway: in development it listens on
    // loopback only; a deployment (containers, several hosts) sets HOST.
    host: stringOr(env, 'HOST', nodeEnv === 'development' ? '127.0.0.1' : '0.0.0.0'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    nodeEnv,
    databaseUrl,
    databaseSchema: stringOr(env, `${prefix}_DATABASE_SCHEMA`, service),
    databasePoolSize: intOr(env, 'DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    redisUrl: readRedisUrl(env),
    identityPublicKey,
    identityCallers,
    migrateOnStart: oneOf(env, 'MIGRATE_ON_START', ['true', 'false'] as const, 'true') === 'true',
    seedDemoData: oneOf(env, 'SEED_DEMO_DATA', ['true', 'false'] as const, 'false') === 'true',
  });
}

/** Every service that signs identity tokens: the gateway, and each subgraph that calls another. */
export const SIGNING_SERVICES: readonly string[] = [...new Set(Object.values(EXPECTED_CALLERS).flatMap((entry) => entry.callers))];

/**
 * A fresh key pair per signing service, as environment variables for a whole
 * stack (`npm start`, the test stack): `shared` goes to every process (the
 * public keys), `own[service]` only to that service's process (its private key).
 */
export async function generateServiceIdentityEnv(): Promise<{ shared: Record<string, string>; own: Record<string, Record<string, string>> }> {
  const shared: Record<string, string> = {};
  const own: Record<string, Record<string, string>> = {};
  for (const service of SIGNING_SERVICES) {
    const keys = await generateIdentityKeys();
    shared[identityKeyVariable(service, 'PUBLIC')] = keys.publicKey;
    own[service] = { [identityKeyVariable(service, 'PRIVATE')]: keys.privateKey };
  }
  return { shared, own };
}
