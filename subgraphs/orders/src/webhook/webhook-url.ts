import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for partner URLs. With private
 * addresses not allowed (NODE_ENV=production), a webhook may not point at
 * this network: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, multicast and reserved ranges, in
 * IPv4, IPv6 and IPv4-mapped IPv6. The URL is checked when the webhook is
 * created, and every delivery checks the addresses it actually connects to
 * (`guardedLookup`), so a name that later resolves to a private address
 * (DNS rebinding) is refused too.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True when `ip` is an address on the public internet. */
export function isPublicAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(ip);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export type WebhookUrlProblem = 'INVALID_URL' | 'URL_NOT_ALLOWED';

export class WebhookUrlError extends Error {
  readonly reason: WebhookUrlProblem;
  constructor(reason: WebhookUrlProblem, message: string) {
    super(message);
    this.name = 'WebhookUrlError';
    this.reason = reason;
  }
}

const MAX_URL_LENGTH = 2048;

/**
 * Parses and checks a partner URL: http or https (https only when private
 * addresses are not allowed), no credentials in it, and, unless
 * `allowPrivate`, a host whose every address is public.
 */
export async function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): Promise<URL> {
  let url: URL;
  try {
    if (raw.length > MAX_URL_LENGTH) throw new Error('too long');
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('INVALID_URL', `"url" must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters.`);
  }
  const protocols = options.allowPrivate ? ['http:', 'https:'] : ['https:'];
  if (!protocols.includes(url.protocol)) throw new WebhookUrlError('INVALID_URL', `"url" must use ${protocols.join(' or ')}.`);
  if (url.username || url.password) throw new WebhookUrlError('INVALID_URL', '"url" must not hold credentials.');
  if (options.allowPrivate) return url;
  const addresses = await resolveHost(url);
  if (!addresses.length || !addresses.every(isPublicAddress)) {
    throw new WebhookUrlError('URL_NOT_ALLOWED', `"url" must reach a public address; ${url.hostname} is loopback, private or reserved.`);
  }
  return url;
}

async function resolveHost(url: URL): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [host];
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new WebhookUrlError('INVALID_URL', `"url": the host ${host} does not resolve.`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses to connect to addresses that are
 * not public: the check happens on the addresses the socket will use.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(Object.assign(new Error(`${hostname} resolves to ${refused.address}, which is not a public address`), { code: 'EADDRNOTPUBLIC' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
