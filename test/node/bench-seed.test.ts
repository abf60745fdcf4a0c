// bench:scale's seeder makes rows the server itself would accept: deadlines as the server fixes
// them, casework consistent with them, an audit chain that verifies, and exactly the cases
// retention is to delete. A seeder that drifts from the server measures a different database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase, type NodeDatabase } from '../../db/open-node.js';
import { caseListWithSideReads, NO_DEADLINE_DAY } from '../../db/repo/cases.js';
import { createBenchDatabase, type BenchDatabase } from '../../bench/instance.js';
import { seedAuditChain, seedReports } from '../../bench/seed.js';
import { dueDays, nextDueDay, DEFAULT_DEADLINES, SETTLED_STATUSES } from '../../web/casework/deadlines.js';
import { CLOSED_STATUSES } from '../../web/casework/retention.js';
import { sodiumReady } from '../../web/protocol/index.js';
import { verifyAuditChain } from '../../worker/audit.js';
import { databaseFileStore } from '../../worker/file-store.js';
import { deleteDueCases } from '../../worker/retention.js';

const COUNT = 600;
const DUE_FOR_DELETION = 4;

interface SeededCase {
  id: string;
  status: string;
  received_day: string;
  ack_due_day: string;
  feedback_due_day: string;
  ack_day: string | null;
  feedback_day: string | null;
  closed_day: string | null;
  assigned_to: string | null;
}

describe('bench seeder', () => {
  let bench: BenchDatabase;
  let database: NodeDatabase;
  let rows: SeededCase[];

  beforeAll(async () => {
    await sodiumReady();
    bench = await createBenchDatabase('parley-seed-test-');
    seedReports(bench.dbPath, { orgId: bench.orgId, keyVersion: bench.org.keyVersion, count: COUNT, known: [], assignee: bench.admin.memberId, dueForDeletion: DUE_FOR_DELETION });
    await seedAuditChain(bench.dbPath, { orgId: bench.orgId, actorId: bench.admin.memberId, count: COUNT, caseIds: ['AAAAAAAAAAAAAAAAAAAAAA'] });
    database = openNodeDatabase(bench.dbPath);
    rows = database.sqlite.prepare('SELECT id, status, received_day, ack_due_day, feedback_due_day, ack_day, feedback_day, closed_day, assigned_to FROM cases').all() as SeededCase[];
  });
  afterAll(() => {
    database?.close();
    bench?.remove();
  });

  it('fixes every case’s due days from its received day, as the server does', () => {
    expect(rows).toHaveLength(COUNT);
    for (const row of rows) expect({ ackDueDay: row.ack_due_day, feedbackDueDay: row.feedback_due_day }).toEqual(dueDays(row.received_day, DEFAULT_DEADLINES));
  });

  it('gives each case key its case’s received day and next open deadline (migration 0009’s trigger fills them on insert)', () => {
    const keys = new Map((database.sqlite.prepare('SELECT case_id, received_day, due_day FROM case_keys').all() as { case_id: string; received_day: string; due_day: string }[]).map((k) => [k.case_id, k]));
    for (const row of rows) {
      const next = nextDueDay({ status: row.status, ackDueDay: row.ack_due_day, ackDay: row.ack_day, feedbackDueDay: row.feedback_due_day, feedbackDay: row.feedback_day });
      expect(keys.get(row.id)).toEqual({ case_id: row.id, received_day: row.received_day, due_day: next?.day ?? NO_DEADLINE_DAY });
    }
  });

  it('makes casework consistent with the deadlines: work after receipt, feedback after acknowledgement, closed days only on closed cases', () => {
    for (const row of rows) {
      if (row.ack_day !== null) expect(row.ack_day >= row.received_day).toBe(true);
      if (row.feedback_day !== null) expect(row.ack_day !== null && row.feedback_day >= row.ack_day).toBe(true);
      expect(row.closed_day !== null).toBe((CLOSED_STATUSES as readonly string[]).includes(row.status));
    }
  });

  it('spreads statuses, leaves some cases open, and assigns many', () => {
    const statuses = new Set(rows.map((row) => row.status));
    expect(statuses.size).toBeGreaterThanOrEqual(5);
    const open = rows.filter((row) => !(SETTLED_STATUSES as readonly string[]).includes(row.status));
    expect(open.length).toBeGreaterThan(COUNT * 0.05);
    expect(rows.filter((row) => row.assigned_to === bench.admin.memberId).length).toBeGreaterThan(COUNT * 0.5);
  });

  it('acknowledges nearly every case past its acknowledgement day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const pastDue = rows.filter((row) => row.ack_due_day < today);
    expect(pastDue.filter((row) => row.ack_day !== null).length).toBeGreaterThan(pastDue.length * 0.95);
    const { summary } = await caseListWithSideReads(database.db, bench.orgId, { sort: 'received', today, limit: 1, reader: 'nobody' });
    expect(summary.overdue).toBeLessThan(COUNT * 0.05);
  });

  it('appends an audit chain that verifies, after the entries already there', async () => {
    const verdict = await verifyAuditChain(database.db, bench.orgId);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.entries).toBeGreaterThan(COUNT);
  });

  it('leaves exactly the cases due for deletion that retention deletes', async () => {
    expect(await deleteDueCases({ db: database.db, files: databaseFileStore(database.db) }, Date.now(), 100)).toBe(DUE_FOR_DELETION);
  });
});
