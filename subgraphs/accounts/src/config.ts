import { intOr, readServiceConfig, stringOr, type Env, type ServiceConfig } from '@shop/platform';

export interface AccountsConfig extends ServiceConfig {
  /** `iss` of the access tokens this service signs. */
  readonly jwtIssuer: string;
  /** `aud` of the access tokens: the gateway, which is the only verifier. */
  readonly jwtAudience: string;
  /** Lifetime of an access token, in seconds. */
  readonly accessTokenTtlSeconds: number;
  /** Lifetime of a refresh token, in days (each refresh issues a new one with a fresh lifetime). */
  readonly refreshTokenTtlDays: number;
  /** log2 of scrypt's cost parameter N for new password hashes; existing hashes are upgraded on sign-in. */
  readonly passwordHashCost: number;
  /** Failed sign-ins per account (email) allowed in one window before the account is paused. */
  readonly signInMaxFailuresPerAccount: number;
  /** Sign-in and sign-up attempts allowed per client IP in one window. */
  readonly signInMaxAttemptsPerIp: number;
  /** Length of the rate-limit window, in seconds. */
  readonly signInWindowSeconds: number;
}

/** The settings `createServer` needs beyond its dependencies; tests override some (a cheaper hash, lower limits). */
export type AccountsSettings = Pick<
  AccountsConfig,
  | 'jwtIssuer'
  | 'jwtAudience'
  | 'accessTokenTtlSeconds'
  | 'refreshTokenTtlDays'
  | 'passwordHashCost'
  | 'signInMaxFailuresPerAccount'
  | 'signInMaxAttemptsPerIp'
  | 'signInWindowSeconds'
>;

export const DEFAULT_SETTINGS: AccountsSettings = Object.freeze({
  jwtIssuer: 'https://accounts.shop.local',
  jwtAudience: 'shop-gateway',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlDays: 30,
  passwordHashCost: 17,
  signInMaxFailuresPerAccount: 5,
  signInMaxAttemptsPerIp: 1_000,
  signInWindowSeconds: 900,
});

/** The only place the accounts service reads its environment. */
export function readConfig(env: Env): AccountsConfig {
  const d = DEFAULT_SETTINGS;
  const service = readServiceConfig(env, 'accounts', 4001);
  return Object.freeze({
    ...service,
    jwtIssuer: stringOr(env, 'JWT_ISSUER', d.jwtIssuer),
    jwtAudience: stringOr(env, 'JWT_AUDIENCE', d.jwtAudience),
    accessTokenTtlSeconds: intOr(env, 'ACCESS_TOKEN_TTL_SECONDS', d.accessTokenTtlSeconds, { min: 30, max: 3600 }),
    refreshTokenTtlDays: intOr(env, 'REFRESH_TOKEN_TTL_DAYS', d.refreshTokenTtlDays, { min: 1, max: 365 }),
    // OWASP's minimum for scrypt is N = 2^17; below 2^14 is not offered outside
    // tests. Test stacks sign hundreds of users up on a 2-core machine: 2^10
    // hashes in about 2 ms where 2^14 takes 35 ms (measured 2026-12-02).
    passwordHashCost: intOr(env, 'PASSWORD_HASH_COST', d.passwordHashCost, { min: service.nodeEnv === 'test' ? 10 : 14, max: 20 }),
    signInMaxFailuresPerAccount: intOr(env, 'SIGN_IN_MAX_FAILURES_PER_ACCOUNT', d.signInMaxFailuresPerAccount, { min: 1 }),
    signInMaxAttemptsPerIp: intOr(env, 'SIGN_IN_MAX_ATTEMPTS_PER_IP', d.signInMaxAttemptsPerIp, { min: 1 }),
    signInWindowSeconds: intOr(env, 'SIGN_IN_WINDOW_SECONDS', d.signInWindowSeconds, { min: 1, max: 86_400 }),
  });
}
