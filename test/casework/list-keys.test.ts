// The case list's keys on each case key (migration 0009): the database keeps `received_day` and
// `due_day` equal to the case's received day and its next open deadline as the shared rule
// (web/casework/deadlines.ts nextDueDay) counts it, for every status and every state of the
// acknowledgement and feedback, on a new key, after any write to the case, and for the keys a
// database had before 0009. And the list, the deadline summary, the figures, the staff notices
// and retention read through an index: no statement scans a table of cases or sorts them all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNodeDatabase, type NodeDatabase } from '../../db/open-node.js';
import { caseListWithSideReads, NO_DEADLINE_DAY } from '../../db/repo/cases.js';
import { casesReceivedBetween } from '../../db/repo/figures.js';
import { hasDeadlineBy } from '../../db/repo/notices.js';
import { casesBeingDeleted, retentionCandidates } from '../../db/repo/retention.js';
import { CASE_STATUSES } from '../../db/schema.js';
import { nextDueDay } from '../../web/casework/deadlines.js';
import { migrateAll, migrateBefore } from '../support/migrations.js';
import { recordStatements, type RecordedStatement } from '../support/recorded-statements.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-list-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface CaseState { status: string; ackDay: string | null; feedbackDay: string | null }
const ACK_DUE = '2026-03-09';
const FEEDBACK_DUE = '2026-06-02';
/** Every status, with and without an acknowledgement and feedback. */
const STATES: CaseState[] = CASE_STATUSES.flatMap((status) => [null, '2026-03-04'].flatMap((ackDay) => [null, '2026-04-01'].map((feedbackDay) => ({ status, ackDay, feedbackDay }))));

const expectedDue = (s: CaseState) => nextDueDay({ ...s, ackDueDay: ACK_DUE, feedbackDueDay: FEEDBACK_DUE })?.day ?? NO_DEADLINE_DAY;

function addOrg(sqlite: Database.Database, id: string): void {
  sqlite.prepare("INSERT INTO organisations (id, name, box_public_key, sign_public_key, key_version, created_at) VALUES (?, ?, 'b', 's', 1, 0)").run(id, id);
}

function addCase(sqlite: Database.Database, id: string, received: string, s: CaseState, withKey = true): void {
  sqlite.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at, ack_due_day, feedback_due_day, ack_day, feedback_day) VALUES (?, ?, 'org1', ?, ?, ?, 0, ?, ?, ?, ?)")
    .run(id, `R-${id}`, s.status, received, received, ACK_DUE, FEEDBACK_DUE, s.ackDay, s.feedbackDay);
  if (withKey) addKey(sqlite, id, 'org1');
}

function addKey(sqlite: Database.Database, caseId: string, orgId: string): void {
  sqlite.prepare("INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key) VALUES (?, ?, 1, 'k')").run(caseId, orgId);
}

const keysOf = (sqlite: Database.Database, caseId: string) =>
  sqlite.prepare('SELECT org_id AS orgId, received_day AS receivedDay, due_day AS dueDay FROM case_keys WHERE case_id = ? ORDER BY org_id').all(caseId);

describe('the list keys follow the case', () => {
  let database: NodeDatabase;
  beforeEach(() => {
    database = openNodeDatabase(join(dir, 'parley.sqlite'));
    addOrg(database.sqlite, 'org1');
    addOrg(database.sqlite, 'org2');
  });
  afterEach(() => database.close());

  it('on a new key, for every status and state of acknowledgement and feedback', () => {
    STATES.forEach((s, i) => addCase(database.sqlite, `c${i}`, '2026-03-02', s));
    STATES.forEach((s, i) => expect(keysOf(database.sqlite, `c${i}`), JSON.stringify(s)).toEqual([{ orgId: 'org1', receivedDay: '2026-03-02', dueDay: expectedDue(s) }]));
    expect(new Set(STATES.map(expectedDue))).toEqual(new Set([ACK_DUE, FEEDBACK_DUE, NO_DEADLINE_DAY]));
  });

  it('after every write to the case, on every key it has (a unit that kept access included)', () => {
    STATES.forEach((s, i) => {
      addCase(database.sqlite, `c${i}`, '2026-03-02', s);
      addKey(database.sqlite, `c${i}`, 'org2');
    });
    // Each case moves to another state, and its received day to another day.
    const update = database.sqlite.prepare('UPDATE cases SET status = ?, ack_day = ?, feedback_day = ?, received_day = ? WHERE id = ?');
    STATES.forEach((_, i) => {
      const next = STATES[(i * 7 + 3) % STATES.length]!;
      update.run(next.status, next.ackDay, next.feedbackDay, '2026-03-05', `c${i}`);
      const expected = { receivedDay: '2026-03-05', dueDay: expectedDue(next) };
      expect(keysOf(database.sqlite, `c${i}`), JSON.stringify(next)).toEqual([{ orgId: 'org1', ...expected }, { orgId: 'org2', ...expected }]);
    });
    // A due day changed by hand moves the key too.
    database.sqlite.prepare("UPDATE cases SET status = 'received', ack_day = NULL, ack_due_day = '2026-03-20' WHERE id = 'c0'").run();
    expect(keysOf(database.sqlite, 'c0')).toMatchObject([{ dueDay: '2026-03-20' }, { dueDay: '2026-03-20' }]);
  });
});

