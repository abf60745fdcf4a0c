// Node's server secret: PARLEY_SERVER_SECRET if set, otherwise a file beside the database
// (made once, readable by the owner only). It is never stored in the database, so a
// copy of the database alone does not decrypt the TOTP secrets.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ParleyDb } from '../db/database.js';
import { bytesToB64 } from '../web/protocol/encoding.js';
import { parseServerSecret } from './server-secret.js';
import { databaseUsesServerSecret, requireMatchingServerSecret } from './server-secret-check.js';
import { StartupRefusal } from './startup-refusal.js';

export function serverSecretPath(dbPath: string): string {
  return join(dirname(dbPath === ':memory:' ? './data/x' : dbPath), 'server-secret');
}

/** The secret from the environment or the file, or null when neither is there yet. */
export function readNodeServerSecret(dbPath: string, fromEnv: string | undefined): Uint8Array | null {
  if (fromEnv !== undefined) {
    const secret = parseServerSecret(fromEnv);
    if (!secret) throw new StartupRefusal('PARLEY_SERVER_SECRET is not base64url of 32 bytes.', 'Set it to the secret this database was set up with, or unset it to use the file server-secret beside the database.');
    return secret;
  }
  const path = serverSecretPath(dbPath);
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StartupRefusal(`The server secret file ${path} cannot be read (${(error as Error).message}).`, 'Make it readable by the user Parley runs as (and by nobody else: chmod 600).', { cause: error });
  }
  const secret = parseServerSecret(text);
  if (!secret) throw new StartupRefusal(`The server secret file ${path} does not hold a 32-byte base64url secret.`, 'Restore the server-secret file that belongs to this database from your backup, or set PARLEY_SERVER_SECRET.');
  return secret;
}

/**
 * As readNodeServerSecret, making the file when there is none. `mayCreate: false` for a
 * database that already used a secret: a new one would lock every investigator out.
 */
export function loadNodeServerSecret(dbPath: string, fromEnv: string | undefined, options: { mayCreate: boolean } = { mayCreate: true }): Uint8Array {
  const existing = readNodeServerSecret(dbPath, fromEnv);
  if (existing) return existing;
  if (!options.mayCreate) throw missingSecretRefusal(dbPath);
  const path = serverSecretPath(dbPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${bytesToB64(crypto.getRandomValues(new Uint8Array(32)))}\n`, { mode: 0o600, flag: 'wx' });
  return readNodeServerSecret(dbPath, undefined)!;
}

/** At start: this database's secret, refusing a missing or different one (worker/server-secret-check.ts). */
export async function loadMatchingNodeServerSecret(db: ParleyDb, dbPath: string, fromEnv: string | undefined): Promise<Uint8Array> {
  const secret = loadNodeServerSecret(dbPath, fromEnv, { mayCreate: !(await databaseUsesServerSecret(db)) });
  await requireMatchingServerSecret(db, secret, refusalWords(dbPath, fromEnv));
  return secret;
}

/** For `npm run doctor`: the same refusals, but it makes no file and records nothing. */
export async function checkNodeServerSecret(db: ParleyDb, dbPath: string, fromEnv: string | undefined): Promise<'matches' | 'unrecorded' | 'none yet'> {
  const secret = readNodeServerSecret(dbPath, fromEnv);
  if (secret) return requireMatchingServerSecret(db, secret, refusalWords(dbPath, fromEnv), { record: false });
  if (await databaseUsesServerSecret(db)) throw missingSecretRefusal(dbPath);
  return 'none yet';
}

function missingSecretRefusal(dbPath: string): StartupRefusal {
  const path = serverSecretPath(dbPath);
  return new StartupRefusal(
    `The server secret file ${path} is missing, but the database ${dbPath} was already set up with a server secret. ` +
      "A new one would not open the investigators' second-factor secrets sealed under the old one, and every sign-in would fail, so none was made.",
    `Restore the server-secret file that belongs to this database to ${path} (from your backup), or set PARLEY_SERVER_SECRET to that secret.`,
  );
}

function refusalWords(dbPath: string, fromEnv: string | undefined) {
  const path = serverSecretPath(dbPath);
  return {
    database: `the database ${dbPath}`,
    secretFrom: fromEnv !== undefined ? 'from PARLEY_SERVER_SECRET' : `from the file ${path}`,
    fix: fromEnv !== undefined
      ? 'Set PARLEY_SERVER_SECRET to the secret this database was set up with (or unset it, if the server-secret file beside the database is that secret).'
      : `Put the server-secret file that belongs to this database back at ${path} (from your backup), or set PARLEY_SERVER_SECRET to that secret.`,
  };
}
