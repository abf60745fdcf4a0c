// `npm run doctor`: checks a Node deployment without starting the server, with the same
// environment `npm start` would read: settings, the database file, its migrations and data
// protocol, the server secret, free disk space, the operator's details. One line per check;
// each problem says its fix.
// Exit code 1 when any check finds a problem (warnings alone exit 0). Makes and records nothing.
import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type Database from 'better-sqlite3';
import * as schema from '../db/schema.js';
import type { ParleyDb } from '../db/database.js';
import { migrationState, openCheckedSqlite } from '../db/open-node.js';
import { nodeSmtpSettings, readNodeEnv, type NodeEnv } from '../worker/env-node.js';
import { smtpMailer } from '../worker/mailer-smtp.js';
import { requireProtocol2Data } from '../worker/data-protocol.js';
import { checkNodeServerSecret } from '../worker/server-secret-node.js';
import { StartupRefusal } from '../worker/startup-refusal.js';
import { PLACEHOLDER_WARNING, readOperatorDetails } from './operator-details.js';

const LOW_DISK_BYTES = 1024 ** 3;
const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`);

let problems = 0;
function report(level: 'ok' | 'warning' | 'PROBLEM', check: string, text: string): void {
  if (level === 'PROBLEM') problems += 1;
  console.log(`${level.padEnd(8)} ${check}: ${text}`);
}
/** A refusal's own words, or the error's message for anything else. */
const said = (error: unknown) => (error instanceof StartupRefusal ? `${error.problem} Fix: ${error.fix}` : error instanceof Error ? error.message : String(error));

function checkSettings(): NodeEnv | null {
  try {
    const env = readNodeEnv(process.env);
    report('ok', 'settings', `listen on ${env.PARLEY_HOST}:${env.PARLEY_PORT}, database ${env.PARLEY_DB}`);
    return env;
  } catch (error) {
    report('PROBLEM', 'settings', `${said(error)} Fix: correct or unset the settings named.`);
    return null;
  }
}

function checkDiskSpace(dbPath: string): void {
  const folder = dirname(dbPath);
  if (!existsSync(folder)) return;
  const fs = statfsSync(folder);
  const free = fs.bavail * fs.bsize;
  const used = existsSync(dbPath) ? ` (the database is ${size(statSync(dbPath).size)})` : '';
  if (free < LOW_DISK_BYTES) report('warning', 'disk space', `${size(free)} free for ${folder}${used}. Fix: free space or move the database; SQLite refuses writes when the disk is full.`);
  else report('ok', 'disk space', `${size(free)} free for ${folder}${used}`);
}

function openDatabase(dbPath: string): Database.Database | null {
  if (dbPath !== ':memory:' && !existsSync(dbPath)) {
    report('PROBLEM', 'database', `there is no database at ${dbPath}. Fix: set PARLEY_DB to where the database is, or start Parley once (npm start) to make a new one there.`);
    return null;
  }
  try {
    const sqlite = openCheckedSqlite(dbPath);
    report('ok', 'database', `${dbPath} opens, is writable and passes quick_check`);
    return sqlite;
  } catch (error) {
    report('PROBLEM', 'database', said(error));
    return null;
  }
}

function checkMigrations(sqlite: Database.Database): void {
  const state = migrationState(sqlite);
  if (state.newerThanCode) report('PROBLEM', 'migrations', 'the database was migrated by a newer Parley than this one. Fix: run the release that last served it.');
  else if (state.pending > 0) report('warning', 'migrations', `${state.pending} not yet applied; the server applies them at its next start. Fix: back up the database and the server-secret file before that start.`);
  else report('ok', 'migrations', 'all applied');
}

async function checkData(db: ParleyDb, env: NodeEnv): Promise<void> {
  try {
    await requireProtocol2Data(db, `The database ${env.PARLEY_DB}`);
    report('ok', 'data protocol', 'protocol 2');
  } catch (error) {
    report('PROBLEM', 'data protocol', said(error));
  }
  try {
    const verdict = await checkNodeServerSecret(db, env.PARLEY_DB, process.env.PARLEY_SERVER_SECRET);
    const from = process.env.PARLEY_SERVER_SECRET !== undefined ? 'PARLEY_SERVER_SECRET' : 'the server-secret file';
    if (verdict === 'none yet') report('ok', 'server secret', 'none yet; the server makes the server-secret file at its first start');
    else report('ok', 'server secret', `${from} matches the database${verdict === 'unrecorded' ? ' (its check value is recorded at the next start)' : ''}`);
  } catch (error) {
    report('PROBLEM', 'server secret', said(error));
  }
}

/** Who runs the service: the pages are built from it at start, so a bad file stops `npm start`. */
function checkOperatorDetails(): void {
  try {
    const details = readOperatorDetails();
    if (details.placeholder) report('warning', 'operator details', PLACEHOLDER_WARNING);
    else report('ok', 'operator details', 'config/operator.json (or PARLEY_OPERATOR_FILE) names who runs the service');
  } catch (error) {
    report('PROBLEM', 'operator details', `${said(error)} Fix: correct the entries named (docs/OPERATIONS.md, "Who runs the service").`);
  }
}

/** Staff notices: off without SMTP settings (said, not a problem); on, the SMTP server must take a connection. */
async function checkNotices(env: NodeEnv): Promise<void> {
  let smtp: ReturnType<typeof nodeSmtpSettings>;
  try {
    smtp = nodeSmtpSettings(env);
  } catch (error) {
    report('PROBLEM', 'staff notices', `${said(error)} Fix: set both, or neither.`);
    return;
  }
  if (!smtp) {
    report('ok', 'staff notices', 'off: no e-mail to staff about new activity or near deadlines (set PARLEY_SMTP_URL and PARLEY_NOTICE_FROM to send them)');
    return;
  }
  // The host only: the URL may carry a password.
  const host = new URL(smtp.url).host;
  const mailer = smtpMailer(smtp.url, smtp.from);
  try {
    await mailer.verify();
    report(env.PARLEY_CONSOLE_URL ? 'ok' : 'warning', 'staff notices', `on: the SMTP server ${host} accepts a connection${env.PARLEY_CONSOLE_URL ? '' : '. PARLEY_CONSOLE_URL is unset, so notices give no link. Fix: set it to where staff sign in'}`);
  } catch (error) {
    report('PROBLEM', 'staff notices', `the SMTP server ${host} did not accept a connection (${error instanceof Error ? error.message : String(error)}). Fix: correct PARLEY_SMTP_URL, or unset it and PARLEY_NOTICE_FROM to turn notices off.`);
  } finally {
    mailer.close();
  }
}

const env = checkSettings();
checkOperatorDetails();
if (env) await checkNotices(env);
if (env) {
  const sqlite = openDatabase(env.PARLEY_DB);
  if (sqlite) {
    try {
      checkMigrations(sqlite);
      await checkData(drizzle(sqlite, { schema }) as unknown as ParleyDb, env);
    } finally {
      sqlite.close();
    }
  }
  checkDiskSpace(env.PARLEY_DB);
}
process.exit(problems > 0 ? 1 : 0);
