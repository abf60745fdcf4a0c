// A signed-in member's bearer token, as a thief or a careless client would present it, and
// the exact moments a session ends: at 30 minutes idle, at 12 hours whatever the use, and the
// idle clock moved at most once a minute. On Node, where the test moves the server's clock.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { sodiumReady } from '../../web/protocol/index.js';
import { members } from '../../db/schema.js';
import { signOut, type InvestigatorSession } from '../../web/client/investigator.js';
import { addOrganisation, makeTestApp, signInAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
let alice: InvestigatorSession;
let totpSecret: string;
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp();
  ({ totpSecret } = await addOrganisation(t, 'Anti-Corruption Unit', 'alice'));
  alice = await signInAs(t, 'alice', totpSecret);
});
afterEach(() => t.close());

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;
const ABSOLUTE = 12 * 60 * MINUTE;

/** What listing cases (or another investigator route) answers with this Authorization header (or none). */
async function casesWith(authorization?: string, path = '/api/investigator/cases'): Promise<string> {
  const res = await t.fetch(`${t.api.baseUrl}${path}`, { headers: authorization === undefined ? {} : { authorization } });
  if (res.ok) return `${res.status}`;
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  return `${res.status} ${error.code}: ${error.message}`;
}

const SIGN_IN = '401 unauthorised: Sign in to continue.';
const ENDED = '401 unauthorised: Your session has ended. Sign in again.';

describe('a bearer token', () => {
  it('opens the cases only when sent exactly as "Bearer <token>"', async () => {
    expect(await casesWith(`Bearer ${alice.token}`)).toBe('200');
    // A client that sends nothing, another scheme, or the token wrapped in anything is asked to sign in.
    expect(await casesWith()).toBe(SIGN_IN);
    expect(await casesWith(`Basic ${alice.token}`)).toBe(SIGN_IN);
    expect(await casesWith(`XBearer ${alice.token}`)).toBe(SIGN_IN);
    expect(await casesWith(`Bearer ${alice.token}.`)).toBe(SIGN_IN);
    expect(await casesWith(`Bearer ${alice.token} ${alice.token}`)).toBe(SIGN_IN);
  });

  it('of the wrong length is not looked up: the client is asked to sign in, not told a session ended', async () => {
    // base64url of 31 and 33 bytes: well-formed, but no server ever issues them.
    expect(await casesWith(`Bearer ${'A'.repeat(42)}`)).toBe(SIGN_IN);
    expect(await casesWith(`Bearer ${'A'.repeat(44)}`)).toBe(SIGN_IN);
    // 41 characters decode to no whole number of bytes at all.
    expect(await casesWith(`Bearer ${'A'.repeat(41)}`)).toBe(SIGN_IN);
    // 32 bytes nobody was given: looked up, not found.
    expect(await casesWith(`Bearer ${'A'.repeat(43)}`)).toBe(ENDED);
  });

  it('signed out opens nothing, while the same member’s other session goes on', async () => {
    const second = await signInAs(t, 'alice', totpSecret);
    await signOut(t.api, alice);
    expect(await casesWith(`Bearer ${alice.token}`)).toBe(ENDED);
    expect(await casesWith(`Bearer ${second.token}`)).toBe('200');
  });

  it('of a member removed while it was live opens nothing', async () => {
    await t.database.db.update(members).set({ removedAt: t.clock.now }).where(eq(members.username, 'alice'));
    expect(await casesWith(`Bearer ${alice.token}`)).toBe(ENDED);
  });
});

describe('a session', () => {
  it('ends at exactly 30 minutes idle, and the ended session is forgotten', async () => {
    const bearer = `Bearer ${alice.token}`;
    t.clock.now += IDLE - 1;
    expect(await casesWith(bearer)).toBe('200');
    t.clock.now += IDLE;
    expect(await casesWith(bearer)).toBe(ENDED);
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    // Going back in time does not bring it back.
    t.clock.now -= IDLE;
    expect(await casesWith(bearer)).toBe(ENDED);
  });

  it('counts idle time from the last minute it was touched: use within a minute does not move it', async () => {
    const bearer = `Bearer ${alice.token}`;
    const signedInAt = t.clock.now;
    t.clock.now = signedInAt + MINUTE - 1;
    expect(await casesWith(bearer)).toBe('200');
    // That use was within the minute: idle time still counts from sign-in.
    t.clock.now = signedInAt + IDLE;
    expect(await casesWith(bearer)).toBe(ENDED);
  });

  it('is touched by a use a full minute after the last touch', async () => {
    const bearer = `Bearer ${alice.token}`;
    const signedInAt = t.clock.now;
    t.clock.now = signedInAt + MINUTE;
    expect(await casesWith(bearer)).toBe('200');
    t.clock.now = signedInAt + MINUTE + IDLE - 1;
    expect(await casesWith(bearer)).toBe('200');
  });

  it('ends at exactly 12 hours after sign-in, however busy', async () => {
    const bearer = `Bearer ${alice.token}`;
    const signedInAt = t.clock.now;
    for (let minutes = 29; minutes < 12 * 60; minutes += 29) {
      t.clock.now = signedInAt + minutes * MINUTE;
      expect(await casesWith(bearer)).toBe('200');
    }
    t.clock.now = signedInAt + ABSOLUTE - 1;
    expect(await casesWith(bearer)).toBe('200');
    t.clock.now = signedInAt + ABSOLUTE;
    expect(await casesWith(bearer)).toBe(ENDED);
  });

  it('still reads while another process holds the database: the idle clock that cannot move is no reason to refuse', async () => {
    const bearer = `Bearer ${alice.token}`;
    t.clock.now += 5 * MINUTE; // a touch is due
    const other = new Database(t.dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      // Listing cases is audited (a write); listing one's keyrings is a pure read.
      expect(await casesWith(bearer, '/api/investigator/keyrings')).toBe('200');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The touch did not land, so idle time still counts from sign-in.
    t.clock.now += IDLE - 5 * MINUTE;
    expect(await casesWith(bearer)).toBe(ENDED);
  });
});
