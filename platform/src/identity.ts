import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { forbidden, unauthenticated } from './errors.ts';

/**
 * Identity between the gateway and the subgraphs.
 *
 * The gateway verifies the client's access token once, then forwards who the
 * caller is as a short-lived internal token (EdDSA, signed with the gateway's
 * private key) in the `x-viewer-token` header. Subgraphs verify it with the
 * gateway's public key. A direct caller cannot forge it without the private
 * key, and any other header (x-user-id, ...) is ignored: without a valid
 * token the caller is anonymous.
 */
export const IDENTITY_HEADER = 'x-viewer-token';
export const IDENTITY_ISSUER = 'shop-gateway';
export const IDENTITY_AUDIENCE = 'shop-subgraphs';
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
  sign(viewer: Viewer): Promise<string>;
}

export async function createIdentitySigner(privateKeyPem: string): Promise<IdentitySigner> {
  const key = await importPKCS8(privateKeyPem, ALGORITHM);
  return {
    sign: (viewer) =>
      new SignJWT({ roles: viewer.roles })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(viewer.userId)
        .setIssuer(IDENTITY_ISSUER)
        .setAudience(IDENTITY_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
        .sign(key),
  };
}

type HeaderBag = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface IdentityVerifier {
  /** The verified viewer, or null (anonymous) when the header is missing or the token is not valid. */
  viewerFrom(headers: HeaderBag): Promise<Viewer | null>;
}

/**
 * Verifies the gateway's internal token. Without a public key (a subgraph
 * started on its own in development) every caller is anonymous.
 */
export async function createIdentityVerifier(publicKeyPem: string | undefined): Promise<IdentityVerifier> {
  if (!publicKeyPem) return { viewerFrom: async () => null };
  const key: CryptoKey = await importSPKI(publicKeyPem, ALGORITHM);
  return {
    async viewerFrom(headers) {
      const token = header(headers, IDENTITY_HEADER);
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: IDENTITY_ISSUER, audience: IDENTITY_AUDIENCE });
        const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
        return typeof payload.sub === 'string' ? { userId: payload.sub, roles } : null;
      } catch {
        return null;
      }
    },
  };
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
