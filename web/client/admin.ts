// Accounts and keys from the client side: founding the first organisation, invitations,
// confirming the second factor, wrapping the organisation keys to a new member, removing a
// member with a key rotation, revoking sessions, and passing a case to another organisation.
// Every private key is handled here, on the device; the server receives only sealed copies.
import { bytesToB64, newOrgKeyring, sealCaseKey, sealOrgKeyring, wipe, ProtocolError, type KdfParams } from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { decodeB64, openThreadMessage } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import { newMemberCredentials, newOrganisationKeys } from './provision.js';
import { openedCaseKey, refreshKeyrings, sessionHeaders, type InvestigatorSession } from './investigator.js';
import type { KeyVersion, PublicOrganisation, TransferOffer } from './wire-types.js';

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

export function createInvite(api: ApiClient, session: InvestigatorSession, invite: { kind: 'member'; role: 'admin' | 'investigator' } | { kind: 'organisation'; orgName: string }): Promise<{ token: string; id: string; expiresAt: number }> {
  return api.json('POST', '/api/investigator/admin/invites', invite, sessionHeaders(session));
}

export interface Member {
  id: string;
  username: string;
  role: 'admin' | 'investigator';
  boxPublicKey: string;
  totpConfirmed: boolean;
  hasCurrentKeyring: boolean;
  keyrings: { keyVersion: number; confirmed: boolean }[];
}

export interface MemberList {
  keyVersion: number;
  keyVersions: KeyVersion[];
  members: Member[];
}

export function listMembers(api: ApiClient, session: InvestigatorSession): Promise<MemberList> {
  return api.json('GET', '/api/investigator/admin/members', undefined, sessionHeaders(session));
}

export interface Invite {
  /** The hash of the token: names the invitation without being able to use it. */
  id: string;
  kind: 'member' | 'organisation';
  role: 'admin' | 'investigator';
  orgName: string | null;
  createdBy: string | null;
  expiresAt: number;
}

export async function listInvites(api: ApiClient, session: InvestigatorSession): Promise<Invite[]> {
  return (await api.json<{ invites: Invite[] }>('GET', '/api/investigator/admin/invites', undefined, sessionHeaders(session))).invites;
}

export function revokeInvite(api: ApiClient, session: InvestigatorSession, inviteId: string): Promise<void> {
  return api.json('DELETE', `/api/investigator/admin/invites/${inviteId}`, undefined, sessionHeaders(session));
}

/**
 * Wraps every organisation key version this device holds to a member who has joined (they
 * made their own key pair), so they can open old cases as well as new ones. The server adds
 * the versions the member lacks and never replaces one they have.
 */
export function grantKeyring(api: ApiClient, session: InvestigatorSession, member: Pick<Member, 'id' | 'boxPublicKey'>): Promise<{ added: number[] }> {
  const memberKey = decodeB64(member.boxPublicKey, 'member key');
  const keyrings = [...session.keyrings.values()].map((k) => ({ keyVersion: k.keyVersion, sealedKeyring: bytesToB64(sealOrgKeyring(k, memberKey)) }));
  return api.json('POST', `/api/investigator/admin/members/${member.id}/keyrings`, { keyrings }, sessionHeaders(session));
}

/**
 * A new key version, sealed to each remaining member who holds the current one (and to this
 * administrator). No case key is sealed again: every member keeps the versions they hold, so
 * old cases stay readable whatever happens to this rotation. The new version is pending until
 * another member's device confirms it opens; this device confirms its own copy at once.
 */
async function rotate(api: ApiClient, session: InvestigatorSession, path: string, leavingId: string | null): Promise<RotationResult> {
  const { members, keyVersion } = await listMembers(api, session);
  const next = newOrgKeyring(decodeB64(session.organisation.id, 'organisation id'), keyVersion + 1);
  const recipients = members.filter((m) => m.id !== leavingId && (m.hasCurrentKeyring || m.id === session.memberId));
  const keyrings = recipients.map((m) => ({ investigatorId: m.id, sealedKeyring: bytesToB64(sealOrgKeyring(next, decodeB64(m.boxPublicKey, 'member key'))) }));
  const rotation = { fromVersion: keyVersion, boxPublicKey: bytesToB64(next.box.publicKey), signPublicKey: bytesToB64(next.sign.publicKey), keyrings };
  await api.json('POST', path, leavingId ? { rotation } : rotation, sessionHeaders(session));
  await refreshKeyrings(api, session);
  return { keyVersion: next.keyVersion, active: session.organisation.keyVersion === next.keyVersion };
}

