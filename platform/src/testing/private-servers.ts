import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

/**
 * PostgreSQL and Redis servers of a test's own, from the Debian packages'
 * binaries, in a temporary directory: a fault test may stop and restart
 * them without touching the servers other tests (and other people) use.
 */
export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (its data stays); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and deletes its directory. */
  close(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `port` on loopback accepts a TCP connection (or rejects after `timeoutMs`). */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await pause(100);
  }
}

/** The directory of PostgreSQL's server binaries: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL server binaries not found: install the postgresql package or set PG_BIN');
  return join(root, newest, 'bin');
}

/**
 * A PostgreSQL cluster of its own (initdb in a temporary directory, trust
 * authentication, fsync off) on a free loopback port. As root, the server
 * runs as the `postgres` user, which PostgreSQL requires.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'private-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  // Asynchronous: a test's traffic keeps running while the server stops and starts.
  const run = (command: string, args: string[]) =>
    promisify(execFile)(asRoot ? 'runuser' : join(bin, command), asRoot ? ['-u', 'postgres', '--', join(bin, command), ...args] : args, { cwd: dir });
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const server: PrivateServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    },
    async stop() {
      // `fast`: open sessions are cut, as in a failover or a restart by an operator.
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    async close() {
      try {
        await server.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A Redis server of its own (no persistence) on a free loopback port, or on `port`. */
export async function startPrivateRedis(options: { port?: number; args?: readonly string[] } = {}): Promise<PrivateServer & { readonly dir: string }> {
  const bin = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
  if (!existsSync(bin)) throw new Error(`redis-server not found at ${bin}: install the redis-server package or set REDIS_SERVER_BIN`);
  const dir = mkdtempSync(join(tmpdir(), 'private-redis-'));
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const server = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async start() {
      child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(options.args ?? [])], { stdio: 'ignore' });
      await waitForPort(port, 10_000);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A Redis Cluster of its own: one master per port, the 16384 slots spread over them, no replicas. */
export interface PrivateRedisCluster {
  /** For REDIS_CLUSTER_NODES: `127.0.0.1:7101,127.0.0.1:7102,...`. */
  readonly nodes: string;
  readonly masters: readonly (PrivateServer & { readonly dir: string })[];
  close(): Promise<void>;
}

/**
 * Starts `ports.length` redis-server processes in cluster mode (each also
 * binds its port + 10000 for the cluster bus) and joins them with
 * `redis-cli --cluster create`; resolves once every node reports
 * cluster_state:ok.
 */
export async function startPrivateRedisCluster(ports: readonly number[] = [7101, 7102, 7103]): Promise<PrivateRedisCluster> {
  const cli = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';
  if (!existsSync(cli)) throw new Error(`redis-cli not found at ${cli}: install the redis-tools package or set REDIS_CLI_BIN`);
  const masters: (PrivateServer & { readonly dir: string })[] = [];
  const close = async () => {
    await Promise.all(masters.map((m) => m.close()));
  };
  try {
    for (const port of ports) {
      masters.push(await startPrivateRedis({ port, args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
    }
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + 30_000;
    for (const port of ports) {
      for (;;) {
        const { stdout } = await promisify(execFile)(cli, ['-p', String(port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new Error(`Redis Cluster node :${port} not ok after 30 s:\n${stdout}`);
        await pause(100);
      }
    }
    return { nodes: addresses.join(','), masters, close };
  } catch (error) {
    await close();
    throw error;
  }
}
