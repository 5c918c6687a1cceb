import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorsOf, SIGN_IN, SIGN_UP, signUp, startAccounts, uniqueEmail, uniqueIp, type AccountsHarness } from './harness.ts';

const REFRESH = `mutation Refresh($token: String!) {
  refreshSession(refreshToken: $token) { accessToken refreshToken user { id role } }
}`;
const SIGN_OUT = 'mutation SignOut($token: String!) { signOut(refreshToken: $token) }';

let harness: AccountsHarness;
const MAX_FAILURES = 3;
const MAX_PER_IP = 6;

before(async () => {
  harness = await startAccounts({ signInMaxFailuresPerAccount: MAX_FAILURES, signInMaxAttemptsPerIp: MAX_PER_IP, signInWindowSeconds: 600 });
});

after(() => harness?.close());

/** Each call comes from a fresh client address unless one is given, so the per-IP limit only bites where a test wants it. */
const from = (ip = uniqueIp()) => harness.from(ip);

describe('signUp', () => {
  it('creates a CUSTOMER with a normalized email and returns tokens', async () => {
    const email = uniqueEmail('MiXeD');
    const result = await harness.post(SIGN_UP, { email: `  ${email.toUpperCase()} `, password: 'long enough', name: '  Dana ' }, await from());
    assert.equal(result.body.errors, undefined);
    const payload = result.body.data!.signUp;
    assert.deepEqual(payload.user, { id: payload.user.id, email: email.toLowerCase(), name: 'Dana', role: 'CUSTOMER' });
    assert.match(payload.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(payload.refreshToken, /^[\w-]{43}$/);
  });

  for (const [field, variables, pattern] of [
    ['input.email', { email: 'not-an-email', password: 'long enough', name: 'N' }, /email address/],
    ['input.password', { email: uniqueEmail(), password: 'short', name: 'N' }, /at least 8 characters/],
    ['input.name', { email: uniqueEmail(), password: 'long enough', name: '   ' }, /must not be empty/],
  ] as const) {
    it(`rejects a bad ${field} with BAD_USER_INPUT naming the field`, async () => {
      const result = await harness.post(SIGN_UP, variables, await from());
      assert.equal(result.body.data, null);
      const errors = errorsOf(result);
      assert.equal(errors?.length, 1);
      assert.match(errors![0]!.message, pattern);
      assert.deepEqual(errors![0]!.extensions, { code: 'BAD_USER_INPUT', field });
    });
  }

  it('refuses an email that is already taken, whatever its case, with CONFLICT', async () => {
    const existing = await signUp(harness);
    const result = await harness.post(SIGN_UP, { email: existing.email.toUpperCase(), password: 'another one', name: 'Copycat' }, await from());
    assert.equal(result.body.data, null);
    assert.equal(result.body.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.match(result.body.errors![0]!.message, /already exists/);
  });
});

describe('signIn', () => {
  it('signs in with the right password, in any letter case of the email', async () => {
    const user = await signUp(harness, 'Erin');
    const result = await harness.post(SIGN_IN, { email: user.email.toUpperCase(), password: user.password }, await from());
    assert.equal(result.body.errors, undefined);
    assert.deepEqual(result.body.data!.signIn.user, { id: user.id, email: user.email, name: 'Erin', role: 'CUSTOMER' });
    assert.notEqual(result.body.data!.signIn.refreshToken, user.refreshToken);
  });

  it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const user = await signUp(harness);
    const wrong = await harness.post(SIGN_IN, { email: user.email, password: 'wrong password' }, await from());
    const unknown = await harness.post(SIGN_IN, { email: uniqueEmail('nobody'), password: 'whatever123' }, await from());
    for (const result of [wrong, unknown]) {
      assert.equal(result.body.data, null);
      assert.deepEqual(
        result.body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })),
        [{ message: 'Invalid email or password.', code: 'UNAUTHENTICATED' }],
      );
    }
  });
});

describe('sign-in rate limits', () => {
  it(`pauses an account after ${MAX_FAILURES} failures, even with the right password, from any address`, async () => {
    const user = await signUp(harness);
    for (let i = 0; i < MAX_FAILURES; i++) {
      const result = await harness.post(SIGN_IN, { email: user.email, password: `wrong ${i}` }, await from());
      assert.equal(result.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    }
    const paused = await harness.post(SIGN_IN, { email: user.email, password: user.password }, await from());
    assert.equal(paused.body.data, null);
    const error = paused.body.errors?.[0];
    assert.equal(error?.extensions?.code, 'RATE_LIMITED');
    const retryAfter = error?.extensions?.retryAfter as number;
    // A sliding window forgets failures gradually: the wait is at most two windows.
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 1200, `retryAfter ${retryAfter}`);
  });

  it('clears the failure count of an account on a successful sign-in', async () => {
    const user = await signUp(harness);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < MAX_FAILURES - 1; i++) await harness.post(SIGN_IN, { email: user.email, password: 'wrong' }, await from());
      const ok = await harness.post(SIGN_IN, { email: user.email, password: user.password }, await from());
      assert.equal(ok.body.errors, undefined, `round ${round}`);
    }
  });

  it(`limits one client address to ${MAX_PER_IP} attempts, then answers RATE_LIMITED with retryAfter`, async () => {
    const ip = uniqueIp();
    const user = await signUp(harness);
    for (let i = 0; i < MAX_PER_IP; i++) {
      const result = await harness.post(SIGN_IN, { email: uniqueEmail(), password: 'guessing123' }, await from(ip));
      assert.equal(result.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `attempt ${i + 1}`);
    }
    const blocked = await harness.post(SIGN_IN, { email: user.email, password: user.password }, await from(ip));
    assert.equal(blocked.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(typeof blocked.body.errors?.[0]?.extensions?.retryAfter, 'number');
    const otherAddress = await harness.post(SIGN_IN, { email: user.email, password: user.password }, await from());
    assert.equal(otherAddress.body.errors, undefined);
  });

  it('takes the address from the gateway-signed token only, never from x-forwarded-for', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < MAX_PER_IP; i++) {
      await harness.post(SIGN_IN, { email: uniqueEmail(), password: 'guessing123' }, { ...(await from(ip)), 'x-forwarded-for': uniqueIp() });
    }
    const blocked = await harness.post(SIGN_IN, { email: uniqueEmail(), password: 'guessing123' }, { ...(await from(ip)), 'x-forwarded-for': uniqueIp() });
    assert.equal(blocked.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
  });

  it('limits a caller without the gateway token by its own address, whatever x-forwarded-for it sends', async () => {
    // Every test in this file signs its attempts with the gateway's key; only these come straight from 127.0.0.1.
    const direct = () => harness.post(SIGN_IN, { email: uniqueEmail(), password: 'guessing123' }, { 'x-forwarded-for': uniqueIp() });
    let last = await direct();
    for (let i = 0; i < MAX_PER_IP && last.body.errors?.[0]?.extensions?.code !== 'RATE_LIMITED'; i++) last = await direct();
    assert.equal(last.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
  });
});

