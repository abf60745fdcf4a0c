// The terms of the proof of work as a reporter's client meets them, to the bit and to the
// second: how long a challenge lives, how much work is enough, how long difficulty stays raised
// after a flood, how long a report past the hard cap is asked to wait, and how long a spent
// challenge is remembered (to the end of its day: long enough that it cannot be replayed, no
// finer than the day). On Node, where the test moves the server's clock.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64ToBytes, bytesToB64, leadingZeroBits, mailboxProofHeaders, sodiumReady, type MailboxKeys } from '../../web/protocol/index.js';
import { workInput, WORK_HEADER, WORK_NONCE_BYTES } from '../../web/protocol/work-puzzle.js';
import { openMailbox } from '../../web/client/reporter.js';
import { runScheduledWork } from '../../worker/scheduled.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, type TestApp } from '../support/test-app.js';
import { draftReport, fileReport } from '../support/reports.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

async function start(overrides: Partial<typeof TEST_CONFIG> = {}): Promise<void> {
  t = makeTestApp({ ...TEST_CONFIG, ...overrides });
  await addOrganisation(t, 'Unit', 'alice');
}

async function challenge(): Promise<{ challenge: string; expiresInSeconds: number; workBits: number }> {
  return (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string; expiresInSeconds: number; workBits: number };
}

/** A nonce whose work has exactly `bits` leading zero bits: just enough, or just short. */
async function nonceWithExactly(challengeB64: string, bits: number): Promise<string> {
  const c = b64ToBytes(challengeB64)!;
  for (;;) {
    const nonce = crypto.getRandomValues(new Uint8Array(WORK_NONCE_BYTES));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', workInput(c, nonce) as Uint8Array<ArrayBuffer>));
    if (leadingZeroBits(digest) === bits) return bytesToB64(nonce);
  }
}

/** A nonce one byte short whose work nonetheless has the zero bits asked: only its length is wrong. */
async function shortNonceWithEnoughWork(challengeB64: string, bits: number): Promise<string> {
  const c = b64ToBytes(challengeB64)!;
  for (;;) {
    const nonce = crypto.getRandomValues(new Uint8Array(WORK_NONCE_BYTES - 1));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', workInput(c, nonce) as Uint8Array<ArrayBuffer>));
    if (leadingZeroBits(digest) >= bits) return bytesToB64(nonce);
  }
}

/** Opens the mailbox by hand with this challenge and work header; the answer's status and code. */
async function openWith(keys: MailboxKeys, challengeB64: string, work?: string): Promise<string> {
  const headers = { ...mailboxProofHeaders(keys, b64ToBytes(challengeB64)!, 'GET', '/api/mailbox', new Uint8Array(0)), ...(work === undefined ? {} : { [WORK_HEADER]: work }) };
  const res = await t.app.request('/api/mailbox', { headers });
  return `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? 'ok'}`;
}

