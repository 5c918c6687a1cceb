import { randomUUID } from 'node:crypto';
import type { KeyValueStore, Logger } from '@shop/platform';

/**
 * Open WebSocket connections per client (partner, user or address), counted
 * across every gateway replica in the shared store (Redis), so that a client
 * gets its limit once, not once per replica behind the load balancer.
 *
 * Each connection holds a leased slot (see KeyValueStore.acquireSlot); this
 * replica renews the leases of its open connections every third of a lease,
 * in one call per client. A replica that crashes stops renewing, and its
 * connections stop counting when their leases run out (one lease, 60 s by
 * default), instead of being counted forever.
 *
 * When the store cannot be reached the connection is let in and the failure
 * logged, like the request rate limits: a Redis outage must not cut every
 * live-sale viewer off.
 */
export interface ConnectionSlots {
  /** Takes a slot for a new connection of `client`; the slot's holder id, or null when the client has `max` open already. */
  acquire(client: string, max: number): Promise<string | null>;
  release(client: string, holder: string): void;
  /** Stops renewing (the process is stopping; its connections are being closed and released). */
  close(): void;
}

export const DEFAULT_CONNECTION_LEASE_MS = 60_000;

export function createConnectionSlots(options: { store: KeyValueStore; logger: Logger; leaseMs?: number }): ConnectionSlots {
  const { store, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_CONNECTION_LEASE_MS;
  const replica = randomUUID();
  let sequence = 0;
  /** This replica's open connections: client key -> holder ids. */
  const held = new Map<string, Set<string>>();
  const keyOf = (client: string) => `ws-connections:${client}`;

  const renew = async () => {
    const renewals = [...held].map(([client, holders]) => store.renewSlots(keyOf(client), [...holders], leaseMs));
    const failed = (await Promise.allSettled(renewals)).find((r) => r.status === 'rejected');
    if (failed) logger.warn({ err: (failed as PromiseRejectedResult).reason }, 'could not renew WebSocket connection slots');
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    async acquire(client, max) {
      const holder = `${replica}:${++sequence}`;
      try {
        if (!(await store.acquireSlot(keyOf(client), holder, max, leaseMs))) return null;
      } catch (error) {
        logger.warn({ err: error }, 'connection slot store unavailable; connection allowed');
      }
      let holders = held.get(client);
      if (!holders) held.set(client, (holders = new Set()));
      holders.add(holder);
      return holder;
    },
    release(client, holder) {
      const holders = held.get(client);
      holders?.delete(holder);
      if (holders?.size === 0) held.delete(client);
      store.releaseSlot(keyOf(client), holder).catch((error) => logger.warn({ err: error }, 'could not release a WebSocket connection slot'));
    },
    close() {
      clearInterval(timer);
    },
  };
}
