// An organisation's members and keys, for its administrators: invitations (made, listed,
// revoked), granting the organisation keys to a member, removing a member with a key
// rotation, and ending a member's sessions. Every change goes through audited().
//
// Rotation never deletes or overwrites what opens existing cases: members keep every key
// version they hold, a new version is pending until another member's device confirms it
// opens (routes/keyrings.ts), and keyrings are only ever added. See docs/PROTOCOL.md.
import { Hono, type MiddlewareHandler } from 'hono';
import { b64ToBytes, bytesToB64 } from '../../web/protocol/encoding.js';
import { memberKeyBytes, orgKeyVersionBytes } from '../../web/protocol/signed-bytes.js';
import { requireSigned } from '../message-signature.js';
import {
  abandonStatements, deleteSessionsStatements, grantKeyringSteps, insertInviteStatements, keyVersionsOf, listLiveInvites, liveInvites,
  removeMemberStatements, revokeInviteStatements, startRotationSteps,
} from '../../db/repo/accounts.js';
import { currentMembers, findMember, keyringGrantReads, membersWithKeyrings } from '../../db/repo/members.js';
import { readTogether } from '../../db/read-together.js';
import type { Organisation } from '../../db/repo/organisations.js';
import { ApiError } from '../errors.js';
import { readJson, readParams } from '../validate.js';
import { createInviteBody, grantKeyringsBody, inviteIdParam, memberIdParam, removeMemberBody, rotationBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { sha256B64 } from '../server-crypto.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited } from '../audit.js';
import { publicKeyVersion } from './keyrings.js';
import type { Member } from '../../db/repo/members.js';
import type { z } from 'zod';

type Env = { Variables: InvestigatorVariables };

export function requireAdmin(): MiddlewareHandler<Env> {
  return async function requireAdminMiddleware(c, next) {
    if (c.get('investigator').role !== 'admin') throw new ApiError('forbidden', 'Only an administrator of your organisation can do this.');
    await next();
  };
}

const MEMBERS_CHANGED = () => new ApiError('members_changed', 'Members changed while the new keys were being made. Reload and try again.');
const NO_SUCH_MEMBER = () => new ApiError('not_found', 'No such member of your organisation.');
const KEYS_CHANGED = () => new ApiError('org_key_changed', "The organisation's keys have changed. Reload and try again.");
const ROTATION_PENDING = () => new ApiError('rotation_pending', 'A key change is waiting for a member to confirm it. Wait for it, or cancel it, before starting another.');

/** The member found, when they are a current member of the caller's own organisation; else not_found. */
function ownMember(orgId: string, member: Member | undefined): Member {
  if (!member || member.orgId !== orgId) throw NO_SUCH_MEMBER();
  return member;
}

export function memberRoutes(deps: AppDeps) {
  /** A member of the caller's own organisation, or not_found. */
  async function memberOfOwnOrg(orgId: string, memberId: string): Promise<Member> {
    return ownMember(orgId, await findMember(deps.db, memberId));
  }

  /**
   * What a rotation is checked against before its write. Who gets the new keys is checked in the
   * write itself (startRotationSteps' guards, after a removal in the same write): every current
   * holder of the current keys (the rotating administrator, who signed with them, is one), so the
   * unit is not quietly narrowed to the administrator, and no one outside it; no member can
   * change in between.
   */
  async function checkRotation(org: Organisation, rotation: z.infer<typeof rotationBody>): Promise<void> {
    if (rotation.fromVersion !== org.keyVersion) throw KEYS_CHANGED();
    // The next link of the organisation's key chain: signed by the current signing key.
    await requireSigned('endorsement', rotation.endorsement, org.signPublicKey, orgKeyVersionBytes(b64ToBytes(org.id)!, rotation.fromVersion + 1, b64ToBytes(rotation.boxPublicKey)!, b64ToBytes(rotation.signPublicKey)!));
    await deps.checkpoint?.('rotation:before-write');
  }

  const rotationSteps = (me: Member, rotation: z.infer<typeof rotationBody>, now: number) =>
    startRotationSteps(deps.db, { orgId: me.orgId, ...rotation, createdBy: me.id, createdAt: now }, { changed: KEYS_CHANGED(), pending: ROTATION_PENDING(), membersChanged: MEMBERS_CHANGED() });

  return new Hono<Env>()
    .use('*', investigatorSession(deps), requireAdmin())
    .get('/members', async (c) => {
      const me = c.get('investigator');
      const org = c.get('organisation');
      const { members, keyrings, versions } = await membersWithKeyrings(deps.db, me.orgId);
      return c.json({
        keyVersion: org.keyVersion,
        keyVersions: versions.map(publicKeyVersion),
        members: members.map((m) => {
          const own = keyrings.filter((k) => k.memberId === m.id);
          return {
            id: m.id,
            username: m.username,
            role: m.role,
            boxPublicKey: m.boxPublicKey,
            totpConfirmed: m.totpConfirmed,
            hasCurrentKeyring: own.some((k) => k.keyVersion === org.keyVersion),
            // What an administrator's device checks before sealing anything to this member (protocol 2).
            keyProof: m.keyProof,
            inviteId: m.inviteId,
            inviteKeyVersion: m.inviteKeyVersion,
            endorsement: m.endorsement,
            endorsementVersion: m.endorsementVersion,
            keyrings: own.map((k) => ({ keyVersion: k.keyVersion, confirmed: k.confirmed })),
          };
        }),
      });
    })
    .get('/invites', async (c) => {
      const me = c.get('investigator');
      // Who made each, by name: both in one trip.
      const [invites, members] = await readTogether(deps.db, [liveInvites(deps.db, me.orgId, deps.clock()), currentMembers(deps.db, me.orgId)]);
      const nameOf = (id: string | null) => members.find((m) => m.id === id)?.username ?? null;
      return c.json({
        invites: invites.map((i) => ({ id: i.tokenHash, kind: i.kind, role: i.role, orgName: i.orgName, createdBy: nameOf(i.createdBy), expiresAt: i.expiresAt })),
      });
    })
    .post('/invites', async (c) => {
      const me = c.get('investigator');
      const body = await readJson(c, createInviteBody);
      if (body.kind === 'organisation' && !me.instanceAdmin) throw new ApiError('forbidden', 'Only an instance administrator can invite a new organisation.');
      const token = deps.randomBytes(32);
      const now = deps.clock();
      const expiresAt = now + deps.config.inviteTtlMs;
      const tokenHash = await sha256B64(token);
      const invite = {
        tokenHash,
        kind: body.kind,
        orgId: body.kind === 'member' ? me.orgId : null,
        orgName: body.kind === 'organisation' ? body.orgName : null,
        role: body.kind === 'member' ? body.role : ('admin' as const),
        createdBy: me.id,
        expiresAt,
        // The invitation's secret (in the link, never sent here) is made from this version's signing seed.
        keyVersion: c.get('organisation').keyVersion,
      };
      const detail: Record<string, string> = body.kind === 'member' ? { invite: tokenHash, role: body.role } : { invite: tokenHash, organisation: body.orgName };
      await audited(deps.db, now, { orgId: me.orgId, actorId: me.id, action: 'member_invite', subject: null, detail }, () => insertInviteStatements(deps.db, invite));
      return c.json({ token: bytesToB64(token), id: tokenHash, expiresAt, keyVersion: invite.keyVersion }, 201);
    })
    .delete('/invites/:inviteId', async (c) => {
      const me = c.get('investigator');
      const { inviteId } = readParams(c, inviteIdParam);
      const live = await listLiveInvites(deps.db, me.orgId, deps.clock());
      if (!live.some((i) => i.tokenHash === inviteId)) throw new ApiError('not_found', 'No such invitation, or it has been used or has expired.');
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'invite_revoke', subject: null, detail: { invite: inviteId } }, () => revokeInviteStatements(deps.db, inviteId));
      return c.body(null, 204);
    })
    .post('/members/:memberId/keyrings', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      // The input is checked whole before anything is looked up.
      const { keyrings, endorsement } = await readJson(c, grantKeyringsBody);
      const read = await keyringGrantReads(deps.db, memberId, me.orgId);
      const { theirs, versions: versionRows, auditHead } = read;
      const member = ownMember(me.orgId, read.member);
      const versions = new Set(versionRows.map((v) => v.keyVersion));
      if (!keyrings.every((k) => versions.has(k.keyVersion))) throw KEYS_CHANGED();
      // The granting device checked the member's invitation proof, then endorsed their key with an organisation signing key.
      const endorser = versionRows.find((v) => v.keyVersion === endorsement.keyVersion && v.state === 'active');
      if (!endorser) throw KEYS_CHANGED();
      await requireSigned('endorsement.signature', endorsement.signature, endorser.signPublicKey, memberKeyBytes(b64ToBytes(me.orgId)!, b64ToBytes(member.id)!, member.username, b64ToBytes(member.boxPublicKey)!));
      const existing = new Set(theirs.map((k) => k.keyVersion));
      const added = keyrings.filter((k) => !existing.has(k.keyVersion));
      await deps.checkpoint?.('keyring-grant:before-write');
      const grant = {
        orgId: me.orgId,
        memberId,
        keyrings: added.map(({ keyVersion, sealedKeyring }) => ({ keyVersion, sealedKeyring })),
        endorsement: endorsement.signature,
        endorsementVersion: endorsement.keyVersion,
        newestVersion: Math.max(...versionRows.map((v) => v.keyVersion)),
      };
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'member_keyring', subject: memberId, detail: { keyVersions: added.map((k) => k.keyVersion).join(',') } }, () =>
        grantKeyringSteps(deps.db, grant, { notMember: NO_SUCH_MEMBER(), keysChanged: KEYS_CHANGED() }), [auditHead]);
      return c.json({ memberId, added: added.map((k) => k.keyVersion) }, 201);
    })
    .post('/members/:memberId/remove', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      const { rotation } = await readJson(c, removeMemberBody);
      if (memberId === me.id) throw new ApiError('cannot_remove_self', 'Ask another administrator to remove you.');
      await checkRotation(c.get('organisation'), rotation);
      const now = deps.clock();
      await audited(
        deps.db,
        now,
        [
          { orgId: me.orgId, actorId: me.id, action: 'member_remove', subject: memberId },
          { orgId: me.orgId, actorId: me.id, action: 'key_rotate', subject: me.orgId, detail: { keyVersion: rotation.fromVersion + 1, keyrings: rotation.keyrings.length } },
        ],
        () => [...removeMemberStatements(deps.db, me.orgId, memberId, now, NO_SUCH_MEMBER()), ...rotationSteps(me, rotation, now)],
      );
      return c.json({ keyVersion: rotation.fromVersion + 1, state: 'pending' });
    })
    .post('/rotation', async (c) => {
      const me = c.get('investigator');
      const rotation = await readJson(c, rotationBody);
      await checkRotation(c.get('organisation'), rotation);
      const now = deps.clock();
      await audited(deps.db, now, { orgId: me.orgId, actorId: me.id, action: 'key_rotate', subject: me.orgId, detail: { keyVersion: rotation.fromVersion + 1, keyrings: rotation.keyrings.length } }, () =>
        rotationSteps(me, rotation, now),
      );
      return c.json({ keyVersion: rotation.fromVersion + 1, state: 'pending' }, 201);
    })
    .delete('/rotation', async (c) => {
      const me = c.get('investigator');
      const pending = (await keyVersionsOf(deps.db, me.orgId)).find((v) => v.state === 'pending');
      if (!pending) throw new ApiError('not_found', 'No key change is waiting.');
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'key_abandon', subject: me.orgId, detail: { keyVersion: pending.keyVersion } }, () => abandonStatements(deps.db, pending));
      return c.body(null, 204);
    })
    .delete('/members/:memberId/sessions', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      await memberOfOwnOrg(me.orgId, memberId);
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'session_revoke', subject: memberId }, () => deleteSessionsStatements(deps.db, memberId));
      return c.body(null, 204);
    });
}
