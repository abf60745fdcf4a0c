// Migration 0008 on a database made before it: every existing case gets its due days, its
// acknowledgement day (the unit's first message), its closing day and its reporter's last
// message; organisations get the default settings and their reporter-activity count. Nothing
// else changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_DEADLINES, dueDays } from '../../web/casework/deadlines.js';
import { migrateAll, migrateBefore } from '../support/migrations.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('backfills the casework columns of existing cases as the shared day arithmetic counts them', () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-0008-'));
  const path = join(dir, 'parley.sqlite');
  migrateBefore(dir, path, 8);
  const sqlite = new Database(path);
  sqlite.prepare("INSERT INTO organisations (id, name, box_public_key, sign_public_key, key_version, created_at) VALUES ('org1', 'Unit', 'b', 's', 1, 0)").run();
  const insertCase = sqlite.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) VALUES (?, ?, 'org1', ?, ?, ?, ?)");
  const insertMessage = sqlite.prepare("INSERT INTO messages (id, case_id, seq, role, org_id, envelope, signature, day) VALUES (?, ?, ?, ?, ?, 'e', 's', ?)");
  // Received on 30 November: feedback due on the last day of February, not 2 March.
  insertCase.run('open', 'AAAA-0001', 'assessing', '2026-11-30', '2026-12-05', Date.UTC(2026, 11, 2, 10));
  insertMessage.run('m1', 'open', 1, 'reporter', null, '2026-11-30');
  insertMessage.run('m2', 'open', 2, 'organisation', 'org1', '2026-12-01');
  insertMessage.run('m3', 'open', 3, 'organisation', 'org1', '2026-12-03');
  insertMessage.run('m4', 'open', 4, 'reporter', null, '2026-12-05');
  insertCase.run('closed', 'AAAA-0002', 'closed', '2026-01-31', '2026-01-31', Date.UTC(2026, 5, 15, 23, 59));
  insertMessage.run('m5', 'closed', 1, 'reporter', null, '2026-01-31');
  sqlite.close();

  const upgraded = migrateAll(path);
  const rows = upgraded.prepare('SELECT id, ack_due_day, feedback_due_day, ack_day, feedback_day, closed_day, last_reporter_seq, assigned_to FROM cases ORDER BY id').all();
  expect(rows).toEqual([
    { id: 'closed', ...snake(dueDays('2026-01-31', DEFAULT_DEADLINES)), ack_day: null, feedback_day: null, closed_day: '2026-06-15', last_reporter_seq: 1, assigned_to: null },
    { id: 'open', ...snake(dueDays('2026-11-30', DEFAULT_DEADLINES)), ack_day: '2026-12-01', feedback_day: null, closed_day: null, last_reporter_seq: 4, assigned_to: null },
  ]);
  expect(dueDays('2026-11-30', DEFAULT_DEADLINES).feedbackDueDay).toBe('2027-02-28');
  expect(upgraded.prepare('SELECT ack_days, feedback_months, keep_closed_days, keep_inactive_days, time_zone, reporter_activity FROM organisations').get())
    .toEqual({ ack_days: 7, feedback_months: 3, keep_closed_days: 365, keep_inactive_days: 2190, time_zone: 'Europe/London', reporter_activity: 3 });
  expect(upgraded.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 5 });
  upgraded.close();
});

function snake(due: { ackDueDay: string; feedbackDueDay: string }) {
  return { ack_due_day: due.ackDueDay, feedback_due_day: due.feedbackDueDay };
}
