// Whether a server secret is the one a database's sealed values (TOTP secrets) were made
// under. With the wrong one every investigator sign-in fails as if the password were wrong,
// so the server refuses to start instead. The database keeps a check value — an HMAC of a
// fixed label under the secret — never the secret itself. Runtime-free: Node and D1.
import { count } from 'drizzle-orm';
import type { ParleyDb } from '../db/database.js';
import { getOrCreateSetting, getSetting } from '../db/repo/instance.js';
import { members } from '../db/schema.js';
import { bytesToB64, utf8ToBytes } from '../web/protocol/encoding.js';
import { openWithServerSecret } from './server-secret.js';
import { StartupRefusal } from './startup-refusal.js';

export const SERVER_SECRET_CHECK_SETTING = 'server_secret_check';
/** Domain separation: this HMAC is never a key or a MAC of anything else. */
export const SERVER_SECRET_CHECK_LABEL = 'parley/server-secret-check';
/** A database older than the check value: this many sealed TOTP secrets are tried before judging. */
const SEALED_VALUES_TRIED = 5;

const view = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/** HMAC-SHA-256(secret, label), base64url: says which secret without revealing it. */
export async function serverSecretCheckValue(serverSecret: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey('raw', view(serverSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return bytesToB64(new Uint8Array(await crypto.subtle.sign('HMAC', key, view(utf8ToBytes(SERVER_SECRET_CHECK_LABEL)))));
}

/** True once the database holds anything a server secret was used for: its check value or an account. */
export async function databaseUsesServerSecret(db: ParleyDb): Promise<boolean> {
  if ((await getSetting(db, SERVER_SECRET_CHECK_SETTING)) !== undefined) return true;
  const accounts = await db.select({ n: count() }).from(members).get();
  return (accounts?.n ?? 0) > 0;
}

/**
 * 'matches': the recorded check value is this secret's. 'differs': it is not, or (a database
 * from before check values) its sealed TOTP secrets do not open with it. 'unrecorded': no check
 * value yet, and nothing sealed contradicts this secret.
 */
export type ServerSecretVerdict = 'matches' | 'differs' | 'unrecorded';

export async function judgeServerSecret(db: ParleyDb, serverSecret: Uint8Array): Promise<ServerSecretVerdict> {
  const recorded = await getSetting(db, SERVER_SECRET_CHECK_SETTING);
  if (recorded !== undefined) return recorded === (await serverSecretCheckValue(serverSecret)) ? 'matches' : 'differs';
  const sealed = await db.select({ id: members.id, totpSecretEnc: members.totpSecretEnc }).from(members).limit(SEALED_VALUES_TRIED).all();
  const tried = sealed.filter((row) => row.totpSecretEnc !== null);
  if (tried.length === 0) return 'unrecorded';
  // Each is bound to its investigator's id (accounts.ts); one that opens proves the secret.
  for (const row of tried) if ((await openWithServerSecret(serverSecret, row.totpSecretEnc!, row.id)) !== null) return 'unrecorded';
  return 'differs';
}

/**
 * Refuses a secret the database was not made with. At start (`record`), also records the check
 * value when the database has none (a fresh one, or one from before check values).
 */
export async function requireMatchingServerSecret(
  db: ParleyDb,
  serverSecret: Uint8Array,
  said: { database: string; secretFrom: string; fix: string },
  options: { record: boolean } = { record: true },
): Promise<'matches' | 'unrecorded'> {
  let verdict = await judgeServerSecret(db, serverSecret);
  if (verdict === 'unrecorded' && options.record) {
    const mine = await serverSecretCheckValue(serverSecret);
    // Insert-if-absent: of two servers starting at once with different secrets, the second is refused.
    verdict = (await getOrCreateSetting(db, SERVER_SECRET_CHECK_SETTING, () => mine)) === mine ? 'matches' : 'differs';
  }
  if (verdict === 'differs') {
    throw new StartupRefusal(
      `The server secret (${said.secretFrom}) is not the one ${said.database} was set up with: second-factor secrets sealed under that one ` +
        'would not open with this one, so every sign-in would fail. Nothing has been changed.',
      said.fix,
    );
  }
  return verdict;
}
