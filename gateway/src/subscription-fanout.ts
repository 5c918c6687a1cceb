/**
 * Delivery of one shared subscription's events to its clients: each client
 * gets the newest value of every entity (sku) that changed since it was last
 * served, in the order the values were published, and at most one delivery
 * per `windowMs`.
 *
 * How: a cursor goes round the clients, serving each one that is behind, a
 * chunk at a time with a turn of the event loop between chunks (HTTP on this
 * process stays answered while thousands of sockets are written). A value
 * published mid-round does not wait for the round to end: the clients not
 * yet served get it straight away, the ones already served get it when the
 * cursor comes round again. So with N clients and a round of S ms, a value
 * reaches everyone within about one S, where a round per event (the design
 * this replaces) needed up to two: the rest of the current round, then its
 * own. When events come faster than a round, clients get fewer, fresher
 * values rather than a queue; the last value always reaches everyone.
 *
 * The window: a client that was served less than `windowMs` ago waits for
 * its window to end (the cursor passes it by; a timer wakes the loop when
 * nobody else is left to serve). With thousands of clients a round takes
 * longer than the window anyway, so the window only ever delays the clients
 * of a small audience: phones get at most 1000 / windowMs updates a second
 * per subscription, each carrying the newest value of everything that
 * changed.
 *
 * Counts (the hot path): per client served, one comparison per value held
 * (one per entity of the subscription, usually one) and one write per value
 * it has not seen; a client with nothing new costs one comparison.
 */
export interface FanoutSubscriber {
  /** Sends one payload (the event's JSON, encoded once for every client); false when the client is gone or was cut off. */
  write(payload: Buffer): boolean;
  /** The subscription is over (the stream closed). */
  end(): void;
}

/** A client's place in the fan-out; hand it back to `remove`. */
export interface FanoutMember {
  readonly subscriber: FanoutSubscriber;
}

interface Member extends FanoutMember {
  index: number;
  /** Sequence number of the newest value this client has been served. */
  seen: number;
  /** The newest sequence number when it joined: older transient values (errors) are not replayed to it. */
  joinedAt: number;
  /** When it was last written to (performance.now()). */
  servedAt: number;
}

interface Value {
  seq: number;
  payload: Buffer;
  /** Errors: sent to the clients present at the time, never replayed to later ones. */
  transient: boolean;
}

export interface FanoutOptions {
  windowMs: number;
  /** Clients written per turn of the event loop. */
  chunk: number;
  /** Frames written, per chunk. */
  onDelivered?: (frames: number) => void;
  /** Seconds from the upstream event to a client served with it (one observation per chunk). */
  onLatency?: (seconds: number) => void;
}

export class SubscriptionFanout {
  readonly #options: FanoutOptions;
  readonly #members: Member[] = [];
  /** The newest value per entity key, plus pending transient ones; in publishing order (a key is re-inserted when it changes). */
  readonly #values = new Map<string, Value>();
  #head = 0;
  #headReceivedAt: number | undefined;
  /** Members with `seen < #head`, kept exact: the loop runs while it is above 0. */
  #behind = 0;
  #cursor = 0;
  #running = false;
  #closed = false;
  #transients = 0;
  #wake: (() => void) | undefined;
  #idle: (() => void)[] = [];

  constructor(options: FanoutOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#members.length;
  }

