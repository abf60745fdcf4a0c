// What a person signing in is told when their device's clock is off, and what it is not told:
// a code that fits the server's clock signs in however the device's clock reads; a code that
// fits only the device's clock, beyond the 30 s tolerance, is named a clock problem (with the
// difference in words a person reads); anything else is just wrong, and said the same way as
// for an unknown user. On Node, where the test moves the server's clock (docs/PROTOCOL.md §12).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { ApiClient, ApiRequestError } from '../../web/client/api.js';
import { signIn } from '../../web/client/investigator.js';
import { acceptInvite, confirmTotp, createInvite } from '../../web/client/admin.js';
import { totpCodeAt } from '../../worker/totp.js';
import { addOrganisation, makeTestApp, signInAs, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let totpSecret: string;
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp();
  ({ totpSecret } = await addOrganisation(t, 'Anti-Corruption Unit', 'alice'));
  // The start of a fresh TOTP step: a test clock starts on a step boundary and moves by whole steps.
  t.clock.now += 30_000;
});
afterEach(() => t.close());

const STEP = 30_000;

/** A device (and the phone beside it) whose clock reads `offsetMs` from the server's. */
const deviceOff = (offsetMs: number) => new ApiClient(t.api.baseUrl, t.fetch, () => t.clock.now + offsetMs);

async function answer(attempt: Promise<unknown>): Promise<{ status: number; code: string; message: string } | 'signed in'> {
  const outcome = await attempt.then(() => 'signed in' as const, (e: unknown) => e);
  if (outcome === 'signed in') return outcome;
  expect(outcome).toBeInstanceOf(ApiRequestError);
  const e = outcome as ApiRequestError;
  return { status: e.status, code: e.code, message: e.message };
}

const aliceWith = (api: ApiClient, totp: string, password = TEST_PASSWORD) => answer(signIn(api, { username: 'alice', password, totp }, TEST_KDF));

describe('a device whose clock is off', () => {
  it('still signs in when the code fits the server’s clock too (device 40 s fast, within one step)', async () => {
    expect(await aliceWith(deviceOff(40_000), totpCodeAt(totpSecret, t.clock.now))).toBe('signed in');
  });

  it('still signs in when the code fits the server’s clock too (device 40 s slow, within one step)', async () => {
    t.clock.now += 20_000; // two thirds into the step: 40 s earlier is the step before
    expect(await aliceWith(deviceOff(-40_000), totpCodeAt(totpSecret, t.clock.now))).toBe('signed in');
  });

  it('is told the clocks differ by about 1 minute, in the singular, when only the device’s clock fits the code', async () => {
    // The phone runs with the device, 50 s fast: its code is two steps ahead of the server's.
    const fast = deviceOff(50_000);
    expect(await aliceWith(fast, totpCodeAt(totpSecret, t.clock.now + 2 * STEP))).toEqual({
      status: 400,
      code: 'clock_skew',
      message:
        "The clock on this device and the server's differ by about 1 minute, so codes cannot match. Set this device and your phone to the right time automatically and try again; if they are right already, tell your administrator the server's clock is wrong.",
    });
  });

  it('is told about a slow clock too, with the difference in minutes', async () => {
    const slow = deviceOff(-5 * 60_000);
    expect(await aliceWith(slow, totpCodeAt(totpSecret, t.clock.now - 5 * 60_000))).toMatchObject({ status: 400, code: 'clock_skew', message: expect.stringContaining('differ by about 5 minutes,') });
  });

  it('within the 30 s tolerance, is told a code from a phone further ahead is wrong, not that the clock is', async () => {
    const refusal = await aliceWith(deviceOff(30_000), totpCodeAt(totpSecret, t.clock.now + 2 * STEP));
    expect(refusal).toMatchObject({ status: 401, code: 'unauthorised' });
    // One millisecond further off, the same code is a clock problem.
    t.clock.now += STEP;
    const further = await aliceWith(deviceOff(30_001), totpCodeAt(totpSecret, t.clock.now + 2 * STEP));
    expect(further).toMatchObject({ status: 400, code: 'clock_skew' });
  });

  it('gives a guesser with a wrong password no clock hint, even with a code that fits the device', async () => {
    const fast = deviceOff(3 * 60_000);
    expect(await aliceWith(fast, totpCodeAt(totpSecret, t.clock.now + 3 * 60_000), 'not the password')).toMatchObject({ status: 401, code: 'unauthorised' });
  });
});

describe('a known user with a wrong password or code', () => {
  it('is told exactly what an unknown user is told', async () => {
    const right = totpCodeAt(totpSecret, t.clock.now);
    const wrongCode = right === '000000' ? '111111' : '000000';
    const unknown = await answer(signIn(t.api, { username: 'mallory', password: TEST_PASSWORD, totp: right }, TEST_KDF));
    const wrongPassword = await aliceWith(t.api, right, 'not the password');
    const wrongTotp = await aliceWith(t.api, wrongCode);
    expect(unknown).toEqual({ status: 401, code: 'unauthorised', message: 'Username, password or code is wrong.' });
    expect(wrongPassword).toEqual(unknown);
    expect(wrongTotp).toEqual(unknown);
  });
});

describe('a new member confirming their authenticator', () => {
  it('cannot sign in before confirming, cannot confirm twice, and is told the confirm route’s own refusal', async () => {
    const admin = await signInAs(t, 'alice', totpSecret);
    const { token } = await createInvite(t.api, admin, { kind: 'member', role: 'investigator' });
    const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    t.clock.now += STEP;
    // Not confirmed yet: a right password and code do not sign in.
    expect(await answer(signIn(t.api, { username: 'carol', password: TEST_PASSWORD, totp: totpCodeAt(account.totp.secret, t.clock.now) }, TEST_KDF))).toMatchObject({ status: 401, code: 'unauthorised' });
    t.clock.now += STEP;
    const wrong = await answer(confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now) === '000000' ? '111111' : '000000'));
    expect(wrong).toEqual({ status: 401, code: 'unauthorised', message: 'That code did not confirm the account. Check the time on your phone and try the newest code.' });
    await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    t.clock.now += STEP;
    // Confirmed: the confirm route is closed to them, whatever code they bring.
    expect(await answer(confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now)))).toMatchObject({ status: 401, code: 'unauthorised' });
    expect(await answer(signIn(t.api, { username: 'carol', password: TEST_PASSWORD, totp: totpCodeAt(account.totp.secret, t.clock.now) }, TEST_KDF))).toBe('signed in');
  });
});
