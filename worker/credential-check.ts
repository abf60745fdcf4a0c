// The one check of a username, authentication key and TOTP code, for signing in and for
// confirming a new account's authenticator. The route has had the proof of work paid before it
// read the body (requireWorkPaid: no write before it); then the attempt is reserved against the
// username's throttle (atomic, so guesses stay bounded under any concurrency), then the account
// is checked. Every wrong part gets one answer. A good attempt lands in the route's own audited
// write, with the claim of its code's time step and the clearing of the throttle: one commit.
import { b64ToBytes, bytesToB64 } from '../web/protocol/encoding.js';
import { SIZES } from '../web/protocol/labels.js';
import { claimTotpStepSteps, memberSigningIn, type Member } from '../db/repo/members.js';
import type { Organisation } from '../db/repo/organisations.js';
import type { WriteStep } from '../db/atomic.js';
import { ApiError } from './errors.js';
import { secretsEqual, sha256 } from './server-crypto.js';
import { openWithServerSecret } from './server-secret.js';
import { acceptTotp } from './totp.js';
import { recordSuccessSteps, reserveAttempt, throttleKey } from './attempt-throttle.js';
import { isDeviceToken } from './device-token.js';
import type { ReadHead } from './audit.js';
import type { AppDeps } from './deps.js';


export interface CredentialAttempt {
  username: string;
  authKey: string;
  totp: string;
  /** From an earlier good sign-in on this device: throttled apart from strangers. */
  deviceToken?: string | undefined;
  /** The device's clock (ms), to tell a wrong clock from a wrong code. */
  clientTime?: number | undefined;
}

export const WORK_FOR_SIGN_IN = 'Signing in needs a fresh proof of work. Try again.';

/** Beyond this, a code made by the clock of the device may not match the server's (one 30 s step either side). */
const CLOCK_SKEW_TOLERANCE_MS = 30_000;

function clockSkew(skewMs: number): ApiError {
  const minutes = Math.max(1, Math.round(Math.abs(skewMs) / 60_000));
  return new ApiError(
    'clock_skew',
    `The clock on this device and the server's differ by about ${minutes} minute${minutes === 1 ? '' : 's'}, so codes cannot match. Set this device and your phone to the right time automatically and try again; if they are right already, tell your administrator the server's clock is wrong.`,
  );
}

/** An attempt whose password and code are right, and what its write must carry to land it. */
export interface CheckedCredentials {
  investigator: Member;
  /** The member's own organisation, read with them. */
  organisation: Organisation;
  /** Its audit chain's head, read with them too: the write that lands the attempt is audited (audited()'s readHeads). */
  auditHead: ReadHead;
  /**
   * The code's time step claimed (the write is refused with `refused` if a racing request
   * claimed it first: each code is accepted once) and the throttle cleared.
   */
  landingSteps: WriteStep[];
}

export async function checkCredentials(deps: AppDeps, attempt: CredentialAttempt, options: { totpConfirmed: boolean; refused: ApiError }): Promise<CheckedCredentials> {
  const now = deps.clock();
  const knownDevice = await isDeviceToken(deps.serverSecret, attempt.username, attempt.deviceToken);
  // By a hash of the name, known or not: no record of who tried.
  const throttle = await throttleKey(knownDevice ? 'sign_in_known_device' : 'sign_in', attempt.username);
  await reserveAttempt(deps.db, throttle, now, deps.config.signInThrottle);

  const found = await memberSigningIn(deps.db, attempt.username);
  const investigator = found?.member;
  // Unknown users are compared with a stand-in hash, so both paths do the same work.
  const expectedHash = b64ToBytes(investigator?.authKeyHash ?? bytesToB64(new Uint8Array(SIZES.sha256)))!;
  const keyMatches = await secretsEqual(await sha256(b64ToBytes(attempt.authKey)!), expectedHash);
  const totpSecret = investigator?.totpSecretEnc ? await openWithServerSecret(deps.serverSecret, investigator.totpSecretEnc, investigator.id) : null;
  const step = investigator && keyMatches && investigator.totpConfirmed === options.totpConfirmed && totpSecret ? acceptTotp(totpSecret, attempt.totp, now, investigator.totpLastStep) : null;
  // A right password with a code that fits the device's clock but not the server's: the
  // clocks differ, and saying so is what lets the person fix it. (A guesser learns nothing
  // from it they could use: it needs a fresh code, the second factor itself.)
  const clockSkewed =
    step === null && investigator && keyMatches && totpSecret && attempt.clientTime !== undefined &&
    Math.abs(attempt.clientTime - now) > CLOCK_SKEW_TOLERANCE_MS &&
    acceptTotp(totpSecret, attempt.totp, attempt.clientTime, investigator.totpLastStep) !== null;
  if (clockSkewed) throw clockSkew(attempt.clientTime! - now);
  // A right password with a code that is valid now but spent (each is accepted once): most often
  // the code that just confirmed a new account, still on the phone's screen. Saying so lets the
  // person wait for the next code instead of doubting their password. (As with the clocks, a
  // guesser learns nothing they could use: it needs a code from the authenticator itself.)
  const codeSpent =
    step === null && investigator && keyMatches && totpSecret && investigator.totpConfirmed === options.totpConfirmed &&
    acceptTotp(totpSecret, attempt.totp, now, -1) !== null;
  if (codeSpent) throw new ApiError('code_used', 'That code has been used already, and each code works once. Wait for the next code, then try again.');
  // A step is only ever accepted for a member who was found (see `step` above).
  if (step === null) throw options.refused;
  // An authenticator not yet confirmed is confirmed by the step that lands.
  const landingSteps = [...claimTotpStepSteps(deps.db, investigator!.id, step, !options.totpConfirmed, options.refused), ...recordSuccessSteps(deps.db, throttle)];
  return { investigator: investigator!, organisation: found!.organisation, auditHead: { orgId: found!.organisation.id, last: found!.auditHead }, landingSteps };
}
