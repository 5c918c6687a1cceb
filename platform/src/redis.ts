import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { EventEmitter } from 'node:events';
import { REDIS_CLUSTER_PROTOCOL } from './config.ts';

/**
 * The Redis features the services use, behind two small interfaces so that
 * the embedded default (no REDIS_URL) can run on in-process stand-ins. The
 * stand-ins only serve one replica per service: a second replica would not
 * see the first one's keys or messages. With REDIS_URL set, the same code
 * talks to the real server.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets a value, with a time to live in milliseconds when given. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Increments a counter, starting its TTL window on the first increment. Returns the new count. */
  incrWithTtl(key: string, ttlMs: number): Promise<number>;
  /**
   * Adds `by` to each counter (starting its TTL window on its first increment, as incrWithTtl) and
   * returns the new counts in order: many counters in one round trip.
   */
  incrManyWithTtl(increments: readonly (readonly [key: string, by: number])[], ttlMs: number): Promise<number[]>;
  /** Adds members to a set, which lives at least `ttlMs` from now. */
  addToSet(key: string, members: readonly string[], ttlMs: number): Promise<void>;
  /** Removes a set and returns its members (atomically: a member added meanwhile lands in a new set). */
  takeSet(key: string): Promise<string[]>;
  /**
   * Leased slots, a counting semaphore shared by every replica: takes one of
   * at most `max` slots of `key` for `holder` and says whether it got it. A
   * slot is held for `leaseMs` unless renewed, so the slots of a process that
   * died without releasing them free themselves when their leases run out.
   */
  acquireSlot(key: string, holder: string, max: number, leaseMs: number): Promise<boolean>;
  /** Extends the leases of these holders of `key` to `leaseMs` from now (those still holding a slot). */
  renewSlots(key: string, holders: readonly string[], leaseMs: number): Promise<void>;
  releaseSlot(key: string, holder: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Subscribes to a channel; returns a function that unsubscribes. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * A connection to one Redis server (`redis://`, `rediss://`) or to a Redis
 * Cluster (`redis-cluster://host:port,host:port`, see readRedisUrl): ioredis's
 * Cluster takes the seed nodes, learns the slot map, follows MOVED and ASK
 * redirections and sends each command to the master of its key's slot.
 *
 * It is typed as `Redis` for both: ioredis's Cluster carries the same command
 * methods (and `duplicate`), and every caller in this repository sticks to
 * commands whose keys are in one slot per call, which is what a cluster
 * requires: single-key commands and scripts, MULTI over one key, and keys
 * used together carrying one hash tag (the order event stream is
 * `events:{orders}`, so its consumer group's dedup and attempt keys and its
 * dead-letter stream, all named after it, share its slot). The one
 * multi-key read across slots, KeyValueStore.mget, is split per key on a cluster.
 */
export function createRedisClient(url: string, options: RedisOptions & { enableOfflineQueue?: boolean }): Redis {
  if (!url.startsWith(REDIS_CLUSTER_PROTOCOL)) return new Redis(url, options);
  const nodes = url
    .slice(REDIS_CLUSTER_PROTOCOL.length + 2)
    .split(',')
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(entry.slice(at + 1)) };
    });
  const { enableOfflineQueue, ...redisOptions } = options;
  const cluster = new Cluster(nodes, { redisOptions, enableOfflineQueue: enableOfflineQueue ?? true, maxRedirections: 16 });
  return cluster as unknown as Redis;
}

/** True when `redis` talks to a Redis Cluster. */
export function isCluster(redis: Redis): boolean {
  return (redis as Redis | Cluster).isCluster;
}