  /** Adds a client; it is served the newest value of every entity on the loop's next turn (not within this call). */
  add(subscriber: FanoutSubscriber): FanoutMember {
    const member: Member = { subscriber, index: this.#members.length, seen: 0, joinedAt: this.#head, servedAt: Number.NEGATIVE_INFINITY };
    this.#members.push(member);
    if (this.#head > 0) {
      this.#behind++;
      setImmediate(() => this.#kick());
    }
    return member;
  }

  /** Removes a client (it leaves or was cut off); true if it was a member. */
  remove(handle: FanoutMember): boolean {
    const member = handle as Member;
    if (member.index < 0 || this.#members[member.index] !== member) return false;
    if (member.seen < this.#head) this.#behind--;
    const last = this.#members.pop()!;
    if (last !== member) {
      this.#members[member.index] = last;
      last.index = member.index;
    }
    member.index = -1;
    this.#settle();
    return true;
  }

  has(handle: FanoutMember): boolean {
    const member = handle as Member;
    return member.index >= 0 && this.#members[member.index] === member;
  }

  /** Publishes the newest value of entity `key`, replacing the one before it. */
  publish(key: string, payload: Buffer, receivedAt?: number): void {
    this.#put(key, payload, receivedAt, false);
  }

  /** Publishes a value that replaces nothing and is not replayed to clients joining later (an error). */
  publishTransient(payload: Buffer, receivedAt?: number): void {
    this.#put(`\0transient ${++this.#transients}`, payload, receivedAt, true);
  }

  /** Resolves once every client has been served everything published so far. */
  idle(): Promise<void> {
    if (this.#behind === 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Ends every client's subscription; nothing more is sent. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
    const members = this.#members.splice(0);
    for (const member of members) member.index = -1;
    this.#values.clear();
    this.#behind = 0;
    this.#settle();
    for (const member of members) member.subscriber.end();
  }

  #put(key: string, payload: Buffer, receivedAt: number | undefined, transient: boolean): void {
    if (this.#closed) return;
    this.#values.delete(key);
    this.#values.set(key, { seq: ++this.#head, payload, transient });
    this.#headReceivedAt = receivedAt;
    this.#behind = this.#members.length;
    this.#kick();
  }

  #kick(): void {
    if (this.#running) this.#wake?.();
    else if (this.#behind > 0 && !this.#closed) void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    const { chunk, windowMs } = this.#options;
    try {
      while (this.#behind > 0 && !this.#closed) {
        const now = performance.now();
        const total = this.#members.length;
        let served = 0;
        let frames = 0;
        let visited = 0;
        let nextDue = Number.POSITIVE_INFINITY;
        while (served < chunk && visited < total && this.#behind > 0 && this.#members.length > 0) {
          if (this.#cursor >= this.#members.length) this.#cursor = 0;
          const member = this.#members[this.#cursor++]!;
          visited++;
          if (member.seen >= this.#head) continue;
          const due = member.servedAt + windowMs;
          if (due > now) {
            if (due < nextDue) nextDue = due;
            continue;
          }
          frames += this.#serve(member, now);
          served++;
        }
        if (frames > 0) {
          this.#options.onDelivered?.(frames);
          if (this.#headReceivedAt !== undefined) this.#options.onLatency?.((performance.now() - this.#headReceivedAt) / 1000);
        }
        if (served === 0 && visited >= total && this.#behind > 0) {
          // Everyone behind is inside their window: sleep until the first window ends (or a join wakes us).
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.#wake?.(), Math.max(1, nextDue - now));
            this.#wake = () => {
              clearTimeout(timer);
              this.#wake = undefined;
              resolve();
            };
          });
        } else {
          await new Promise<void>((resolve) => {
            this.#wake = undefined;
            setImmediate(resolve);
          });
        }
      }
    } finally {
      this.#running = false;
      this.#settle();
    }
  }

  /** Writes to one member every value it has not seen; returns the frames written. */
  #serve(member: Member, now: number): number {
    const seen = member.seen;
    // Marked served first: a write that cuts the client off removes it at once.
    member.seen = this.#head;
    this.#behind--;
    let frames = 0;
    for (const value of this.#values.values()) {
      if (value.seq <= seen || (value.transient && value.seq <= member.joinedAt)) continue;
      if (!member.subscriber.write(value.payload)) break;
      frames++;
    }
    if (frames > 0) member.servedAt = now;
    return frames;
  }

  /** Once everyone is served: transient values are dropped and `idle()` waiters resolved. */
  #settle(): void {
    if (this.#behind > 0 && !this.#closed) return;
    if (this.#transients > 0) for (const [key, value] of this.#values) if (value.transient) this.#values.delete(key);
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
