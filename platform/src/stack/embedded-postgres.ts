import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly)
 * persisted in a directory and served over the PostgreSQL wire protocol, so
 * the services connect to it exactly as they would to a real server. It runs
 * queries one at a time, which is fine for one developer and never used when
 * DATABASE_URL is set.
 */
export interface EmbeddedPostgres {
  url: string;
  /** True when the previous owner of the data directory died without stopping and its data was recovered. */
  recovered: boolean;
  stop(): Promise<void>;
}

/** Thrown when another live process already serves the data directory. */
export class DataDirectoryInUse extends Error {}

/**
 * Takes the data directory for this process: `<dataDir>.owner` holds the
 * owner's pid. A directory whose owner still runs is refused; one whose
 * owner died without stopping (kill -9, a crash, a power cut) is taken
 * over, and PostgreSQL's lock file `postmaster.pid` that the dead owner left
 * is removed: PGlite writes the same fake pid there every time, cannot tell
 * it is stale, and hangs or aborts at start while it exists. PostgreSQL then
 * recovers the data from its write-ahead log as after any crash. Returns
 * whether an unclean stop was recovered from.
 */
function claimDataDirectory(dataDir: string): { recovered: boolean; release(): void } {
  const owner = `${dataDir}.owner`;
  mkdirSync(dirname(owner), { recursive: true });
  let recovered = false;
  if (existsSync(owner)) {
    const pid = Number(readFileSync(owner, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DataDirectoryInUse(`the embedded PostgreSQL data in ${dataDir} is in use by process ${pid} (another npm start?); stop it first, or set DATA_DIR to another folder`);
    }
    rmSync(join(dataDir, 'postmaster.pid'), { force: true });
    recovered = true;
  } else if (existsSync(join(dataDir, 'postmaster.pid'))) {
    // Left by a run from before owner files existed: nothing can still hold it.
    rmSync(join(dataDir, 'postmaster.pid'), { force: true });
    recovered = true;
  }
  writeFileSync(owner, String(process.pid));
  return { recovered, release: () => rmSync(owner, { force: true }) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; maxConnections: number }): Promise<EmbeddedPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  const claim = claimDataDirectory(options.dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir);
  } catch (error) {
    claim.release();
    throw error;
  }
  // pglite-socket defaults to one connection; every service pool needs its own.
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: options.maxConnections });
  keepExtendedQueriesTogether(server);
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    recovered: claim.recovered,
    async stop() {
      await server.stop();
      await db.close();
      claim.release();
    },
  };
}

/** Frontend message types of the extended query protocol that must be followed by the same client's messages up to its Sync. */
const EXTENDED_QUERY_MESSAGES = new Set([0x50 /* Parse */, 0x42 /* Bind */, 0x44 /* Describe */, 0x45 /* Execute */, 0x43 /* Close */, 0x48 /* Flush */]);

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * pglite-socket (0.2.17, pinned) runs the messages of all connections through
 * one queue, one message at a time, keeping a connection's turn only while it
 * is inside a transaction. The extended query protocol sends Parse, Bind,
 * Describe, Execute, then Sync; if another connection's Parse lands in
 * between, the first connection's unnamed statement is replaced and its Bind
 * fails ("unnamed prepared statement does not exist"). Every parameterized
 * query of node-postgres uses that protocol, so with several services
 * connected this happens under load. This replaces the queue's scheduling so
 * that a connection also keeps its turn from its first extended-protocol
 * message to its Sync. The queue is internal to pglite-socket, hence the
 * exact pin and the test in embedded-postgres.test.ts.
 */
export function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== 'function') {
    throw new Error('pglite-socket changed its internals: check keepExtendedQueriesTogether against the new version');
  }
  let midSequence = false;
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clearQueueForHandler(handlerId);
    // A client that disconnects in the middle of a sequence gives up its turn.
    if (queue.lastHandlerId === handlerId) midSequence = false;
    void queue.processQueue();
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let item: QueuedMessage | undefined;
        if (this.lastHandlerId !== null && (midSequence || this.db.isInTransaction())) {
          const index = this.queue.findIndex((q) => q.handlerId === this.lastHandlerId);
          if (index === -1) break; // its next message has not arrived yet; enqueue() resumes us
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        let bytes = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = false;
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        midSequence = EXTENDED_QUERY_MESSAGES.has(current.message[0] ?? 0);
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
