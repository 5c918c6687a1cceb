import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes are scrypt (node:crypto) with a per-password random salt,
 * stored as the self-describing string `scrypt$N$r$p$salt$hash` (salt and
 * hash in base64url). Because the parameters travel with the hash, the cost
 * can be raised later: `needsRehash` tells the sign-in flow to upgrade an old
 * hash while it still holds the plain password.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches `stored`; false for a mismatch or a malformed hash. */
  verify(password: string, stored: string): Promise<boolean>;
  needsRehash(stored: string): boolean;
  /** Spends the same time as a real verification; used when the account does not exist. */
  verifyNothing(password: string): Promise<void>;
}

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; node's default ceiling (32 MiB) is below OWASP's N = 2^17.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export function formatHash(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Parses `scrypt$N$r$p$salt$hash`; null when the string is not one (or its parameters are out of sane bounds). */
export function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return null;
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/** A hasher whose new hashes use N = 2^cost (OWASP: 2^17 with r = 8, p = 1). */
export function createPasswordHasher(cost: number): PasswordHasher {
  const current: ScryptParams = { N: 2 ** cost, r: BLOCK_SIZE, p: PARALLELISM };
  let decoy: Promise<string> | undefined;
  const hash = async (password: string) => {
    const salt = randomBytes(SALT_BYTES);
    return formatHash(current, salt, await derive(password, salt, current, KEY_BYTES));
  };
  const verify = async (password: string, stored: string) => {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const candidate = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return timingSafeEqual(candidate, parsed.key);
  };
  return {
    hash,
    verify,
    needsRehash(stored) {
      const parsed = parseHash(stored);
      return !parsed || parsed.params.N !== current.N || parsed.params.r !== current.r || parsed.params.p !== current.p;
    },
    async verifyNothing(password) {
      decoy ??= hash(randomBytes(16).toString('hex'));
      await verify(password, await decoy);
    },
  };
}