export function connectRedis(url: string, name: string, onError: (error: Error) => void = () => {}): Redis {
  const redis = createRedisClient(url, {
    connectionName: name,
    // Fail fast instead of queueing commands forever while Redis is down:
    // callers fall back (for example stock reads go to PostgreSQL).
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  // Without a listener ioredis prints every failed reconnect to stderr; the
  // callers see failures on their own commands and fall back or report them.
  redis.on('error', onError);
  return redis;
}

/**
 * The slot scripts keep a sorted set per key: member = holder, score = when
 * its lease ends, in the Redis server's clock (TIME), so replicas with skewed
 * clocks agree. The key itself expires with the longest lease (its TTL is only
 * ever lengthened, so a holder with a short lease cannot drop the others').
 * One round trip each; all keys touched are KEYS[1], so they run on Redis
 * Cluster too.
 */
const SLOT_SCRIPTS = {
  acquireSlot: `
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
    if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
    return 1`,
  renewSlots: `
    local t = redis.call('TIME')
    local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
    for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_, ARGV[i]) end
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl ~= -2 and ttl < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
    return 0`,
} as const;

type SlotCommands = {
  acquireSlot(key: string, holder: string, max: number, leaseMs: number): Promise<number>;
  renewSlots(key: string, leaseMs: number, ...holders: string[]): Promise<number>;
};

export class RedisKeyValueStore implements KeyValueStore {
  readonly redis: Redis;
  readonly #slots: SlotCommands;
  constructor(redis: Redis) {
    this.redis = redis;
    for (const [name, lua] of Object.entries(SLOT_SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.#slots = redis as unknown as SlotCommands;
  }
  async acquireSlot(key: string, holder: string, max: number, leaseMs: number) {
    return (await this.#slots.acquireSlot(key, holder, max, leaseMs)) === 1;
  }
  async renewSlots(key: string, holders: readonly string[], leaseMs: number) {
    if (holders.length) await this.#slots.renewSlots(key, leaseMs, ...holders);
  }
  async releaseSlot(key: string, holder: string) {
    await this.redis.zrem(key, holder);
  }
  async get(key: string) {
    return this.redis.get(key);
  }
  async mget(keys: readonly string[]) {
    if (keys.length === 0) return [];
    // A cluster refuses MGET across slots (CROSSSLOT): one GET per key, which ioredis sends to each key's master.
    if (isCluster(this.redis)) return Promise.all(keys.map((key) => this.redis.get(key)));
    return this.redis.mget(...keys);
  }
  async set(key: string, value: string, ttlMs?: number) {
    if (ttlMs) await this.redis.set(key, value, 'PX', ttlMs);
    else await this.redis.set(key, value);
  }
  async del(key: string) {
    await this.redis.del(key);
  }
  async incrWithTtl(key: string, ttlMs: number) {
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, ttlMs, 'NX').exec()) as [[null, number]];
    return count;
  }
  async incrManyWithTtl(increments: readonly (readonly [string, number])[], ttlMs: number) {
    if (increments.length === 0) return [];
    // A cluster refuses a transaction across slots: one per counter there, each on its key's master.
    if (isCluster(this.redis)) {
      return Promise.all(
        increments.map(async ([key, by]) => {
          const [[, count]] = (await this.redis.multi().incrby(key, by).pexpire(key, ttlMs, 'NX').exec()) as [[null, number]];
          return count;
        }),
      );
    }
    const transaction = this.redis.multi();
    for (const [key, by] of increments) transaction.incrby(key, by).pexpire(key, ttlMs, 'NX');
    const replies = (await transaction.exec()) as [Error | null, number][];
    return increments.map((_, i) => {
      const [error, count] = replies[2 * i]!;
      if (error) throw error;
      return count;
    });
  }
  async addToSet(key: string, members: readonly string[], ttlMs: number) {
    if (members.length === 0) return;
    await this.redis.multi().sadd(key, ...members).pexpire(key, ttlMs, 'GT').pexpire(key, ttlMs, 'NX').exec();
  }
  async takeSet(key: string) {
    const [[, members]] = (await this.redis.multi().smembers(key).del(key).exec()) as [[null, string[]], unknown];
    return members;
  }
  async ping() {
    await this.redis.ping();
  }
  async close() {
    this.redis.disconnect();
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, { value: string; expiresAt: number }>();
  #live(key: string) {
    const entry = this.#values.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#values.delete(key);
      return undefined;
    }
    return entry;
  }
  async get(key: string) {
    return this.#live(key)?.value ?? null;
  }
  async mget(keys: readonly string[]) {
    return keys.map((key) => this.#live(key)?.value ?? null);
  }
  async set(key: string, value: string, ttlMs?: number) {
    this.#values.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : Number.POSITIVE_INFINITY });
  }
  async del(key: string) {
    this.#values.delete(key);
  }
  async incrWithTtl(key: string, ttlMs: number) {
    const entry = this.#live(key);
    const count = Number(entry?.value ?? 0) + 1;
    this.#values.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? Date.now() + ttlMs });
    return count;
  }
  async incrManyWithTtl(increments: readonly (readonly [string, number])[], ttlMs: number) {
    const counts: number[] = [];
    for (const [key, by] of increments) {
      const entry = this.#live(key);
      const count = Number(entry?.value ?? 0) + by;
      this.#values.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? Date.now() + ttlMs });
      counts.push(count);
    }
    return counts;
  }
  readonly #sets = new Map<string, { members: Set<string>; expiresAt: number }>();
  async addToSet(key: string, members: readonly string[], ttlMs: number) {
    let set = this.#sets.get(key);
    if (!set || set.expiresAt <= Date.now()) this.#sets.set(key, (set = { members: new Set(), expiresAt: 0 }));
    for (const member of members) set.members.add(member);
    set.expiresAt = Math.max(set.expiresAt, Date.now() + ttlMs);
  }
  async takeSet(key: string) {
    const set = this.#sets.get(key);
    this.#sets.delete(key);
    return set && set.expiresAt > Date.now() ? [...set.members] : [];
  }
  readonly #slots = new Map<string, Map<string, number>>();
  async acquireSlot(key: string, holder: string, max: number, leaseMs: number) {
    const now = Date.now();
    const holders = this.#slots.get(key) ?? new Map<string, number>();
    for (const [other, until] of holders) if (until <= now) holders.delete(other);
    if (!holders.has(holder) && holders.size >= max) return false;
    holders.set(holder, now + leaseMs);
    this.#slots.set(key, holders);
    return true;
  }
  async renewSlots(key: string, holders: readonly string[], leaseMs: number) {
    const held = this.#slots.get(key);
    for (const holder of holders) if (held?.has(holder)) held.set(holder, Date.now() + leaseMs);
  }
  async releaseSlot(key: string, holder: string) {
    const held = this.#slots.get(key);
    held?.delete(holder);
    if (held?.size === 0) this.#slots.delete(key);
  }
  async ping() {}
  async close() {
    this.#values.clear();
    this.#sets.clear();
    this.#slots.clear();
  }
}

export class RedisPubSub implements PubSub {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #handlers = new Map<string, Set<(message: string) => void>>();
  constructor(url: string, name: string) {
    this.#publisher = connectRedis(url, `${name}:pub`);
    // A subscriber connection must keep retrying and queue its SUBSCRIBE until connected.
    // On a cluster, PUBLISH reaches every node's subscribers, so one subscriber connection (to any node) hears every channel.
    this.#subscriber = createRedisClient(url, { connectionName: `${name}:sub`, maxRetriesPerRequest: null });
    this.#subscriber.on('error', () => {});
    this.#subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.#handlers.get(channel) ?? []) handler(message);
    });
  }
  async publish(channel: string, message: string) {
    await this.#publisher.publish(channel, message);
  }
  async subscribe(channel: string, onMessage: (message: string) => void) {
    let handlers = this.#handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
      await this.#subscriber.subscribe(channel);
    }
    handlers.add(onMessage);
    return async () => {
      handlers.delete(onMessage);
      if (handlers.size === 0 && this.#handlers.get(channel) === handlers) {
        this.#handlers.delete(channel);
        await this.#subscriber.unsubscribe(channel);
      }
    };
  }
  async close() {
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}

export class MemoryPubSub implements PubSub {
  readonly #emitter = new EventEmitter().setMaxListeners(0);
  async publish(channel: string, message: string) {
    this.#emitter.emit(channel, message);
  }
  async subscribe(channel: string, onMessage: (message: string) => void) {
    this.#emitter.on(channel, onMessage);
    return async () => {
      this.#emitter.off(channel, onMessage);
    };
  }
  async close() {
    this.#emitter.removeAllListeners();
  }
}

/** Key-value store on Redis when a URL is given, otherwise the in-process stand-in. */
export function createKeyValueStore(redisUrl: string | undefined, name: string): KeyValueStore {
  return redisUrl ? new RedisKeyValueStore(connectRedis(redisUrl, name)) : new MemoryKeyValueStore();
}

export function createPubSub(redisUrl: string | undefined, name: string): PubSub {
  return redisUrl ? new RedisPubSub(redisUrl, name) : new MemoryPubSub();
}