describe('refreshSession', () => {
  it('spends the presented token and returns a new pair', async () => {
    const user = await signUp(harness);
    const first = await harness.post(REFRESH, { token: user.refreshToken });
    assert.equal(first.body.errors, undefined);
    const { refreshToken, accessToken, user: refreshedUser } = first.body.data!.refreshSession;
    assert.deepEqual(refreshedUser, { id: user.id, role: 'CUSTOMER' });
    assert.notEqual(refreshToken, user.refreshToken);
    assert.notEqual(accessToken, user.accessToken);
    const second = await harness.post(REFRESH, { token: refreshToken });
    assert.equal(second.body.errors, undefined);
  });

  it('treats a spent token presented again as theft: refuses it and revokes the whole session', async () => {
    const user = await signUp(harness);
    const rotated = await harness.post(REFRESH, { token: user.refreshToken });
    const successor = rotated.body.data!.refreshSession.refreshToken as string;

    const replay = await harness.post(REFRESH, { token: user.refreshToken });
    assert.equal(replay.body.data, null);
    assert.deepEqual(replay.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);

    const afterReplay = await harness.post(REFRESH, { token: successor });
    assert.deepEqual(afterReplay.body.errors?.map((e) => e.extensions?.code), ['UNAUTHENTICATED']);
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const user = await signUp(harness);
    const results = await Promise.all([harness.post(REFRESH, { token: user.refreshToken }), harness.post(REFRESH, { token: user.refreshToken })]);
    assert.equal(results.filter((r) => r.body.data?.refreshSession).length, 1);
  });

  it('keeps other sessions of the same user alive when one is revoked', async () => {
    const user = await signUp(harness);
    const other = await harness.post(SIGN_IN, { email: user.email, password: user.password }, await from());
    await harness.post(REFRESH, { token: user.refreshToken });
    await harness.post(REFRESH, { token: user.refreshToken });
    const otherRefresh = await harness.post(REFRESH, { token: other.body.data!.signIn.refreshToken });
    assert.equal(otherRefresh.body.errors, undefined);
  });

  it('refuses an unknown token', async () => {
    const result = await harness.post(REFRESH, { token: 'made-up-token' });
    assert.equal(result.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });
});

describe('signOut', () => {
  it('revokes the session: its latest refresh token stops working', async () => {
    const user = await signUp(harness);
    const rotated = await harness.post(REFRESH, { token: user.refreshToken });
    const latest = rotated.body.data!.refreshSession.refreshToken as string;
    const signOut = await harness.post(SIGN_OUT, { token: latest });
    assert.deepEqual(signOut.body, { data: { signOut: true } });
    const refresh = await harness.post(REFRESH, { token: latest });
    assert.equal(refresh.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it('answers false for a token it does not know', async () => {
    assert.deepEqual((await harness.post(SIGN_OUT, { token: 'unknown' })).body, { data: { signOut: false } });
  });
});

describe('the per-address limit at its defaults (1,000 attempts per 15 minutes)', () => {
  let defaults: AccountsHarness;
  before(async () => {
    defaults = await startAccounts();
  });
  after(() => defaults?.close());

  it('lets a crowd of 300 sign up from one carrier-NAT address, then stops a script there once 1,000 attempts are spent', async () => {
    const nat = uniqueIp();
    const headers = await defaults.from(nat);
    const codes = async (count: number, request: (i: number) => Promise<{ body: { errors?: { extensions?: Record<string, unknown> }[] } }>) => {
      const seen: Record<string, number> = {};
      for (let start = 0; start < count; start += 20) {
        const answers = await Promise.all(Array.from({ length: Math.min(20, count - start) }, (_, i) => request(start + i)));
        for (const answer of answers) {
          const code = String(answer.body.errors?.[0]?.extensions?.code ?? 'OK');
          seen[code] = (seen[code] ?? 0) + 1;
        }
      }
      return seen;
    };
    const crowd = await codes(300, (i) => defaults.post(SIGN_UP, { email: uniqueEmail(`nat-${i}`), password: 'long enough', name: 'Crowd' }, headers));
    assert.deepEqual(crowd, { OK: 300 });
    const script = await codes(701, () => defaults.post(SIGN_IN, { email: uniqueEmail(), password: 'guessing123' }, headers));
    assert.deepEqual(script, { UNAUTHENTICATED: 700, RATE_LIMITED: 1 });
  });
});
