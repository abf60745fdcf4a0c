// A report submission spends its challenge in the report's own write (issue 16: one commit, one
// fsync, per report), and that must not make a challenge worth more: a refused submission
// still spends it, and of two submissions racing on one challenge only one lands.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64ToBytes, bytesToB64, sodiumReady, solveProofOfWork } from '../../web/protocol/index.js';
import { submitReport } from '../../web/client/reporter.js';
import type { Checkpoint } from '../../worker/deps.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, type TestApp } from '../support/test-app.js';
import { draftReport } from '../support/reports.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

const WORK_BITS = 8;

/** A fresh challenge with its work done, as the headers a client sends. */
async function paidChallenge(): Promise<Record<string, string>> {
  const { challenge } = (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string };
  return { 'parley-challenge': challenge, 'parley-work': bytesToB64(solveProofOfWork(b64ToBytes(challenge)!, WORK_BITS)) };
}

const post = (headers: Record<string, string>, body: unknown) =>
  t.app.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const outcome = async (res: Response) => `${res.status} ${res.ok ? '' : ((await res.json()) as { error: { code: string } }).error.code}`.trim();

const count = (table: string) => (t.database.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Commits in the WAL file: frames whose header records a database size (only a commit's last frame does). */
function walCommits(): number {
  const wal = readFileSync(`${t.dbPath}-wal`);
  if (wal.length === 0) return 0;
  const pageSize = wal.readUInt32BE(8);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) if (wal.readUInt32BE(at + 4) !== 0) commits++;
  return commits;
}

describe('a report and the spend of its challenge', () => {
  it('land in one commit', async () => {
    t = makeTestApp({ ...TEST_CONFIG, workBits: WORK_BITS });
    await addOrganisation(t, 'Unit', 'alice');
    const { submission } = await draftReport(t.api, 'one commit');
    const headers = await paidChallenge();
    t.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(walCommits()).toBe(0);
    expect(await outcome(await post(headers, submission))).toBe('201');
    expect(walCommits()).toBe(1);
    expect([count('cases'), count('challenges')]).toEqual([1, 1]);
    // The organisation's reporter-activity counter (staff notices) moved in that same commit.
    expect(t.database.sqlite.prepare('SELECT reporter_activity AS n FROM organisations').get()).toEqual({ n: 1 });
  });

  it('is spent by a submission refused after its work checked out: it cannot pay for another', async () => {
    t = makeTestApp({ ...TEST_CONFIG, workBits: WORK_BITS });
    await addOrganisation(t, 'Unit', 'alice');
    const headers = await paidChallenge();
    const forged = (await draftReport(t.api, 'forged')).submission;
    const sig = b64ToBytes(forged.report.signature)!;
    sig[0]! ^= 1;
    expect(await outcome(await post(headers, { ...forged, report: { ...forged.report, signature: bytesToB64(sig) } }))).toBe('400 invalid_body');
    expect(await outcome(await post(headers, (await draftReport(t.api, 'honest')).submission))).toBe('400 work_required');
    expect(await outcome(await post(headers, { not: 'a report' }))).toBe('400 work_required');
    expect(count('cases')).toBe(0);
    // A fresh challenge still gets the honest report in.
    expect((await submitReport(t.api, (await draftReport(t.api, 'honest')).submission)).reference).toMatch(/-/);
  });

  it('pays for one of two submissions racing on it: the other is refused and leaves nothing', async () => {
    let reach!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => (reach = r));
    const released = new Promise<void>((r) => (release = r));
    let held = false;
    t = makeTestApp({ ...TEST_CONFIG, workBits: WORK_BITS }, async (at: Checkpoint) => {
      if (at !== 'report:before-write' || held) return;
      held = true; // only the first is held, after every check and before its write
      reach();
      await released;
    });
    await addOrganisation(t, 'Unit', 'alice');
    const headers = await paidChallenge();
    const first = post(headers, (await draftReport(t.api, 'first')).submission);
    await reached;
    expect(await outcome(await post(headers, (await draftReport(t.api, 'second')).submission))).toBe('201');
    release();
    expect(await outcome(await first)).toBe('400 work_required');
    expect([count('cases'), count('messages'), count('challenges')]).toEqual([1, 1, 1]);
  });
});
