// `npm start` refuses, in words and without a stack trace, to start on what would lose data or
// fail every request later: a server secret that is not the database's, a missing secret file,
// a database it cannot write or whose pages are damaged, a port already taken. `npm run doctor`
// finds the same conditions without starting the server. Real child processes, real SQLite.
import { chmodSync, chownSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../db/open-node.js';
import { getSetting } from '../../db/repo/instance.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { loadNodeServerSecret, serverSecretPath } from '../../worker/server-secret-node.js';
import { SERVER_SECRET_CHECK_SETTING } from '../../worker/server-secret-check.js';
import { bytesToB64, sodiumReady } from '../../web/protocol/index.js';
import { runToExit, startServerProcess, type FinishedProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';

const ENTRY = join('worker', 'entry-node.ts');
const DOCTOR = join('scripts', 'doctor.ts');
// Root ignores permission bits, so as root the server runs as nobody, as a service user would.
const RUNNING_AS_ROOT = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
/** Whether a user other than the owner may pass through every folder down to `path`. */
function othersCanEnter(path: string): boolean {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return false;
    if (folder === dirname(folder)) return true;
  }
}
// nobody must reach the project's code to run it: a clone inside a folder only root may enter
// (mktemp -d makes one, 0700) cannot run these two checks as root, and says so instead of failing.
const NOBODY_CANNOT_RUN_PARLEY = RUNNING_AS_ROOT && !othersCanEnter(process.cwd());
if (NOBODY_CANNOT_RUN_PARLEY) console.warn(`startup-refusals: skipping the two checks that run Parley as nobody: ${process.cwd()} or a folder above it is closed to other users (chmod o+x it to run them).`);

let dir: string;
let dbPath: string;
let server: ServerProcess | undefined;
beforeAll(() => sodiumReady());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-refusals-'));
  dbPath = join(dir, 'parley.sqlite');
});
afterEach(async () => {
  await server?.kill();
  server = undefined;
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

const newSecret = () => crypto.getRandomValues(new Uint8Array(32));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A database with one organisation whose administrator's TOTP secret is sealed under `serverSecret`. */
async function databaseWithAccount(serverSecret: Uint8Array): Promise<void> {
  const database = openNodeDatabase(dbPath);
  await createOrganisation(database.db, { orgName: 'Unit', username: 'alice', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret });
  database.close();
}

/** The refusal as an operator sees it: one line naming the cause and the fix, exit code 1, no stack trace. */
function expectRefusal(run: FinishedProcess, cause: RegExp, fix: RegExp): void {
  expect(run.output).toMatch(/^Parley did not start\. /);
  expect(run.output).toMatch(cause);
  expect(run.output).toMatch(fix);
  expect(run.output).not.toMatch(/^\s+at /m);
  expect(run.code).toBe(1);
}

describe('the server secret', () => {
  it('is refused when it does not open the sealed TOTP secrets of a database from before check values', async () => {
    await databaseWithAccount(newSecret());
    const run = await runToExit(ENTRY, dbPath, { PARLEY_SERVER_SECRET: bytesToB64(newSecret()) });
    expectRefusal(run, new RegExp(`The server secret \\(from PARLEY_SERVER_SECRET\\) is not the one the database ${escaped(dbPath)} was set up with`), /Set PARLEY_SERVER_SECRET to the secret this database was set up with/);
  });

  it('is remembered from the first start, before any account exists, and another one is refused', async () => {
    const first = bytesToB64(newSecret());
    server = await startServerProcess(dbPath, { PARLEY_SERVER_SECRET: first });
    await server.kill();
    const run = await runToExit(ENTRY, dbPath, { PARLEY_SERVER_SECRET: bytesToB64(newSecret()) });
    expectRefusal(run, /The server secret \(from PARLEY_SERVER_SECRET\) is not the one/, /Set PARLEY_SERVER_SECRET/);
    // The right one still starts.
    server = await startServerProcess(dbPath, { PARLEY_SERVER_SECRET: first });
  });

  it('is recorded on an older database whose sealed secrets it opens, and a replaced secret file is then refused', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, undefined));
    server = await startServerProcess(dbPath);
    await server.kill();
    const database = openNodeDatabase(dbPath);
    expect(await getSetting(database.db, SERVER_SECRET_CHECK_SETTING)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    database.close();
    writeFileSync(serverSecretPath(dbPath), `${bytesToB64(newSecret())}\n`);
    const run = await runToExit(ENTRY, dbPath);
    expectRefusal(run, new RegExp(`The server secret \\(from the file ${escaped(serverSecretPath(dbPath))}\\) is not the one`), /Put the server-secret file that belongs to this database back at/);
  });

  it('is not made anew when its file is missing beside a database that already has accounts', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, undefined));
    unlinkSync(serverSecretPath(dbPath));
    const run = await runToExit(ENTRY, dbPath);
    expectRefusal(
      run,
      new RegExp(`The server secret file ${escaped(serverSecretPath(dbPath))} is missing, but the database ${escaped(dbPath)} was already set up with a server secret`),
      new RegExp(`Restore the server-secret file that belongs to this database to ${escaped(serverSecretPath(dbPath))} \\(from your backup\\), or set PARLEY_SERVER_SECRET`),
    );
    expect(existsSync(serverSecretPath(dbPath))).toBe(false);
  });
});

