import { decodeProtectedHeader, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { forbidden, unauthenticated } from './errors.ts';

/**
 * Identity between services: who is calling a subgraph, proven by a
 * short-lived internal token (EdDSA) in the `x-viewer-token` header.
 *
 * Trust model (least privilege):
 * - Every service that calls another signs with a key of its own; its name is
 *   the token's `kid` and `iss`. A subgraph holds the public keys of the callers
 *   it expects and nothing else, so a token signed by anyone else is refused.
 * - Only the gateway speaks for clients: its tokens carry the customer's,
 *   seller's or admin's identity (or none, for an anonymous client) and the
 *   client's network address as the gateway resolved it. Any other service can
 *   only assert itself (`{ userId: <its name>, roles: ['SERVICE'] }`); a token
 *   from it that claims anything else is refused whole.
 * - Without a valid token the caller is anonymous, and any other header
 *   (x-user-id, x-forwarded-for, ...) is ignored. In production a subgraph
 *   refuses such callers outright (see `requireCaller` in the subgraph kit).
 */
export const IDENTITY_HEADER = 'x-viewer-token';
export const IDENTITY_AUDIENCE = 'shop-subgraphs';
/** The service that speaks for clients. */
export const GATEWAY_SERVICE = 'gateway';
/** Long enough for one request's fan-out, short enough that a leaked token is soon useless. */
export const IDENTITY_TTL_SECONDS = 60;
const ALGORITHM = 'EdDSA';

/** SERVICE is internal only: services calling each other (the orders saga). It never appears in GraphQL. */
export type Role = 'CUSTOMER' | 'SELLER' | 'ADMIN' | 'SERVICE';
export const ROLES: readonly Role[] = ['CUSTOMER', 'SELLER', 'ADMIN', 'SERVICE'];

export interface Viewer {
  userId: string;
  roles: Role[];
}

/** What a subgraph knows about a call from its identity token. */
export interface CallerIdentity {
  /** The signing service (`gateway`, `orders`, ...). */
  service: string;
  /** The customer, seller, admin or service the call is made for; null for an anonymous client. */
  viewer: Viewer | null;
  /** The client's address as the gateway resolved it; only the gateway's tokens carry one. */
  clientAddress: string | undefined;
}

export interface IdentityKeys {
  privateKey: string;
  publicKey: string;
}

/** A fresh Ed25519 key pair as PEM strings (for the embedded stack and tests). */
export async function generateIdentityKeys(): Promise<IdentityKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  return { privateKey: await exportPKCS8(privateKey), publicKey: await exportSPKI(publicKey) };
}

export interface IdentitySigner {
  /** The signing service's name. */
  readonly service: string;
  /** Signs a token for `viewer` (null: an anonymous client), carrying `clientAddress` when given. */
  sign(viewer: Viewer | null, clientAddress?: string): Promise<string>;
}

/** Signs identity tokens as `service` (the gateway by default). One Ed25519 signature per call: see `createCachedSigner`. */
export async function createIdentitySigner(privateKeyPem: string, service: string = GATEWAY_SERVICE): Promise<IdentitySigner> {
  const key = await importPKCS8(privateKeyPem, ALGORITHM);
  return {
    service,
    sign(viewer, clientAddress) {
      const jwt = new SignJWT({ ...(viewer ? { roles: viewer.roles } : {}), ...(clientAddress ? { ip: clientAddress } : {}) })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: service })
        .setIssuer(service)
        .setAudience(IDENTITY_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`);
      if (viewer) jwt.setSubject(viewer.userId);
      return jwt.sign(key);
    },
  };
}

/**
 * Reuses a signed token for the same viewer and address during a time slice
 * of half the token's lifetime, so the gateway signs once per viewer (and
 * address) per 30 s instead of once per request: every token it hands out
 * still has at least half its life left. Bounded LRU: a flood of distinct
 * clients evicts the oldest entries instead of growing memory.
 */
export function createCachedSigner(signer: IdentitySigner, options: { max?: number; now?: () => number } = {}): IdentitySigner {
  const now = options.now ?? Date.now;
  const reuseMs = (IDENTITY_TTL_SECONDS * 1000) / 2;
  const cache = new LRUCache<string, { token: Promise<string>; until: number }>({ max: options.max ?? 50_000 });
  return {
    service: signer.service,
    sign(viewer, clientAddress) {
      const key = `${viewer ? `${viewer.userId}\u0000${viewer.roles.join(',')}` : ''}\u0000${clientAddress ?? ''}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.token;
      const token = signer.sign(viewer, clientAddress);
      cache.set(key, { token, until: now() + reuseMs });
      // A failed signature must not be served from the cache.
      token.catch(() => cache.delete(key));
      return token;
    },
  };
}

