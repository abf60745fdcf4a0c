// Signing in: password and TOTP both required; nothing tells an outsider which was wrong;
// a code works once; sessions end when idle, at their limit, at sign-out or by revocation;
// failures slow down one account without locking out anyone else.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { ApiClient, ApiRequestError } from '../../web/client/api.js';
import { listCases, signIn } from '../../web/client/investigator.js';
import { createInvite, acceptInvite, confirmTotp, listMembers, grantKeyring, revokeSessions } from '../../web/client/admin.js';
import { acceptTotp, newTotpSecret, totpCodeAt, totpUri } from '../../worker/totp.js';
import { addOrganisation, makeTestApp, signInAs, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let totpSecret: string;
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp();
  ({ totpSecret } = await addOrganisation(t, 'Anti-Corruption Unit', 'alice'));
});
afterEach(() => t.close());

async function refusal(attempt: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiRequestError);
  const e = error as ApiRequestError;
  return { status: e.status, code: e.code, message: e.message };
}

const code = (secret = totpSecret) => totpCodeAt(secret, t.clock.now);

describe('sign-in', () => {
  it('needs the password and a current TOTP code', async () => {
    t.clock.now += 30_000;
    const session = await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: code() }, TEST_KDF);
    expect(session.organisation.name).toBe('Anti-Corruption Unit');
  });

  it('refuses a wrong password, a wrong code and an unknown user identically', async () => {
    t.clock.now += 30_000;
    const wrongPassword = await refusal(signIn(t.api, { username: 'alice', password: 'not the password', totp: code() }, TEST_KDF));
    t.clock.now += 30_000;
    const wrongCode = await refusal(signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: String((Number(code()) + 1) % 1_000_000).padStart(6, '0') }, TEST_KDF));
    t.clock.now += 30_000;
    const unknownUser = await refusal(signIn(t.api, { username: 'mallory', password: TEST_PASSWORD, totp: code() }, TEST_KDF));
    expect(wrongPassword).toEqual({ status: 401, code: 'unauthorised', message: expect.any(String) });
    expect(wrongCode).toEqual(wrongPassword);
    expect(unknownUser).toEqual(wrongPassword);
  });

  it('refuses a replayed code, saying it was used (with the right password) or nothing more (with a wrong one)', async () => {
    t.clock.now += 30_000;
    const totp = code();
    await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp }, TEST_KDF);
    expect(await refusal(signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp }, TEST_KDF))).toEqual({
      status: 401, code: 'code_used', message: 'That code has been used already, and each code works once. Wait for the next code, then try again.',
    });
    expect(await refusal(signIn(t.api, { username: 'alice', password: 'not the password', totp }, TEST_KDF))).toMatchObject({ status: 401, code: 'unauthorised' });
    // The next step's code works.
    t.clock.now += 30_000;
    await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: code() }, TEST_KDF);
  });

  it('refuses a code watched over a shoulder for as long as the code stays valid, and gives no clock hint for it once it is old', async () => {
    t.clock.now += 30_000;
    const shownAt = t.clock.now;
    const totp = code();
    await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp }, TEST_KDF);
    const unknown = await refusal(signIn(t.api, { username: 'mallory', password: TEST_PASSWORD, totp }, TEST_KDF));
    // Later in the same 30 s step, and in the next step, when the server still accepts it (one step either side):
    // refused as spent. That answer is for the owner who signs in again with the code still on screen; it
    // needs the right password and a real code, as the clock hint does (docs/THREAT_MODEL.md).
    for (const later of [10_000, 30_000]) {
      t.clock.now = shownAt + later;
      expect(await refusal(signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp }, TEST_KDF))).toMatchObject({ status: 401, code: 'code_used' });
    }
    // Minutes later, from a device whose clock claims the moment it was shown: still just wrong. A
    // clock hint would tell the watcher the password was right.
    t.clock.now = shownAt + 5 * 60_000;
    const claimingThen = new ApiClient(t.api.baseUrl, t.fetch, () => shownAt);
    expect(await refusal(signIn(claimingThen, { username: 'alice', password: TEST_PASSWORD, totp }, TEST_KDF))).toEqual(unknown);
  });

  it('gives an unknown user the same kind of salt as a known one, stably', async () => {
    const ask = async (username: string) => ((await (await t.app.request('/api/investigator/prelogin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) })).json()) as { salt: string }).salt;
    const [known, unknown, unknownAgain] = [await ask('alice'), await ask('nobody'), await ask('nobody')];
    expect(unknown).toHaveLength(known.length);
    expect(unknownAgain).toBe(unknown);
  });

  it('slows down one account after repeated failures, without locking out others', async () => {
    const bob = await addOrganisation(t, 'Second Unit', 'bob');
    for (let i = 0; i < 5; i++) {
      t.clock.now += 1_000;
      expect((await refusal(signIn(t.api, { username: 'alice', password: 'wrong', totp: code() }, TEST_KDF))).code).toBe('unauthorised');
    }
    t.clock.now += 1_000;
    await refusal(signIn(t.api, { username: 'alice', password: 'wrong', totp: code() }, TEST_KDF));
    // Now alice must wait, even with the right password…
    expect(await refusal(signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: code() }, TEST_KDF))).toMatchObject({ status: 429, code: 'rate_limited' });
    // …while bob is not affected at all.
    t.clock.now += 30_000;
    await expect(signInAs(t, 'bob', bob.totpSecret)).resolves.toMatchObject({ username: 'bob' });
    // An unknown name is throttled the same way, so throttling does not reveal who exists.
    for (let i = 0; i < 6; i++) await refusal(signIn(t.api, { username: 'nobody', password: 'x', totp: '000000' }, TEST_KDF));
    expect(await refusal(signIn(t.api, { username: 'nobody', password: 'x', totp: '000000' }, TEST_KDF))).toMatchObject({ status: 429 });
    // And the wait ends.
    t.clock.now += 60_000;
    await expect(signInAs(t, 'alice', totpSecret)).resolves.toMatchObject({ username: 'alice' });
  });
});