describe('the database file', () => {
  const secret = bytesToB64(newSecret());

  it.skipIf(NOBODY_CANNOT_RUN_PARLEY)('is refused when the server may not write it', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, secret));
    chmodSync(dbPath, 0o444);
    // The folder stays writable to the server (SQLite makes its -wal and -shm there): only the file is read-only.
    if (RUNNING_AS_ROOT) chownSync(dir, NOBODY.uid, NOBODY.gid);
    const run = await runToExit(ENTRY, dbPath, { PARLEY_SERVER_SECRET: secret }, RUNNING_AS_ROOT ? NOBODY : {});
    expectRefusal(run, new RegExp(`Parley cannot write to the database ${escaped(dbPath)} \\(attempt to write a readonly database\\)`), /Give the user Parley runs as \(uid \d+\) write access to that file and to its folder/);
  });

  it.skipIf(NOBODY_CANNOT_RUN_PARLEY)('is refused when the server may not write its folder', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, secret));
    if (RUNNING_AS_ROOT) {
      chownSync(dbPath, NOBODY.uid, NOBODY.gid);
      chmodSync(dir, 0o755);
    } else chmodSync(dir, 0o555);
    const run = await runToExit(ENTRY, dbPath, { PARLEY_SERVER_SECRET: secret }, RUNNING_AS_ROOT ? NOBODY : {});
    expectRefusal(run, new RegExp(`Parley cannot write to the database ${escaped(dbPath)}`), new RegExp(`and to its folder ${escaped(dir)}, where SQLite keeps parley.sqlite-wal`));
  });

  // Garbage over a whole page makes SQLite itself report the file malformed; over the cells
  // only, the page still parses and only quick_check finds the damage.
  it.each([
    { damage: 'a whole page', from: 0, reported: 'database disk image is malformed' },
    { damage: 'the cells of a page', from: 0.5, reported: 'PRAGMA quick_check reports: \\*\\*\\* in database main \\*\\*\\* Tree (\\d+) page \\1 cell' },
  ])('is refused, unchanged, when garbage is written over $damage in the middle of it', async ({ from, reported }) => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, secret));
    // The audit log's root page: nothing at start reads it, so without the check the server would start.
    // Read-write, so closing the last connection checkpoints the WAL into the file and removes it.
    const sqlite = new Database(dbPath);
    const { rootpage } = sqlite.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").get() as { rootpage: number };
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    const pageCount = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.close();
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(rootpage).toBeGreaterThan(1);
    expect(rootpage).toBeLessThan(pageCount);
    const fd = openSync(dbPath, 'r+');
    const garbage = Buffer.alloc(pageSize * (1 - from), 0xa5);
    writeSync(fd, garbage, 0, garbage.length, (rootpage - 1 + from) * pageSize);
    closeSync(fd);
    const damaged = readFileSync(dbPath);

    const run = await runToExit(ENTRY, dbPath, { PARLEY_SERVER_SECRET: secret });
    expectRefusal(run, new RegExp(`The database ${escaped(dbPath)} is damaged \\(${reported}`), /restore your latest backup in its place.*\.recover/);
    expect(readFileSync(dbPath).equals(damaged)).toBe(true);
  });
});