type HeaderBag = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface IdentityVerifier {
  /** The verified caller, or null when the header is missing or the token is not valid. */
  identify(headers: HeaderBag): Promise<CallerIdentity | null>;
  /** The verified viewer, or null (anonymous) when the header is missing or the token is not valid. */
  viewerFrom(headers: HeaderBag): Promise<Viewer | null>;
}

/** Public keys of the services a subgraph accepts calls from, by service name. */
export type CallerKeys = Readonly<Record<string, string | undefined>>;

export interface TrustedCallers {
  keys: CallerKeys;
  /**
   * The service identities (role SERVICE) accepted, by service name; a SERVICE
   * token from any other service is refused whole. Default: every service in `keys`.
   */
  services?: readonly string[];
}

function identityOf(service: string, payload: JWTPayload, services: readonly string[]): CallerIdentity | null {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
  const viewer = typeof payload.sub === 'string' ? { userId: payload.sub, roles } : null;
  if (service !== GATEWAY_SERVICE) {
    // Another service speaks only for itself, and never for a client.
    const itself = viewer?.userId === service && roles.length === 1 && roles[0] === 'SERVICE' && payload.ip === undefined && services.includes(service);
    return itself ? { service, viewer, clientAddress: undefined } : null;
  }
  // The gateway's own service identity is `gateway`; it cannot pose as another service.
  if (viewer && roles.includes('SERVICE') && viewer.userId !== GATEWAY_SERVICE) return null;
  if (roles.includes('SERVICE') && !services.includes(GATEWAY_SERVICE)) return null;
  return { service, viewer, clientAddress: typeof payload.ip === 'string' ? payload.ip : undefined };
}

/**
 * Verifies identity tokens from the `callers` it is given (a single PEM is the
 * gateway's key). Without any key (a subgraph started on its own in
 * development) every caller is anonymous.
 *
 * Verified tokens are remembered by their exact string until they expire
 * (bounded LRU), so the fan-out of one request, and every request of the same
 * viewer in the gateway's time slice, costs one Ed25519 verification instead
 * of one per call. Refused tokens are not remembered: a flood of them must not
 * evict the good ones.
 */
export async function createIdentityVerifier(
  callers: string | CallerKeys | TrustedCallers | undefined,
  options: { max?: number; now?: () => number } = {},
): Promise<IdentityVerifier> {
  const trusted: TrustedCallers =
    typeof callers === 'string' ? { keys: { [GATEWAY_SERVICE]: callers } } : callers && 'keys' in callers && typeof callers.keys === 'object' ? (callers as TrustedCallers) : { keys: (callers ?? {}) as CallerKeys };
  const pems = trusted.keys;
  const services = trusted.services ?? Object.keys(pems);
  const keys = new Map<string, CryptoKey>();
  for (const [service, pem] of Object.entries(pems)) if (pem) keys.set(service, await importSPKI(pem, ALGORITHM));
  const now = options.now ?? Date.now;
  const cache = new LRUCache<string, { identity: CallerIdentity; expiresAt: number }>({ max: options.max ?? 20_000 });
  const identify = async (headers: HeaderBag): Promise<CallerIdentity | null> => {
    const token = header(headers, IDENTITY_HEADER);
    if (!token || keys.size === 0) return null;
    const hit = cache.get(token);
    if (hit && hit.expiresAt > now()) return hit.identity;
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? keys.get(kid) : undefined;
      if (!key || !kid) return null;
      const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: kid, audience: IDENTITY_AUDIENCE, currentDate: new Date(now()) });
      const identity = identityOf(kid, payload, services);
      if (identity && typeof payload.exp === 'number') cache.set(token, { identity, expiresAt: payload.exp * 1000 });
      return identity;
    } catch {
      return null;
    }
  };
  return {
    identify,
    viewerFrom: async (headers) => (await identify(headers))?.viewer ?? null,
  };
}

/** True when the caller is the service `name` (or one of `names`) acting for itself. */
export function isService(viewer: Viewer | null, ...names: string[]): boolean {
  return Boolean(viewer?.roles.includes('SERVICE') && names.includes(viewer.userId));
}

/** Throws UNAUTHENTICATED for an anonymous caller; returns the viewer otherwise. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** Throws UNAUTHENTICATED when anonymous, FORBIDDEN when the viewer has none of `roles`. */
export function requireRole(viewer: Viewer | null, ...roles: Role[]): Viewer {
  const signedIn = requireViewer(viewer);
  if (!signedIn.roles.some((role) => roles.includes(role))) throw forbidden();
  return signedIn;
}

export function hasRole(viewer: Viewer | null, role: Role): boolean {
  return Boolean(viewer?.roles.includes(role));
}

/** True when the viewer is the user `userId` or an ADMIN. */
export function canActFor(viewer: Viewer | null, userId: string): boolean {
  return Boolean(viewer && (viewer.userId === userId || viewer.roles.includes('ADMIN')));
}
