import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GATEWAY_SPEC, NODE_ARGS, ROOT, SUBGRAPH_SPECS, waitUntilReady, type ServiceSpec } from '../stack/services.ts';
import { Redis } from 'ioredis';
import { GATEWAY_SERVICE } from '../identity.ts';
import { generateServiceIdentityEnv } from '../config.ts';
import { dropSchema, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSchemaName } from './database.ts';

/**
 * Ports below the kernel's ephemeral range (32768-60999 on Linux): a port
 * from that range can be taken by any outgoing connection (to PostgreSQL,
 * Redis, another service) between the moment it is picked and the moment a
 * child process listens on it, and a pooled connection keeps it taken (CI saw
 * EADDRINUSE on every restart of a replica). Below the range only listeners
 * compete, and each candidate is checked by listening on it.
 */
const PORT_RANGE = { from: 20_000, to: 32_000 };
const handedOut = new Set<number>();

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A TCP port no one listens on, outside the ephemeral range, not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (handedOut.has(port)) continue;
    if ((await canListen(port, '0.0.0.0')) && (await canListen(port, '127.0.0.1'))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${PORT_RANGE.from} and ${PORT_RANGE.to} after 200 tries`);
}

/** One real service process, for end-to-end tests: start, kill -9, start again. */
export class ServiceProcess {
  readonly spec: ServiceSpec;
  readonly env: NodeJS.ProcessEnv;
  child: ChildProcess | undefined;
  output = '';
  constructor(spec: ServiceSpec, env: NodeJS.ProcessEnv) {
    this.spec = spec;
    this.env = env;
  }
  get url(): string {
    return `http://127.0.0.1:${this.spec.port}/graphql`;
  }
  /** The metrics port of the running process (a free port picked at each start). */
  metricsPort = 0;
  /** Base URL of the metrics port: /metrics, /health, /ready. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}`;
  }
  async start(timeoutMs = 180_000): Promise<void> {
    this.metricsPort = await freePort();
    const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, this.spec.entry)], {
      cwd: ROOT,
      env: { ...this.env, PORT: String(this.spec.port), METRICS_PORT: String(this.metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    try {
      await waitUntilReady(`${this.metricsUrl}/ready`, timeoutMs, () => child.exitCode === null);
    } catch (error) {
      throw new Error(`${this.spec.name} did not start: ${(error as Error).message}\n${this.output}`);
    }
  }
  /** Stops the process: SIGTERM for a graceful stop, SIGKILL to simulate a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/**
 * Each stack gets an empty Redis database of its own (1 to 15; database 0 is
 * left to the integration tests), so caches, rate-limit counters and event
 * streams of one stack never leak into another. A database is claimed with
 * an owner key (checked, flushed and set in one script) and released when
 * the stack stops, so two stacks running at once on one Redis (two test runs
 * or benchmarks on a shared machine) never get the same one: a lingering
 * process of one would otherwise consume the other's event streams under the
 * same group names. An owner key lapses after an hour (a run killed before
 * it could release). Pub/sub channels are server-wide, which is fine while
 * test files run one at a time.
 */
