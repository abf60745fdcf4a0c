// An operator's way back in for an investigator with no working second factor: an account made
// before TOTP existed (it has no secret, so it can neither sign in nor confirm one), or a lost
// phone. Run on the server (it needs the server secret): a new TOTP secret replaces the old, the
// member's sessions end, and the change is in the organisation's audit log, by the operator.
import { eq } from 'drizzle-orm';
import type { ParleyDb } from '../db/database.js';
import { members } from '../db/schema.js';
import { findMemberByUsername } from '../db/repo/members.js';
import { deleteSessionsStatements } from '../db/repo/accounts.js';
import { audited } from '../worker/audit.js';
import { sealWithServerSecret } from '../worker/server-secret.js';
import { newTotpSecret } from '../worker/totp.js';
import { webCryptoRandomBytes } from '../worker/deps.js';

export class NoSuchMember extends Error {
  override name = 'NoSuchMember';
}

/** The new TOTP secret (base32), to be shown once to the member. */
export async function resetSecondFactor(db: ParleyDb, serverSecret: Uint8Array, username: string, now: number): Promise<string> {
  const member = await findMemberByUsername(db, username);
  if (!member || member.removedAt !== null) throw new NoSuchMember(`No current member is called ${username}.`);
  const totpSecret = newTotpSecret(webCryptoRandomBytes);
  const sealed = await sealWithServerSecret(serverSecret, totpSecret, member.id);
  // Confirmed at once: the operator hands it over in person; the first sign-in proves the phone has it.
  await audited(db, now, { orgId: member.orgId, actorId: null, action: 'totp_reset', subject: member.id, detail: { by: 'operator' } }, () => [
    db.update(members).set({ totpSecretEnc: sealed, totpConfirmed: true, totpLastStep: 0 }).where(eq(members.id, member.id)),
    ...deleteSessionsStatements(db, member.id),
  ]);
  return totpSecret;
}
