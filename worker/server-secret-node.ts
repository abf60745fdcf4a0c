// Node's server secret: PARLEY_SERVER_SECRET if set, otherwise a file beside the database
// (made once, readable by the owner only). It is never stored in the database, so a
// copy of the database alone does not decrypt the TOTP secrets.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bytesToB64 } from '../web/protocol/encoding.js';
import { parseServerSecret } from './server-secret.js';

export function serverSecretPath(dbPath: string): string {
  return join(dirname(dbPath === ':memory:' ? './data/x' : dbPath), 'server-secret');
}

export function loadNodeServerSecret(dbPath: string, fromEnv: string | undefined): Uint8Array {
  if (fromEnv !== undefined) {
    const secret = parseServerSecret(fromEnv);
    if (!secret) throw new Error('PARLEY_SERVER_SECRET must be base64url of 32 random bytes');
    return secret;
  }
  const path = serverSecretPath(dbPath);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${bytesToB64(crypto.getRandomValues(new Uint8Array(32)))}\n`, { mode: 0o600, flag: 'wx' });
  }
  const secret = parseServerSecret(readFileSync(path, 'utf8'));
  if (!secret) throw new Error(`${path} does not hold a 32-byte base64url secret`);
  return secret;
}