const OWNER_KEY = '__test_stack_owner';
const CLAIM = `if redis.call('exists', KEYS[1]) == 1 then return 0 end
redis.call('flushdb')
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export async function claimRedisDatabase(): Promise<{ url: string; release(): Promise<void> }> {
  const owner = `${process.pid}-${randomUUID()}`;
  const databases = Array.from({ length: 15 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  for (const db of databases) {
    const url = new URL(TEST_REDIS_URL);
    url.pathname = `/${db}`;
    const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      if ((await redis.eval(CLAIM, 1, OWNER_KEY, owner, 3600)) !== 1) continue;
    } finally {
      redis.disconnect();
    }
    return {
      url: url.toString(),
      async release() {
        const conn = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await conn.connect();
          await conn.eval(RELEASE, 1, OWNER_KEY, owner);
        } catch {
          // The claim lapses by itself within the hour.
        } finally {
          conn.disconnect();
        }
      },
    };
  }
  throw new Error(`every Redis database 1-15 at ${TEST_REDIS_URL} is claimed by another test stack (key ${OWNER_KEY}); stop the other runs or wait for their claims to lapse`);
}

export interface TestStack {
  gateway: ServiceProcess;
  subgraphs: Record<string, ServiceProcess>;
  /** The PostgreSQL schema of each subgraph (for assertions straight on the data). */
  schemas: Record<string, string>;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the five subgraphs and the gateway as real processes on free ports,
 * against the test PostgreSQL (a fresh schema per service) and Redis, with the
 * demo data seeded. `stop()` ends them and drops the schemas.
 */
export interface TestStackOptions {
  startTimeoutMs?: number;
  /** Where the other processes reach a subgraph, from its own URL (a test puts a fault proxy in between); the URL itself by default. */
  subgraphUrl?: (service: string, url: string) => string | Promise<string>;
}

export async function startTestStack(extraEnv: NodeJS.ProcessEnv = {}, options: TestStackOptions = {}): Promise<TestStack> {
  // Ports are picked free but only bound later, by the child: another process
  // on the machine may take one in between. Start again on fresh ports then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestStackOnce(extraEnv, options);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

/**
 * The environment every process of a test stack gets: test PostgreSQL, a
 * fresh Redis database, demo data, and limits opened up for load from one
 * address. Service identities and URLs are added by the caller.
 */
export async function testStackEnv(extraEnv: NodeJS.ProcessEnv = {}, redisUrl?: string): Promise<NodeJS.ProcessEnv> {
  redisUrl ??= (await claimRedisDatabase()).url;
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: redisUrl,
    SEED_DEMO_DATA: 'true',
    DATABASE_POOL_SIZE: '4',
    // The cheapest scrypt cost accounts accepts (under NODE_ENV=test): tests sign many users up.
    PASSWORD_HASH_COST: '10',
    // End-to-end tests sign hundreds of buyers up from one address; the
    // per-IP limit itself is tested in accounts.
    SIGN_IN_MAX_ATTEMPTS_PER_IP: '1000000',
    // Tests open many WebSocket clients and send bursts of requests from 127.0.0.1.
    SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: '100000',
    RATE_LIMIT_PER_MINUTE: '100000000',
    // All test traffic comes from 127.0.0.1, one address: a test that is about
    // per-address limits sets its own values or sends distinct X-Forwarded-For.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    APOLLO_TELEMETRY_DISABLED: 'true',
    ...extraEnv,
  };
}

async function startTestStackOnce(extraEnv: NodeJS.ProcessEnv, options: TestStackOptions): Promise<TestStack> {
  const { startTimeoutMs } = options;
  // Each signing service gets a key pair of its own; only its process holds the private key.
  const identityEnv = await generateServiceIdentityEnv();
  const schemas: Record<string, string> = {};
  const redisClaim = await claimRedisDatabase();
  const baseEnv: NodeJS.ProcessEnv = { ...(await testStackEnv(extraEnv, redisClaim.url)), ...identityEnv.shared };
  // Every process learns where the others are (`<NAME>_URL`): the gateway
  // routes there, and orders calls inventory, payments and products directly.
  const ports = new Map<string, number>();
  for (const spec of SUBGRAPH_SPECS) {
    ports.set(spec.name, await freePort());
    const own = `http://127.0.0.1:${ports.get(spec.name)}/graphql`;
    baseEnv[`${spec.name.toUpperCase()}_URL`] = options.subgraphUrl ? await options.subgraphUrl(spec.name, own) : own;
  }
  const subgraphs: Record<string, ServiceProcess> = {};
  for (const spec of SUBGRAPH_SPECS) {
    const schema = uniqueSchemaName(spec.name);
    schemas[spec.name] = schema;
    subgraphs[spec.name] = new ServiceProcess(
      { ...spec, port: ports.get(spec.name)! },
      { ...baseEnv, ...identityEnv.own[spec.name], [`${spec.name.toUpperCase()}_DATABASE_SCHEMA`]: schema },
    );
  }
  const gateway = new ServiceProcess({ ...GATEWAY_SPEC, port: await freePort() }, { ...baseEnv, ...identityEnv.own[GATEWAY_SERVICE] });
  const all = [...Object.values(subgraphs), gateway];
  const stop = async () => {
    await Promise.all(all.map((p) => p.stop()));
    await Promise.all(Object.values(schemas).map((schema) => dropSchema(schema, baseEnv.DATABASE_URL)));
    await redisClaim.release();
  };
  try {
    await Promise.all(Object.values(subgraphs).map((p) => p.start(startTimeoutMs)));
    await gateway.start(startTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gateway, subgraphs, schemas, url: gateway.url, stop };
}
