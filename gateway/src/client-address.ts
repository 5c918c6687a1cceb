import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Who the client is on the network, behind any number of proxies we run.
 *
 * A proxy appends the address it saw to `X-Forwarded-For` (or `Forwarded:
 * for=`), so the list reads client, proxy 1, ..., proxy n-1, and the peer of
 * our socket is proxy n. Only the entries written by proxies we trust can be
 * believed: walking from the right, every trusted hop vouches for the entry to
 * its left, and the first address that is not a trusted proxy is the client.
 * Whatever a client writes into the headers itself lies further left and is
 * never reached. A peer outside the trusted ranges is the client itself, and
 * its headers are ignored.
 *
 * Default trusted ranges: loopback and the private ranges, where the CDN, an
 * ingress or a load balancer of ours lives. A deployment whose proxies have
 * public addresses lists them in TRUSTED_PROXIES.
 */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

export interface TrustedProxies {
  trusts(address: string): boolean;
}

/** Parses CIDRs (or single addresses); throws on anything else, naming the entry. */
export function parseTrustedProxies(cidrs: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [address = '', bits] = entry.trim().split('/');
    const family = isIP(address);
    if (!family) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) throw new Error(`"${entry}" has a bad prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return {
    trusts(address) {
      const family = isIP(address);
      if (!family) return false;
      return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** One `Forwarded` / `X-Forwarded-For` entry as a bare address: quotes, brackets and ports removed. */
function bareAddress(entry: string): string {
  let value = entry.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  return normalizeAddress(value);
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((line) => line.split(','));
}

/** The hops a request claims to have passed, oldest first: `Forwarded: for=` when present, else `X-Forwarded-For`. */
export function forwardedChain(headers: IncomingMessage['headers']): string[] {
  const forwarded = headerValues(headers.forwarded)
    .map((element) => /(?:^|;)\s*for=("[^"]*"|[^;]*)/i.exec(element)?.[1])
    .filter((value): value is string => value !== undefined);
  const chain = forwarded.length ? forwarded : headerValues(headers['x-forwarded-for']);
  return chain.map(bareAddress).filter(Boolean);
}

/**
 * The client's address for a request (HTTP or the WebSocket upgrade): the
 * right-most hop that is not a trusted proxy. A hop that is not an address at
 * all (`unknown`, an obfuscated identifier, garbage) stops the walk: the proxy
 * that wrote it is the last thing we can name, so it stands for the client.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: TrustedProxies): string {
  let client = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trusted.trusts(client)) return client;
  const chain = forwardedChain(req.headers);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i]!;
    if (!isIP(hop)) return client;
    client = hop;
    if (!trusted.trusts(hop)) return hop;
  }
  return client;
}
