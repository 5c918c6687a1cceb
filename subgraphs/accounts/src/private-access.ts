import { canActFor, type Viewer } from '@shop/platform';

/**
 * Who may read a user's private fields (email, addresses) in this request:
 * the user themself and ADMINs, per the gateway's viewer, plus a user who
 * has just proven their credentials in this request (sign-up, sign-in,
 * refresh), whose AuthPayload shows their own email although the request
 * arrived anonymous. Built per request; never shared.
 */
export interface PrivateAccess {
  allows(userId: string): boolean;
  /** Records that the caller proved to be `userId` in this request. */
  grant(userId: string): void;
}

export function createPrivateAccess(viewer: Viewer | null): PrivateAccess {
  const proven = new Set<string>();
  return {
    allows: (userId) => canActFor(viewer, userId) || proven.has(userId),
    grant: (userId) => void proven.add(userId),
  };
}
