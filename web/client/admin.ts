// Accounts and keys from the client side: founding the first organisation, invitations,
// confirming the second factor, wrapping the organisation keys to a new member, removing a
// member with a key rotation, revoking sessions, and passing a case to another organisation.
// Every private key is handled here, on the device; the server receives only sealed copies.
import {
  bytesToB64, endorseMemberKey, endorseOrgKeyVersion, inviteSecret, keyFingerprint, memberKeyEndorsed, memberKeyProof, memberKeyProofValid, newOrgKeyring, sealCaseKey,
  sealOrgKeyring, sha256, signSealedCaseKey, wipe, ProtocolError, type KdfParams,
} from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { withFreshWork } from './proof-of-work.js';
import { decodeB64, openFirstMessage, trustOrganisation } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import { newMemberCredentials, newOrganisationKeys } from './provision.js';
import { keyringFor, openCaseForReading, openedCaseKey, refreshKeyrings, sessionHeaders, setCaseStatus, trustedOrganisations, type InvestigatorSession, type ReadableCase } from './investigator.js';
import type { Invite, MemberList, OrganisationSettings, PublicOrganisation, TotpEnrolmentResponse, TransferOffer } from './wire-types.js';

export type { Invite, MemberList, OrganisationSettings };

/** Shown once to the newcomer: the TOTP secret as text and as an otpauth:// URI for a QR code. */
export type TotpEnrolment = TotpEnrolmentResponse['totp'];

/** After creating an account: the TOTP to enrol and the authentication key to confirm it with. */
export interface NewAccount {
  totp: TotpEnrolment;
  authKey: string;
}

export async function setUpFirstOrganisation(api: ApiClient, setupToken: string, orgName: string, username: string, password: string, kdf: KdfParams, kdfFloor?: KdfParams): Promise<NewAccount> {
  const { member } = newMemberCredentials(username, password, requireKdfAtLeast(kdf, kdfFloor));
  const organisation = newOrganisationKeys(orgName, member);
  const { totp } = await api.call('POST /api/setup', { body: { setupToken, organisation, member } });
  return { totp, authKey: member.authKey };
}

export interface InviteDetails {
  kind: 'member' | 'organisation';
  role: 'admin' | 'investigator';
  orgName: string | null;
  orgId: string | null;
}

/**
 * An invitation link's value: the token the server knows, a dot, and a secret it never sees
 * (made by the inviting device from the organisation's signing seed). The newcomer's device
 * proves its key with the secret; an administrator's device checks that proof before sealing
 * any keys to it (protocol 2).
 */
function splitInviteLink(link: string): { token: string; secret: Uint8Array | null } {
  const [token, secret] = link.split('.');
  return { token: token ?? '', secret: secret ? decodeB64(secret, 'invitation secret') : null };
}

export function inspectInvite(api: ApiClient, link: string): Promise<InviteDetails> {
  return api.call('POST /api/invites/inspect', { body: { token: splitInviteLink(link).token } });
}

export async function acceptInvite(api: ApiClient, link: string, username: string, password: string, kdf: KdfParams, kdfFloor?: KdfParams): Promise<NewAccount> {
  const { token, secret } = splitInviteLink(link);
  const invite = await inspectInvite(api, link);
  const { member } = newMemberCredentials(username, password, requireKdfAtLeast(kdf, kdfFloor));
  if (invite.kind === 'member') {
    if (!secret || !invite.orgId) throw new ProtocolError('malformed', 'the invitation link is incomplete: copy all of it');
    member.keyProof = bytesToB64(memberKeyProof(secret, decodeB64(invite.orgId, 'organisation id'), decodeB64(member.id, 'member id'), username, decodeB64(member.boxPublicKey, 'member key')));
  }
  const body =
    invite.kind === 'organisation'
      ? (({ name: _name, ...keys }) => ({ token, member, organisation: keys }))(newOrganisationKeys(invite.orgName ?? '', member))
      : { token, member };
  const { totp } = await api.call('POST /api/invites/accept', { body });
  return { totp, authKey: member.authKey };
}