describe('the port', () => {
  it('is refused, naming it, when another process listens there', async () => {
    server = await startServerProcess(join(dir, 'first.sqlite'));
    const port = new URL(server.url).port;
    const run = await runToExit(ENTRY, dbPath, { PARLEY_PORT: port });
    expectRefusal(run, new RegExp(`Another process is already listening on 127\\.0\\.0\\.1:${port}\\.`), /set PARLEY_PORT to a free port/);
  });
});

describe('npm run doctor', () => {
  it('exits 0 with every check ok on a deployment that has run', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, undefined));
    server = await startServerProcess(dbPath);
    await server.kill();
    const run = await runToExit(DOCTOR, dbPath);
    expect(run.code, run.output).toBe(0);
    for (const check of ['settings', 'database', 'migrations', 'data protocol', 'server secret', 'disk space']) expect(run.output).toMatch(new RegExp(`^(ok|warning) +${check}: `, 'm'));
    expect(run.output).toMatch(/^ok +server secret: the server-secret file matches the database$/m);
    expect(run.output).not.toMatch(/PROBLEM/);
  });

  it('exits 1 naming a server secret that is not the database’s, and changes nothing', async () => {
    await databaseWithAccount(newSecret());
    const before = readFileSync(dbPath);
    const run = await runToExit(DOCTOR, dbPath, { PARLEY_SERVER_SECRET: bytesToB64(newSecret()) });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/^PROBLEM +server secret: The server secret \(from PARLEY_SERVER_SECRET\) is not the one .* Fix: Set PARLEY_SERVER_SECRET/m);
    expect(run.output).toMatch(/^ok +database: /m);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('says a secret that opens an older database’s sealed values matches, and records nothing', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, undefined));
    const before = readFileSync(dbPath);
    const run = await runToExit(DOCTOR, dbPath);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^ok +server secret: the server-secret file matches the database \(its check value is recorded at the next start\)$/m);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('warns while the operator details are placeholders, and names a bad operator file as a problem', async () => {
    await databaseWithAccount(loadNodeServerSecret(dbPath, undefined));
    const fresh = await runToExit(DOCTOR, dbPath, { PARLEY_OPERATOR_FILE: join(dir, 'no-operator.json') });
    expect(fresh.code, fresh.output).toBe(0);
    expect(fresh.output).toMatch(/^warning +operator details: the reporter pages say "placeholder" .* Fix: write config\/operator\.json/m);
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ name: 'Police Integrity Trust' }));
    const bad = await runToExit(DOCTOR, dbPath, { PARLEY_OPERATOR_FILE: join(dir, 'operator.json') });
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toMatch(/^PROBLEM +operator details: .*operator\.json: privacy: .* Fix: correct the entries named/m);
  });

  it('exits 1 when there is no database where PARLEY_DB points, and makes none', async () => {
    const run = await runToExit(DOCTOR, dbPath);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(new RegExp(`^PROBLEM +database: there is no database at ${escaped(dbPath)}\\. Fix: set PARLEY_DB`, 'm'));
    expect(existsSync(dbPath)).toBe(false);
    expect(existsSync(serverSecretPath(dbPath))).toBe(false);
  });
});