it('migration 0009 gives the keys a database already had their case’s values', () => {
  const path = join(dir, 'old.sqlite');
  migrateBefore(dir, path, 9);
  const old = new Database(path);
  addOrg(old, 'org1');
  STATES.forEach((s, i) => {
    old.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at, ack_due_day, feedback_due_day, ack_day, feedback_day) VALUES (?, ?, 'org1', ?, ?, ?, 0, ?, ?, ?, ?)")
      .run(`c${i}`, `R-${i}`, s.status, `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`, '2026-03-01', ACK_DUE, FEEDBACK_DUE, s.ackDay, s.feedbackDay);
    old.prepare("INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key) VALUES (?, 'org1', 1, 'k')").run(`c${i}`);
  });
  old.close();
  const upgraded = migrateAll(path);
  try {
    STATES.forEach((s, i) => expect(keysOf(upgraded, `c${i}`)).toEqual([{ orgId: 'org1', receivedDay: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`, dueDay: expectedDue(s) }]));
  } finally {
    upgraded.close();
  }
});

describe('the reads of the list, the summary, the figures, the notices and retention', () => {
  it('use an index for every table of cases, and never sort all the cases a unit holds', async () => {
    const database = openNodeDatabase(join(dir, 'plans.sqlite'));
    try {
      addOrg(database.sqlite, 'org1');
      STATES.forEach((s, i) => addCase(database.sqlite, `c${i}`, '2026-03-02', s));
      const statements: RecordedStatement[] = [];
      recordStatements(database.sqlite, (statement) => statements.push(statement));
      const db = database.db;
      const today = '2026-03-10';
      for (const sort of ['received', 'due'] as const) {
        await caseListWithSideReads(db, 'org1', { sort, today, reader: 'm1', limit: 50 });
        await caseListWithSideReads(db, 'org1', { sort, today, reader: 'm1', limit: 50, after: { day: '2026-03-09', id: 'c3' } });
        await caseListWithSideReads(db, 'org1', { sort, today, reader: 'm1', limit: 50, due: 'overdue' });
        await caseListWithSideReads(db, 'org1', { sort, today, reader: 'm1', limit: 50, due: 'week' });
      }
      await casesReceivedBetween(db, 'org1', { from: '2026-03-01', to: '2026-03-31', limit: 50 });
      await casesReceivedBetween(db, 'org1', { from: '2026-03-01', to: '2026-03-31', limit: 50, after: { day: '2026-03-02', id: 'c3' } });
      await hasDeadlineBy(db, 'org1', today);
      const retentionFrom = statements.length;
      await retentionCandidates(db, { id: 'org1', keepClosedDays: 365, keepInactiveDays: 2190, timeZone: 'Europe/London' }, today, 25);
      await casesBeingDeleted(db, 25);
      const ran = [...statements]; // the EXPLAINs below are recorded too
      expect(ran.length).toBe(32); // each list page with its deadline summary and audit chain head (3 × 8), each figures page with its head (2 × 2), then 4 more
      // Retention's ranges: the closed rule by closing day (the reporter-day index would hold nearly every case), the interrupted deletions by their mark.
      const indexOf = (i: number) => (database.sqlite.prepare(`EXPLAIN QUERY PLAN ${ran[i]!.source}`).all(...ran[i]!.params) as { detail: string }[]).map((row) => row.detail).join('\n');
      expect(indexOf(retentionFrom)).toMatch(/USING INDEX cases_org_closed \(org_id=\? AND closed_day<\?\)/);
      expect(indexOf(retentionFrom + 1)).toMatch(/USING INDEX cases_org_reporter \(org_id=\? AND last_reporter_day<\?\)/);
      expect(indexOf(retentionFrom + 2)).toMatch(/USING (COVERING )?INDEX cases_cut_off/);
      for (const { source, params } of ran) {
        const plan = (database.sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map((row) => row.detail);
        // A full pass over a table that grows with the cases, or a sort of what it returns. A
        // sort is fine after a range of the due index: it sorts only the overdue or this week's.
        const dueRange = plan.some((detail) => /USING INDEX case_keys_org_due \(org_id=\? AND due_day[<>]/.test(detail));
        const growing = plan.filter((detail) => /^SCAN (cases|case_keys|mailboxes|messages)\b(?! USING)/.test(detail) || (/TEMP B-TREE/.test(detail) && !dueRange));
        expect(growing, `${source}\n${plan.join('\n')}`).toEqual([]);
      }
    } finally {
      database.close();
    }
  });
});