export function confirmTotp(api: ApiClient, username: string, authKey: string, code: string): Promise<void> {
  return withFreshWork(api, ({ headers }) => api.call('POST /api/investigator/totp/confirm', { body: { username, authKey, totp: code, clientTime: api.clock() }, headers }));
}

/** The Argon2id cost the server asks new accounts to use (the same as for signing in). */
export async function investigatorKdf(api: ApiClient, username: string): Promise<KdfParams> {
  return (await api.call('POST /api/investigator/prelogin', { body: { username } })).kdf;
}

/** The secret of an invitation made under `keyVersion`: any member holding that version can make it again. */
function secretOfInvite(session: InvestigatorSession, inviteId: string, keyVersion: number): Uint8Array {
  return inviteSecret(keyringFor(session, keyVersion).signSeed, decodeB64(inviteId, 'invitation id'));
}

/** Makes an invitation; `token` is the whole link value to send (token and secret). */
export async function createInvite(api: ApiClient, session: InvestigatorSession, invite: { kind: 'member'; role: 'admin' | 'investigator' } | { kind: 'organisation'; orgName: string }): Promise<{ token: string; id: string; expiresAt: number }> {
  const made = await api.call('POST /api/investigator/admin/invites', { body: invite, headers: sessionHeaders(session) });
  if (invite.kind === 'organisation') return { token: made.token, id: made.id, expiresAt: made.expiresAt };
  // The invitation id is the SHA-256 of the token: checked here, so the secret is made for the token we send,
  // under the key version the server recorded (the one an administrator's device will use to check the proof).
  if (bytesToB64(sha256(decodeB64(made.token, 'token'))) !== made.id) throw new ProtocolError('malformed', 'the server named the invitation wrongly');
  const secret = secretOfInvite(session, made.id, made.keyVersion ?? session.organisation.keyVersion);
  return { token: `${made.token}.${bytesToB64(secret)}`, id: made.id, expiresAt: made.expiresAt };
}

export type Member = MemberList['members'][number];

/**
 * Whether this device can vouch for a member's key: endorsed by one of the organisation's
 * signing keys this device holds, or proved with the secret of the invitation they joined by.
 * Nothing is ever sealed to a member key that is neither (a server that swapped it is caught).
 */
export function memberKeyVerified(session: InvestigatorSession, member: Member): 'endorsed' | 'proved' | null {
  const orgId = decodeB64(session.organisation.id, 'organisation id');
  const [id, key] = [decodeB64(member.id, 'member id'), decodeB64(member.boxPublicKey, 'member key')];
  const endorser = member.endorsementVersion !== null ? session.keyrings.get(member.endorsementVersion) : undefined;
  if (member.endorsement && endorser && memberKeyEndorsed(decodeB64(member.endorsement, 'endorsement'), endorser.sign.publicKey, orgId, id, member.username, key)) return 'endorsed';
  if (member.keyProof && member.inviteId && member.inviteKeyVersion !== null && session.keyrings.has(member.inviteKeyVersion)) {
    const secret = secretOfInvite(session, member.inviteId, member.inviteKeyVersion);
    if (memberKeyProofValid(decodeB64(member.keyProof, 'key proof'), secret, orgId, id, member.username, key)) return 'proved';
  }
  return null;
}

/** The member key's fingerprint, for people to compare (e.g. read aloud) when in doubt. */
export function memberKeyFingerprint(member: Pick<Member, 'boxPublicKey'>): string {
  return keyFingerprint(decodeB64(member.boxPublicKey, 'member key'));
}


export function listMembers(api: ApiClient, session: InvestigatorSession): Promise<MemberList> {
  return api.call('GET /api/investigator/admin/members', { headers: sessionHeaders(session) });
}

/** The organisation's deadlines, retention and time zone: any member may read them. */
export function organisationSettings(api: ApiClient, session: InvestigatorSession): Promise<OrganisationSettings> {
  return api.call('GET /api/investigator/organisation/settings', { headers: sessionHeaders(session) });
}

