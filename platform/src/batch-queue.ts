/** A request waiting in a BatchQueue, with the functions that answer its caller. */
export interface Pending<T, R> {
  readonly item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface BatchQueueOptions {
  /**
   * How long the first request for an idle key waits for others to join its
   * batch (ms). 0: no wait, so only requests that arrive while the key's
   * previous batch runs are merged (pure group commit).
   */
  maxWaitMs: number;
  /** The most requests in one batch. */
  maxBatchSize: number;
  /** Admission control: the most requests waiting per key; more are refused at once. */
  maxQueuedPerKey: number;
}

/**
 * Runs one batch: must answer every request in `batch` (resolve or reject),
 * except those it returns, which go back to the front of the key's queue
 * for the next batch.
 */
export type RunBatch<T, R> = (key: string, batch: Pending<T, R>[]) => Promise<Pending<T, R>[] | void>;

interface KeyQueue<T, R> {
  waiting: Pending<T, R>[];
  timer: NodeJS.Timeout | undefined;
  running: boolean;
}

/**
 * Group commit per key: requests for one key are queued and run together,
 * at most one batch per key at a time. A batch starts when `maxWaitMs` has
 * passed since the first request of an idle key, when `maxBatchSize`
 * requests are waiting, or at once when the previous batch of the key ends
 * with requests waiting (they have waited for it already).
 */
export class BatchQueue<T, R> {
  readonly #run: RunBatch<T, R>;
  readonly #options: BatchQueueOptions;
  readonly #overloaded: (key: string) => Error;
  readonly #queues = new Map<string, KeyQueue<T, R>>();
  readonly #idle: (() => void)[] = [];

  constructor(run: RunBatch<T, R>, options: BatchQueueOptions, overloaded: (key: string) => Error) {
    this.#run = run;
    this.#options = options;
    this.#overloaded = overloaded;
  }

  /** Queues `item` for `key`'s next batch; rejects at once when `maxQueuedPerKey` are waiting. */
  enqueue(key: string, item: T): Promise<R> {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { waiting: [], timer: undefined, running: false };
      this.#queues.set(key, queue);
    }
    if (queue.waiting.length >= this.#options.maxQueuedPerKey) return Promise.reject(this.#overloaded(key));
    const joined = queue;
    return new Promise<R>((resolve, reject) => {
      joined.waiting.push({ item, resolve, reject });
      this.#schedule(key, joined);
    });
  }

  /** Resolves once nothing is waiting or running; waiting batches start at once. */
  async drain(): Promise<void> {
    for (const [key, queue] of this.#queues) if (queue.timer) this.#start(key, queue);
    while (this.#queues.size > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(key: string, queue: KeyQueue<T, R>): void {
    if (queue.running || queue.waiting.length === 0) return;
    if (queue.waiting.length >= this.#options.maxBatchSize || this.#options.maxWaitMs === 0) this.#start(key, queue);
    else queue.timer ??= setTimeout(() => this.#start(key, queue), this.#options.maxWaitMs);
  }

  #start(key: string, queue: KeyQueue<T, R>): void {
    clearTimeout(queue.timer);
    queue.timer = undefined;
    queue.running = true;
    const batch = queue.waiting.splice(0, this.#options.maxBatchSize);
    this.#run(key, batch)
      .then(
        (later) => {
          if (later?.length) queue.waiting.unshift(...later);
        },
        // A batch function that throws has answered nobody: answer everyone.
        (error: unknown) => {
          for (const pending of batch) pending.reject(error);
        },
      )
      .finally(() => {
        queue.running = false;
        if (queue.waiting.length > 0) return this.#start(key, queue);
        this.#queues.delete(key);
        if (this.#queues.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }
}