describe('the authenticator secret', () => {
  // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890"; at T = 59 s the 8-digit code is 94287082.
  const rfcSecretBytes = new TextEncoder().encode('12345678901234567890');

  it('is the 160 bits the server’s random source gave, in the base32 an authenticator app takes, and shows RFC 6238’s codes', () => {
    const asked: number[] = [];
    const secret = newTotpSecret((n) => (asked.push(n), rfcSecretBytes.slice(0, n)));
    expect(asked).toEqual([20]);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totpCodeAt(secret, 59_000)).toBe('287082');
    expect(acceptTotp(secret, '287082', 59_000, 0)).toBe(1);
    // What the enrolment QR code holds: the app lists it as "Parley: carol".
    expect(totpUri(secret, 'carol')).toBe('otpauth://totp/Parley:carol?issuer=Parley&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=30');
  });

  it('turns away a code that is not six ASCII digits (full-width digits from a phone keyboard, say) as wrong, without throwing', () => {
    const secret = newTotpSecret((n) => rfcSecretBytes.slice(0, n));
    for (const typed of ['２８７０８２', '28708２', '287082\n', ' 287082']) expect(acceptTotp(secret, typed, 59_000, 0)).toBeNull();
  });
});

describe('sessions', () => {
  it('end when idle and at their absolute limit', async () => {
    const session = await signInAs(t, 'alice', totpSecret);
    t.clock.now += 31 * 60 * 1000;
    expect(await refusal(listCases(t.api, session))).toMatchObject({ status: 401, code: 'unauthorised' });
    const second = await signInAs(t, 'alice', totpSecret);
    // Kept busy, it still ends 12 hours after sign-in (24 × 29 min = 11 h 36 min, then past 12 h).
    for (let i = 0; i < 24; i++) {
      t.clock.now += 29 * 60 * 1000;
      await listCases(t.api, second);
    }
    t.clock.now += 29 * 60 * 1000;
    expect(await refusal(listCases(t.api, second))).toMatchObject({ status: 401 });
  });

  it('end when an administrator revokes them', async () => {
    const admin = await signInAs(t, 'alice', totpSecret);
    const { token } = await createInvite(t.api, admin, { kind: 'member', role: 'investigator' });
    const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    const member = (await listMembers(t.api, admin)).members.find((m) => m.username === 'carol')!;
    await grantKeyring(t.api, admin, member);
    const carol = await signInAs(t, 'carol', account.totp.secret);
    await listCases(t.api, carol);
    await revokeSessions(t.api, admin, member.id);
    expect(await refusal(listCases(t.api, carol))).toMatchObject({ status: 401, code: 'unauthorised' });
  });
});