/** Administrators only; new deadlines apply to reports received afterwards. */
export function saveOrganisationSettings(api: ApiClient, session: InvestigatorSession, settings: OrganisationSettings): Promise<OrganisationSettings> {
  return api.call('PUT /api/investigator/admin/settings', { body: settings, headers: sessionHeaders(session) });
}

export async function listInvites(api: ApiClient, session: InvestigatorSession): Promise<Invite[]> {
  return (await api.call('GET /api/investigator/admin/invites', { headers: sessionHeaders(session) })).invites;
}

export function revokeInvite(api: ApiClient, session: InvestigatorSession, inviteId: string): Promise<void> {
  return api.call('DELETE /api/investigator/admin/invites/:inviteId', { params: { inviteId }, headers: sessionHeaders(session) });
}

/**
 * Wraps every organisation key version this device holds to a member who has joined (they
 * made their own key pair), so they can open old cases as well as new ones. The server adds
 * the versions the member lacks and never replaces one they have.
 */
export async function grantKeyring(api: ApiClient, session: InvestigatorSession, member: Member): Promise<{ added: number[] }> {
  if (!memberKeyVerified(session, member)) throw new ProtocolError('untrusted_key', `${member.username}’s key does not match their invitation: nothing was sealed to it`);
  const memberKey = decodeB64(member.boxPublicKey, 'member key');
  const keyrings = [...session.keyrings.values()].map((k) => ({ keyVersion: k.keyVersion, sealedKeyring: bytesToB64(sealOrgKeyring(k, memberKey)) }));
  const current = keyringFor(session, session.organisation.keyVersion);
  const signature = endorseMemberKey(current.sign.privateKey, decodeB64(session.organisation.id, 'organisation id'), decodeB64(member.id, 'member id'), member.username, memberKey);
  return api.call('POST /api/investigator/admin/members/:memberId/keyrings', { params: { memberId: member.id }, body: { keyrings, endorsement: { keyVersion: current.keyVersion, signature: bytesToB64(signature) } }, headers: sessionHeaders(session) });
}

/**
 * A new key version, sealed to each remaining member who holds the current one (and to this
 * administrator). No case key is sealed again: every member keeps the versions they hold, so
 * old cases stay readable whatever happens to this rotation. The new version is pending until
 * another member's device confirms it opens; this device confirms its own copy at once.
 */
async function rotate(api: ApiClient, session: InvestigatorSession, leavingId: string | null): Promise<RotationResult> {
  const { members, keyVersion } = await listMembers(api, session);
  const orgId = decodeB64(session.organisation.id, 'organisation id');
  const next = newOrgKeyring(orgId, keyVersion + 1);
  const recipients = members.filter((m) => m.id !== leavingId && (m.hasCurrentKeyring || m.id === session.memberId));
  // Sealed only to member keys this device can vouch for: a substituted key stops the rotation here.
  const unverified = recipients.filter((m) => m.id !== session.memberId && memberKeyVerified(session, m) === null);
  if (unverified.length > 0) throw new ProtocolError('untrusted_key', `the keys of ${unverified.map((m) => m.username).join(', ')} do not verify: nothing was sealed`);
  // This device's own copy goes to the key it holds, not to what the server lists for it.
  const keyrings = recipients.map((m) => ({ memberId: m.id, sealedKeyring: bytesToB64(sealOrgKeyring(next, m.id === session.memberId ? session.personal.publicKey : decodeB64(m.boxPublicKey, 'member key'))) }));
  const endorsement = endorseOrgKeyVersion(orgId, { keyVersion: next.keyVersion, boxPublicKey: next.box.publicKey, signPublicKey: next.sign.publicKey }, keyringFor(session, keyVersion).sign.privateKey);
  const rotation = { fromVersion: keyVersion, boxPublicKey: bytesToB64(next.box.publicKey), signPublicKey: bytesToB64(next.sign.publicKey), endorsement: bytesToB64(endorsement), keyrings };
  const headers = sessionHeaders(session);
  await (leavingId
    ? api.call('POST /api/investigator/admin/members/:memberId/remove', { params: { memberId: leavingId }, body: { rotation }, headers })
    : api.call('POST /api/investigator/admin/rotation', { body: rotation, headers }));
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
  return rotate(api, session, memberId);
}

