// `npm run backup` while the real server takes reports, then the restore docs/OPERATIONS.md
// describes: every report acknowledged before the backup began is in the restored server,
// and investigators still sign in with the server secret put back beside it.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseFile } from '../crash-soak/db-checks.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { BackupError, backupDatabase } from '../../scripts/backup.js';
import { ApiClient } from '../../web/client/api.js';
import { signIn } from '../../web/client/investigator.js';
import { deriveKeysForInstance, fetchInstanceConfig, openMailbox, type VerifiedConfig } from '../../web/client/reporter.js';
import { sodiumReady } from '../../web/protocol/index.js';
import { loadNodeServerSecret, serverSecretPath } from '../../worker/server-secret-node.js';
import { totpCodeAt } from '../../worker/totp.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

// Cheap mailbox KDF and no proof of work, so a few submitters in one process make real load;
// the intake cap is raised so none of them is told to wait.
const CHEAP_SERVER = {
  PARLEY_KDF_OPS_LIMIT: String(TEST_KDF.opsLimit),
  PARLEY_KDF_MEMORY_BYTES: String(TEST_KDF.memLimitBytes),
  PARLEY_WORK_BITS: '0',
  PARLEY_INTAKE_PER_MINUTE: '100000',
};
const SUBMITTERS = 4;
/** Acknowledged reports before the backup starts: enough to matter, few enough that they are all still in the WAL. */
const BEFORE_BACKUP = 24;

interface Acknowledged {
  reference: string;
  caseId: string;
  passphrase: string;
  whatHappened: string;
}