describe('a challenge', () => {
  it('tells the client how long it lives and how much work it asks', async () => {
    await start({ workBits: 4, challengeTtlMs: 90_500 });
    expect(await challenge()).toMatchObject({ expiresInSeconds: 90, workBits: 4 });
  });

  it('is paid by work with exactly the leading zero bits asked, and not by one bit fewer, a short nonce or none', async () => {
    await start({ workBits: 4 });
    const { keys } = await fileReport(t.api, 'report');
    const short = await challenge();
    const tooLittle = await t.app.request('/api/mailbox', { headers: { ...mailboxProofHeaders(keys, b64ToBytes(short.challenge)!, 'GET', '/api/mailbox', new Uint8Array(0)), [WORK_HEADER]: await nonceWithExactly(short.challenge, 3) } });
    // The client is told to do new work, not that the passphrase failed.
    expect({ status: tooLittle.status, ...((await tooLittle.json()) as { error: object }).error }).toEqual({ status: 400, code: 'work_required', message: 'The proof of work is missing or too weak. Reload and try again.' });
    const truncated = await challenge();
    expect(await openWith(keys, truncated.challenge, await shortNonceWithEnoughWork(truncated.challenge, 4))).toBe('400 work_required');
    const missing = await challenge();
    expect(await openWith(keys, missing.challenge)).toBe('400 work_required');
    const exact = await challenge();
    expect(await openWith(keys, exact.challenge, await nonceWithExactly(exact.challenge, 4))).toBe('200 ok');
  });

  it('once spent is remembered until the end of the day its expiry falls in: housekeeping cannot reopen it for replay', async () => {
    await start({ workBits: 4 });
    const { keys } = await fileReport(t.api, 'report');
    // Issued a minute before midnight: it expires the next day.
    t.clock.now = Date.UTC(2026, 10, 22, 23, 59, 0);
    const late = await challenge();
    const work = await nonceWithExactly(late.challenge, 4);
    expect(await openWith(keys, late.challenge, work)).toBe('200 ok');
    const kept = t.database.sqlite.prepare('SELECT expires_at AS keepUntil FROM challenges').all() as { keepUntil: number }[];
    expect(kept).toContainEqual({ keepUntil: Date.UTC(2026, 10, 24) });
    // Housekeeping runs while the challenge is still live; a replay of the same request is refused.
    t.clock.now += 30_000;
    await runScheduledWork({ db: t.database.db, config: TEST_CONFIG, files: t.files }, t.clock.now);
    expect(await openWith(keys, late.challenge, work)).toBe('401 mailbox_proof_failed');
  });
});

describe('difficulty after a flood', () => {
  it('stays raised into the next minute, fading as it goes, and is gone after a quiet minute', async () => {
    await start({ workBits: 4, intakePerMinute: 2 });
    t.clock.now = Date.UTC(2026, 10, 22, 12, 0, 0);
    for (let i = 0; i < 3; i++) await fileReport(t.api, `flood ${i}`);
    expect((await challenge()).workBits).toBe(6);
    // The next minute counts the last one's three in full at its start, then less and less.
    t.clock.now = Date.UTC(2026, 10, 22, 12, 1, 0);
    expect((await challenge()).workBits).toBe(6);
    t.clock.now = Date.UTC(2026, 10, 22, 12, 1, 10); // 3 × 5/6 = 2.5: still over the cap of 2
    expect((await challenge()).workBits).toBe(6);
    t.clock.now = Date.UTC(2026, 10, 22, 12, 1, 30); // 3 × 1/2 = 1.5: under it
    expect((await challenge()).workBits).toBe(4);
  });

  it('is forgotten when a whole quiet minute has passed', async () => {
    await start({ workBits: 4, intakePerMinute: 2 });
    t.clock.now = Date.UTC(2026, 10, 22, 12, 0, 0);
    for (let i = 0; i < 3; i++) await fileReport(t.api, `flood ${i}`);
    t.clock.now = Date.UTC(2026, 10, 22, 12, 2, 0);
    expect((await challenge()).workBits).toBe(4);
  });
});

describe('a report past the hard cap', () => {
  it('is told to come back at the next minute, to the second', async () => {
    await start({ intakePerMinute: 1 });
    t.clock.now = Date.UTC(2026, 10, 22, 12, 0, 45, 500);
    for (let i = 0; i < 8; i++) await fileReport(t.api, `flood ${i}`);
    const { submission } = await draftReport(t.api, 'one too many');
    const refused = await t.app.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('15');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Many reports are arriving right now. Yours is safe on your device: try again in 15 seconds.');
  });
});

describe('a full disk', () => {
  it('does not keep a reporter out: the spent challenge cannot be remembered, the mailbox opens anyway', async () => {
    await start({ workBits: 4 });
    const { keys } = await fileReport(t.api, 'before the disk filled');
    const sqlite = t.database.sqlite;
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.exec('VACUUM');
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    const spent = () => (sqlite.prepare('SELECT COUNT(*) AS n FROM challenges').get() as { n: number }).n;
    const before = spent();
    const visits = 150;
    for (let i = 0; i < visits; i++) await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
    // The disk refused to remember some of those spent challenges, and the reporter got in each time.
    expect(spent() - before).toBeLessThan(visits);
  });
});