/** A rotation on its own (e.g. after one was abandoned). */
export function rotateKeys(api: ApiClient, session: InvestigatorSession): Promise<RotationResult> {
  return rotate(api, session, null);
}

export function cancelRotation(api: ApiClient, session: InvestigatorSession): Promise<void> {
  return api.call('DELETE /api/investigator/admin/rotation', { headers: sessionHeaders(session) });
}

export function revokeSessions(api: ApiClient, session: InvestigatorSession, memberId: string): Promise<void> {
  return api.call('DELETE /api/investigator/admin/members/:memberId/sessions', { params: { memberId }, headers: sessionHeaders(session) });
}

/**
 * Offers a case to another organisation: the case key sealed to its current key. The case
 * moves (and this organisation's access goes, unless kept) only once the receiver's device has
 * opened the key and accepted.
 */
export async function passOnCase(api: ApiClient, session: InvestigatorSession, opened: Pick<ReadableCase, 'id' | 'caseKey'>, to: PublicOrganisation, keepAccess: boolean): Promise<unknown> {
  // Sealed only to the receiver's key as its verified chain gives it, and signed by this organisation.
  const { chain } = trustOrganisation(to);
  const caseId = decodeB64(opened.id, 'case id');
  const sealed = sealCaseKey(opened.caseKey, caseId, chain.current.boxPublicKey);
  const signature = signSealedCaseKey(keyringFor(session, session.organisation.keyVersion).sign.privateKey, caseId, chain.current.boxPublicKey, sealed);
  const body = { orgId: to.id, keyVersion: chain.current.keyVersion, sealedCaseKey: bytesToB64(sealed), sealSignature: bytesToB64(signature), keepAccess };
  return api.call('POST /api/investigator/cases/:caseId/pass-on', { params: { caseId: opened.id }, body, headers: sessionHeaders(session) });
}

export async function listTransfers(api: ApiClient, session: InvestigatorSession): Promise<TransferOffer[]> {
  return (await api.call('GET /api/investigator/cases/transfers', { headers: sessionHeaders(session) })).transfers;
}

/**
 * Accepts an offered case only if its key opens here and decrypts the report it came with;
 * otherwise declines it as not opening, which leaves the case with the sender.
 */
export async function acceptTransfer(api: ApiClient, session: InvestigatorSession, offer: TransferOffer): Promise<{ accepted: boolean }> {
  let opens = false;
  try {
    const reporterSignPublicKey = decodeB64(offer.reporterSignPublicKey, 'reporter key');
    const caseKey = openedCaseKey(session, offer.caseId, offer.caseKey, { reporterSignPublicKey, organisations: trustedOrganisations([offer.from]) });
    if (offer.report) openFirstMessage({ caseId: offer.caseId, caseKey, reporterSignPublicKey, organisations: [] }, offer.report);
    opens = offer.report !== null;
    wipe(caseKey);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
  if (!opens) {
    await declineTransfer(api, session, offer.caseId, 'does_not_open');
    return { accepted: false };
  }
  await api.call('POST /api/investigator/cases/transfers/:caseId/accept', { params: { caseId: offer.caseId }, headers: sessionHeaders(session) });
  // The reporter learns of the move from a message this organisation signs, not from the server's word.
  await setCaseStatus(api, session, await openCaseForReading(api, session, offer.caseId), 'passed_on');
  return { accepted: true };
}

export function declineTransfer(api: ApiClient, session: InvestigatorSession, caseId: string, reason: 'does_not_open' | 'not_ours'): Promise<void> {
  return api.call('POST /api/investigator/cases/transfers/:caseId/decline', { params: { caseId }, body: { reason }, headers: sessionHeaders(session) });
}