let dir: string;
let totpSecret: string;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  await sodiumReady();
  dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  const dbPath = join(dir, 'live', 'parley.sqlite');
  const database = openNodeDatabase(dbPath);
  ({ totpSecret } = await createOrganisation(database.db, { orgName: 'Unit', username: 'alice', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) }));
  database.close();
});
afterAll(async () => {
  for (const server of servers) await server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(dbPath: string): Promise<ServerProcess> {
  const server = await startServerProcess(dbPath, CHEAP_SERVER);
  servers.push(server);
  return server;
}

/** Submits reports one after another until told to stop, recording each one the server acknowledged. */
async function submitUntil(stop: { now: boolean }, api: ApiClient, config: VerifiedConfig, lane: number, acknowledged: Acknowledged[]): Promise<void> {
  for (let n = 0; !stop.now; n++) {
    const whatHappened = `lane ${lane} report ${n}`;
    const { passphrase, submission, receipt } = await fileReport(api, whatHappened, { config });
    acknowledged.push({ reference: receipt.reference, caseId: submission.caseId, passphrase, whatHappened });
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function referencesIn(dbPath: string): Map<string, string> {
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return new Map((sqlite.prepare('SELECT id, reference FROM cases').all() as { id: string; reference: string }[]).map((r) => [r.reference, r.id]));
  } finally {
    sqlite.close();
  }
}

describe('npm run backup', () => {
  it('backs up the running server under write load, and the documented restore brings back every acknowledged report', async () => {
    const livePath = join(dir, 'live', 'parley.sqlite');
    const live = await start(livePath);
    const api = new ApiClient(live.url);
    const config = await fetchInstanceConfig(api);

    // A reader holding its snapshot (as a long export or another backup does) keeps the
    // server's checkpoints from moving reports into parley.sqlite, so they are all in the WAL
    // when the backup runs: the case a plain copy gets wrong. Without it, what a plain copy
    // misses would depend on when the server last checkpointed.
    const pin = new Database(livePath, { readonly: true, fileMustExist: true });
    pin.exec('BEGIN');
    expect(pin.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 0 });

    const acknowledged: Acknowledged[] = [];
    const stop = { now: false };
    const lanes = Array.from({ length: SUBMITTERS }, (_, lane) => submitUntil(stop, api, config, lane, acknowledged));
    await until(() => acknowledged.length >= BEFORE_BACKUP, `${BEFORE_BACKUP} acknowledged reports`);

    // Everything acknowledged up to here must be in the backup. Beside it, the copy issue 11
    // warns about: `cp parley.sqlite` at the same moment.
    const beforeBackup = [...acknowledged];
    const plainCopyPath = join(dir, 'plain-copy', 'parley.sqlite');
    mkdirSync(join(dir, 'plain-copy'));
    copyFileSync(livePath, plainCopyPath);
    const backupPath = join(dir, 'backups', 'parley-test.sqlite');
    const cli = await run('npm', ['run', '--silent', 'backup', '--', '--out', backupPath], { cwd: ROOT, env: { ...process.env, PARLEY_DB: livePath } });
    const duringBackup = acknowledged.length - beforeBackup.length;
    pin.exec('COMMIT');
    pin.close();
    // Load goes on after the backup too, then stops with every submission answered.
    const afterBackupTarget = acknowledged.length + SUBMITTERS;
    await until(() => acknowledged.length >= afterBackupTarget, 'reports after the backup');
    stop.now = true;
    await Promise.all(lanes);
    await live.kill('SIGTERM');

    // The backup was taken under load, and says what it holds and what it does not.
    expect(duringBackup, 'reports acknowledged while the backup ran').toBeGreaterThan(0);
    expect(cli.stdout).toContain(backupPath);
    expect(cli.stdout).toContain('integrity_check ok');
    const backedUpCases = Number(/(\d+) cases/.exec(cli.stdout)?.[1]);
    expect(backedUpCases).toBeGreaterThanOrEqual(beforeBackup.length);
    expect(cli.stdout).toContain(`The server secret (${serverSecretPath(livePath)}) is NOT in this backup`);
    expect(cli.stdout).not.toContain('warning');
    expect(statSync(backupPath).mode & 0o077).toBe(0);

    // The plain copy passes integrity_check and still lacks every report it should hold.
    const plainCopy = await checkDatabaseFile(plainCopyPath);
    expect(plainCopy.integrity).toBe('ok');
    const inPlainCopy = referencesIn(plainCopyPath);
    expect(beforeBackup.filter((a) => inPlainCopy.has(a.reference))).toEqual([]);

    // The restore, as docs/OPERATIONS.md says: the backup at the PARLEY_DB path (no stale
    // -wal or -shm beside it, here a fresh directory) and the matching server-secret with it.
    const restoredPath = join(dir, 'restored', 'parley.sqlite');
    mkdirSync(join(dir, 'restored'), { mode: 0o700 });
    copyFileSync(backupPath, restoredPath);
    copyFileSync(serverSecretPath(livePath), serverSecretPath(restoredPath));
    expect(readdirSync(join(dir, 'restored')).sort()).toEqual(['parley.sqlite', 'server-secret']);

    // Every report acknowledged before the backup began is there, under its own case id;
    // nothing is there that was never acknowledged; the file is sound.
    const restored = referencesIn(restoredPath);
    const missing = beforeBackup.filter((a) => restored.get(a.reference) !== a.caseId).map((a) => a.reference);
    expect(missing, `of ${beforeBackup.length} reports acknowledged before the backup`).toEqual([]);
    expect(restored.size).toBe(backedUpCases);
    const everAcknowledged = new Set(acknowledged.map((a) => a.reference));
    expect([...restored.keys()].filter((reference) => !everAcknowledged.has(reference))).toEqual([]);
    const check = await checkDatabaseFile(restoredPath);
    expect(check.integrity).toBe('ok');
    expect(check.violations).toEqual([]);

    // Through the API: the restored server opens reporters' mailboxes, and an investigator signs in (TOTP needs the secret).
    const restoredServer = await start(restoredPath);
    const restoredApi = new ApiClient(restoredServer.url);
    const restoredConfig = await fetchInstanceConfig(restoredApi);
    const sample = [beforeBackup[0]!, beforeBackup[Math.floor(beforeBackup.length / 2)]!, beforeBackup.at(-1)!];
    for (const report of sample) {
      const mailbox = await openMailbox(restoredApi, deriveKeysForInstance(report.passphrase, restoredConfig, TEST_KDF));
      expect(mailbox.reference).toBe(report.reference);
      expect(mailbox.entries[0]).toMatchObject({ document: { whatHappened: report.whatHappened } });
    }
    const session = await signIn(restoredApi, { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, Date.now()) }, TEST_KDF);
    expect(session.username).toBe('alice');
    await restoredServer.kill('SIGTERM');
  });

  it('names the cause and leaves no file behind when it cannot back up', async () => {
    const out = join(dir, 'refused', 'copy.sqlite');
    expect(() => backupDatabase(join(dir, 'nowhere', 'parley.sqlite'), out)).toThrow(BackupError);
    expect(() => backupDatabase(join(dir, 'nowhere', 'parley.sqlite'), out)).toThrow(/^no_database: /);
    expect(existsSync(out)).toBe(false);

    const source = join(dir, 'live', 'parley.sqlite');
    const first = backupDatabase(source, out);
    expect(first.path).toBe(out);
    expect(() => backupDatabase(source, out)).toThrow(/^output_exists: /);
    expect(readdirSync(join(dir, 'refused'))).toEqual(['copy.sqlite']);

    // The CLI says the same, with a non-zero exit code.
    const failed = await run('npm', ['run', '--silent', 'backup', '--', '--out', out], { cwd: ROOT, env: { ...process.env, PARLEY_DB: source } }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Backup failed: output_exists:');
  });
});
