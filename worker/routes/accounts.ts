// Becoming an investigator: the first-run setup and invitations (confirming the second
// factor is beside signing in, routes/investigator-sessions.ts). Every key is made in the
// newcomer's browser; the server stores public keys, wrapped seeds, sealed keyrings, a hash
// of the authentication key, and the TOTP secret encrypted under the server secret. Bad or used tokens all get the same "not_found".
import { Hono } from 'hono';
import { b64ToBytes, bytesToB64 } from '../../web/protocol/encoding.js';
import { listOrganisations } from '../../db/repo/organisations.js';
import { findLiveInvite, foundOrganisationStatements, joinOrganisationStatements, spendInviteSteps, spendSetupTokenSteps } from '../../db/repo/accounts.js';
import { getSetting } from '../../db/repo/instance.js';
import { ApiError } from '../errors.js';
import { isUniqueViolation, readJson } from '../validate.js';
import { acceptInviteBody, inviteTokenBody, setupBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { secretsEqual, sha256, sha256B64 } from '../server-crypto.js';
import { sealWithServerSecret } from '../server-secret.js';
import { newTotpSecret, totpUri } from '../totp.js';
import { audited } from '../audit.js';
import { requireSigned } from '../message-signature.js';
import { memberKeyBytes, orgKeyVersionBytes } from '../../web/protocol/signed-bytes.js';

export const SETUP_TOKEN_SETTING = 'setup_token_hash';
const INVALID_TOKEN = 'This link is not valid any more. Ask for a new one.';

type NewMember = { id: string; username: string; authSalt: string; authKey: string; boxPublicKey: string; wrappedSeed: string; keyProof?: string | undefined };
type NewOrganisationKeys = { id: string; boxPublicKey: string; signPublicKey: string; sealedKeyring: string; endorsement: string; founderEndorsement: string };

/**
 * A new organisation's first key version must sign itself, and the founder's key must be
 * signed by it: the start of the chain every client verifies (protocol 2).
 */
async function requireFoundingSignatures(org: NewOrganisationKeys, founder: NewMember): Promise<void> {
  const orgId = b64ToBytes(org.id)!;
  await requireSigned('organisation.endorsement', org.endorsement, org.signPublicKey, orgKeyVersionBytes(orgId, 1, b64ToBytes(org.boxPublicKey)!, b64ToBytes(org.signPublicKey)!));
  await requireSigned('organisation.founderEndorsement', org.founderEndorsement, org.signPublicKey, memberKeyBytes(orgId, b64ToBytes(founder.id)!, founder.username, b64ToBytes(founder.boxPublicKey)!));
}

/** The stored form of a newcomer, with a fresh TOTP secret to show them once. */
async function memberRow(deps: AppDeps, member: NewMember, orgId: string, role: 'admin' | 'investigator', instanceAdmin: boolean, trust: { keyProof: string | null; inviteId: string | null; inviteKeyVersion: number | null; endorsement: string | null; endorsementVersion: number | null }) {
  const totpSecret = newTotpSecret(deps.randomBytes);
  return {
    totpSecret,
    row: {
      id: member.id,
      orgId,
      username: member.username,
      role,
      instanceAdmin,
      authSalt: member.authSalt,
      authKeyHash: bytesToB64(await sha256(b64ToBytes(member.authKey)!)),
      boxPublicKey: member.boxPublicKey,
      wrappedSeed: member.wrappedSeed,
      createdAt: deps.clock(),
      totpSecretEnc: await sealWithServerSecret(deps.serverSecret, totpSecret, member.id),
      totpConfirmed: false,
      totpLastStep: 0,
      ...trust,
    },
  };
}

/** A founder's key is endorsed at founding by the organisation's first key. */
const founderTrust = (org: NewOrganisationKeys) => ({ keyProof: null, inviteId: null, inviteKeyVersion: null, endorsement: org.founderEndorsement, endorsementVersion: 1 });

/** A unique violation on joining: the username (kept by removed members too) or a client-chosen id. */
function refuseDuplicate(error: unknown): never {
  if (isUniqueViolation(error)) {
    if (/username/.test(String((error as Error).message) + String((error as Error).cause ?? ''))) throw new ApiError('username_taken', 'That username is taken. Choose another.');
    throw new ApiError('duplicate_id', 'That identifier is taken. Try again.');
  }
  throw error;
}

const tokenInvalid = () => new ApiError('token_invalid', INVALID_TOKEN);

export function accountRoutes(deps: AppDeps) {
  return new Hono()
    .post('/setup', async (c) => {
      const body = await readJson(c, setupBody);
      const expected = await getSetting(deps.db, SETUP_TOKEN_SETTING);
      const tokenHash = await sha256(b64ToBytes(body.setupToken)!);
      const tokenOk = expected !== undefined && (await secretsEqual(tokenHash, b64ToBytes(expected) ?? new Uint8Array()));
      if (!tokenOk || (await listOrganisations(deps.db)).length > 0) throw tokenInvalid();
      const now = deps.clock();
      await requireFoundingSignatures(body.organisation, body.member);
      const { row, totpSecret } = await memberRow(deps, body.member, body.organisation.id, 'admin', true, founderTrust(body.organisation));
      const { sealedKeyring, founderEndorsement: _founder, ...org } = body.organisation;
      // The link is spent in the founding write itself: of two concurrent uses, one lands.
      await audited(deps.db, now, { orgId: org.id, actorId: row.id, action: 'organisation_create', subject: org.id, detail: { via: 'setup' } }, () => [
        ...spendSetupTokenSteps(deps.db, SETUP_TOKEN_SETTING, expected!, tokenInvalid()),
        ...foundOrganisationStatements(deps.db, { ...org, keyVersion: 1, createdAt: now }, row, sealedKeyring),
      ]).catch(refuseDuplicate);
      return c.json({ totp: { secret: totpSecret, uri: totpUri(totpSecret, row.username) } }, 201);
    })
    .post('/invites/inspect', async (c) => {
      const { token } = await readJson(c, inviteTokenBody);
      const invite = await findLiveInvite(deps.db, await sha256B64(b64ToBytes(token)!), deps.clock());
      if (!invite) throw tokenInvalid();
      const orgs = await listOrganisations(deps.db);
      const orgName = invite.kind === 'organisation' ? invite.orgName : (orgs.find((o) => o.id === invite.orgId)?.name ?? null);
      return c.json({ kind: invite.kind, role: invite.role, orgName, orgId: invite.orgId });
    })
    .post('/invites/accept', async (c) => {
      const body = await readJson(c, acceptInviteBody);
      const tokenHash = await sha256B64(b64ToBytes(body.token)!);
      const now = deps.clock();
      const invite = await findLiveInvite(deps.db, tokenHash, now);
      if (!invite) throw tokenInvalid();
      if ((invite.kind === 'organisation') !== (body.organisation !== undefined)) throw new ApiError('invalid_body', 'organisation: give the new organisation’s keys exactly when the invitation founds one.');
      if (invite.kind === 'organisation') {
        const org = body.organisation!;
        await requireFoundingSignatures(org, body.member);
        const { row, totpSecret } = await memberRow(deps, body.member, org.id, 'admin', false, founderTrust(org));
        const { sealedKeyring, founderEndorsement: _founder, ...keys } = org;
        await audited(deps.db, now, { orgId: org.id, actorId: row.id, action: 'organisation_create', subject: org.id, detail: { via: 'invite', invitedBy: invite.createdBy ?? '' } }, () => [
          ...spendInviteSteps(deps.db, tokenHash, now, tokenInvalid()),
          ...foundOrganisationStatements(deps.db, { ...keys, name: invite.orgName!, keyVersion: 1, createdAt: now }, row, sealedKeyring),
        ]).catch(refuseDuplicate);
        return c.json({ totp: { secret: totpSecret, uri: totpUri(totpSecret, row.username) } }, 201);
      }
      if (!body.member.keyProof) throw new ApiError('invalid_body', 'member.keyProof: required when joining: the link’s secret proves which key is yours.');
      // The proof is kept for the administrator's device to check; the server cannot (it never sees the secret).
      const trust = { keyProof: body.member.keyProof, inviteId: tokenHash, inviteKeyVersion: invite.keyVersion, endorsement: null, endorsementVersion: null };
      const { row, totpSecret } = await memberRow(deps, body.member, invite.orgId!, invite.role, false, trust);
      await audited(deps.db, now, { orgId: invite.orgId!, actorId: row.id, action: 'member_add', subject: row.id, detail: { role: invite.role, invitedBy: invite.createdBy ?? '', invite: tokenHash } }, () => [
        ...spendInviteSteps(deps.db, tokenHash, now, tokenInvalid()),
        ...joinOrganisationStatements(deps.db, row),
      ]).catch(refuseDuplicate);
      return c.json({ totp: { secret: totpSecret, uri: totpUri(totpSecret, row.username) } }, 201);
    });
}
