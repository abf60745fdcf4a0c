// Accounts and keys from the client side: founding the first organisation, invitations,
// confirming the second factor, wrapping the organisation keys to a new member, removing a
// member with a key rotation, revoking sessions, and passing a case to another organisation.
// Every private key is handled here, on the device; the server receives only sealed copies.
import { bytesToB64, newOrgKeyring, sealCaseKey, sealOrgKeyring, wipe, type KdfParams } from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { decodeB64 } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import { newMemberCredentials, newOrganisationKeys } from './provision.js';
import { keyringFor, openedCaseKey, sessionHeaders, type InvestigatorSession } from './investigator.js';
import type { PublicOrganisation } from './wire-types.js';

/** Shown once to the newcomer: the TOTP secret as text and as an otpauth:// URI for a QR code. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
}

/** After creating an account: the TOTP to enrol and the authentication key to confirm it with. */
export interface NewAccount {
  totp: TotpEnrolment;
  authKey: string;
}

export async function setUpFirstOrganisation(api: ApiClient, setupToken: string, orgName: string, username: string, password: string, kdf: KdfParams, kdfFloor?: KdfParams): Promise<NewAccount> {
  const { member, personalPublicKey } = newMemberCredentials(username, password, requireKdfAtLeast(kdf, kdfFloor));
  const organisation = newOrganisationKeys(orgName, personalPublicKey);
  const { totp } = await api.json<{ totp: TotpEnrolment }>('POST', '/api/setup', { setupToken, organisation, member });
  return { totp, authKey: member.authKey };
}

export interface InviteDetails {
  kind: 'member' | 'organisation';
  role: 'admin' | 'investigator';
  orgName: string | null;
}

export function inspectInvite(api: ApiClient, token: string): Promise<InviteDetails> {
  return api.json('POST', '/api/invites/inspect', { token });
}

export async function acceptInvite(api: ApiClient, token: string, username: string, password: string, kdf: KdfParams, kdfFloor?: KdfParams): Promise<NewAccount> {
  const invite = await inspectInvite(api, token);
  const { member, personalPublicKey } = newMemberCredentials(username, password, requireKdfAtLeast(kdf, kdfFloor));
  const body =
    invite.kind === 'organisation'
      ? (({ name: _name, ...keys }) => ({ token, member, organisation: keys }))(newOrganisationKeys(invite.orgName ?? '', personalPublicKey))
      : { token, member };
  const { totp } = await api.json<{ totp: TotpEnrolment }>('POST', '/api/invites/accept', body);
  return { totp, authKey: member.authKey };
}

export function confirmTotp(api: ApiClient, username: string, authKey: string, code: string): Promise<void> {
  return api.json('POST', '/api/investigator/totp/confirm', { username, authKey, totp: code });
}

/** The Argon2id cost the server asks new accounts to use (the same as for signing in). */
export async function investigatorKdf(api: ApiClient, username: string): Promise<KdfParams> {
  return (await api.json<{ kdf: KdfParams }>('POST', '/api/investigator/prelogin', { username })).kdf;
}

export function createInvite(api: ApiClient, session: InvestigatorSession, invite: { kind: 'member'; role: 'admin' | 'investigator' } | { kind: 'organisation'; orgName: string }): Promise<{ token: string; expiresAt: number }> {
  return api.json('POST', '/api/investigator/admin/invites', invite, sessionHeaders(session));
}

export interface Member {
  id: string;
  username: string;
  role: 'admin' | 'investigator';
  boxPublicKey: string;
  totpConfirmed: boolean;
  hasCurrentKeyring: boolean;
}

export function listMembers(api: ApiClient, session: InvestigatorSession): Promise<{ keyVersion: number; members: Member[] }> {
  return api.json('GET', '/api/investigator/admin/members', undefined, sessionHeaders(session));
}

/** Wraps the organisation's current keys to a member who has joined (they made their own key pair). */
export function grantKeyring(api: ApiClient, session: InvestigatorSession, member: Pick<Member, 'id' | 'boxPublicKey'>): Promise<unknown> {
  const keyring = keyringFor(session, session.organisation.keyVersion);
  const sealedKeyring = bytesToB64(sealOrgKeyring(keyring, decodeB64(member.boxPublicKey, 'member key')));
  return api.json('POST', `/api/investigator/admin/members/${member.id}/keyring`, { keyVersion: keyring.keyVersion, sealedKeyring }, sessionHeaders(session));
}

/**
 * Removes a member and rotates the organisation's keys: new key pairs; every case key
 * opened here and sealed again to the new key; the new keyring sealed to every remaining
 * member. The removed member's copies are deleted by the server in the same batch.
 */
export async function removeMember(api: ApiClient, session: InvestigatorSession, memberId: string): Promise<{ keyVersion: number }> {
  const [{ members, keyVersion }, { caseKeys }] = await Promise.all([
    listMembers(api, session),
    api.json<{ caseKeys: { caseId: string; keyVersion: number; sealedCaseKey: string }[] }>('GET', '/api/investigator/admin/case-keys', undefined, sessionHeaders(session)),
  ]);
  const next = newOrgKeyring(decodeB64(session.organisation.id, 'organisation id'), keyVersion + 1);
  const resealed = caseKeys.map((k) => {
    const caseKey = openedCaseKey(session, k.caseId, k);
    try {
      return { caseId: k.caseId, sealedCaseKey: bytesToB64(sealCaseKey(caseKey, decodeB64(k.caseId, 'case id'), next.box.publicKey)) };
    } finally {
      wipe(caseKey);
    }
  });
  const keyrings = members
    .filter((m) => m.id !== memberId)
    .map((m) => ({ investigatorId: m.id, sealedKeyring: bytesToB64(sealOrgKeyring(next, decodeB64(m.boxPublicKey, 'member key'))) }));
  const body = { keyVersion: next.keyVersion, boxPublicKey: bytesToB64(next.box.publicKey), signPublicKey: bytesToB64(next.sign.publicKey), keyrings, caseKeys: resealed };
  const result = await api.json<{ keyVersion: number }>('POST', `/api/investigator/admin/members/${memberId}/remove`, body, sessionHeaders(session));
  session.keyrings.set(next.keyVersion, next);
  session.organisation = { ...session.organisation, keyVersion: next.keyVersion, boxPublicKey: body.boxPublicKey, signPublicKey: body.signPublicKey };
  return result;
}

export function revokeSessions(api: ApiClient, session: InvestigatorSession, memberId: string): Promise<void> {
  return api.json('DELETE', `/api/investigator/admin/members/${memberId}/sessions`, undefined, sessionHeaders(session));
}

/** Seals the case key to another organisation's current key and hands the case over. */
export async function passOnCase(api: ApiClient, session: InvestigatorSession, caseSummary: { id: string; caseKey: { keyVersion: number; sealedCaseKey: string } }, to: PublicOrganisation, keepAccess: boolean): Promise<unknown> {
  const caseKey = openedCaseKey(session, caseSummary.id, caseSummary.caseKey);
  try {
    const sealedCaseKey = bytesToB64(sealCaseKey(caseKey, decodeB64(caseSummary.id, 'case id'), decodeB64(to.boxPublicKey, 'organisation key')));
    return await api.json('POST', `/api/investigator/cases/${caseSummary.id}/pass-on`, { orgId: to.id, keyVersion: to.keyVersion, sealedCaseKey, keepAccess }, sessionHeaders(session));
  } finally {
    wipe(caseKey);
  }
}