/** Active at once when no other member holds the keys; otherwise pending until one confirms. */
export interface RotationResult {
  keyVersion: number;
  active: boolean;
}

/** Removes a member and starts a key rotation, so nothing sealed from now on opens with their copies. */
export function removeMember(api: ApiClient, session: InvestigatorSession, memberId: string): Promise<RotationResult> {
  return rotate(api, session, `/api/investigator/admin/members/${memberId}/remove`, memberId);
}

/** A rotation on its own (e.g. after one was abandoned). */
export function rotateKeys(api: ApiClient, session: InvestigatorSession): Promise<RotationResult> {
  return rotate(api, session, '/api/investigator/admin/rotation', null);
}

export function cancelRotation(api: ApiClient, session: InvestigatorSession): Promise<void> {
  return api.json('DELETE', '/api/investigator/admin/rotation', undefined, sessionHeaders(session));
}

export function revokeSessions(api: ApiClient, session: InvestigatorSession, memberId: string): Promise<void> {
  return api.json('DELETE', `/api/investigator/admin/members/${memberId}/sessions`, undefined, sessionHeaders(session));
}

/**
 * Offers a case to another organisation: the case key sealed to its current key. The case
 * moves (and this organisation's access goes, unless kept) only once the receiver's device has
 * opened the key and accepted.
 */
export async function passOnCase(api: ApiClient, session: InvestigatorSession, caseSummary: { id: string; caseKey: { keyVersion: number; sealedCaseKey: string } }, to: PublicOrganisation, keepAccess: boolean): Promise<unknown> {
  const caseKey = openedCaseKey(session, caseSummary.id, caseSummary.caseKey);
  try {
    const sealedCaseKey = bytesToB64(sealCaseKey(caseKey, decodeB64(caseSummary.id, 'case id'), decodeB64(to.boxPublicKey, 'organisation key')));
    return await api.json('POST', `/api/investigator/cases/${caseSummary.id}/pass-on`, { orgId: to.id, keyVersion: to.keyVersion, sealedCaseKey, keepAccess }, sessionHeaders(session));
  } finally {
    wipe(caseKey);
  }
}

export async function listTransfers(api: ApiClient, session: InvestigatorSession): Promise<TransferOffer[]> {
  return (await api.json<{ transfers: TransferOffer[] }>('GET', '/api/investigator/cases/transfers', undefined, sessionHeaders(session))).transfers;
}

/**
 * Accepts an offered case only if its key opens here and decrypts the report it came with;
 * otherwise declines it as not opening, which leaves the case with the sender.
 */
export async function acceptTransfer(api: ApiClient, session: InvestigatorSession, offer: TransferOffer): Promise<{ accepted: boolean }> {
  let opens = false;
  try {
    const caseKey = openedCaseKey(session, offer.caseId, offer.caseKey);
    if (offer.report) openThreadMessage({ caseId: offer.caseId, caseKey, reporterSignPublicKey: decodeB64(offer.reporterSignPublicKey, 'reporter key'), organisations: [] }, offer.report);
    opens = offer.report !== null;
    wipe(caseKey);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
  if (!opens) {
    await declineTransfer(api, session, offer.caseId, 'does_not_open');
    return { accepted: false };
  }
  await api.json('POST', `/api/investigator/cases/transfers/${offer.caseId}/accept`, undefined, sessionHeaders(session));
  return { accepted: true };
}

export function declineTransfer(api: ApiClient, session: InvestigatorSession, caseId: string, reason: 'does_not_open' | 'not_ours'): Promise<void> {
  return api.json('POST', `/api/investigator/cases/transfers/${caseId}/decline`, { reason }, sessionHeaders(session));
}
