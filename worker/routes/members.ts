// An organisation's members and keys, for its administrators: invitations, wrapping the
// organisation keys to a new member, removing a member (which rotates the keys), and
// revoking sessions. Instance administrators may also invite someone to found an organisation.
import { Hono, type MiddlewareHandler } from 'hono';
import { bytesToB64 } from '../../web/protocol/encoding.js';
import { caseKeysOfOrg, deleteSessionsOf, insertInvite, insertKeyring, otherMembers, removeMemberAndRotate } from '../../db/repo/accounts.js';
import { listMembers, listKeyrings, findInvestigator } from '../../db/repo/investigators.js';
import { findOrganisation } from '../../db/repo/organisations.js';
import { ApiError } from '../errors.js';
import { readJson, readParams } from '../validate.js';
import { createInviteBody, keyringBody, memberIdParam, removeMemberBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { sha256B64 } from '../server-crypto.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { appendAudit } from '../audit.js';

type Env = { Variables: InvestigatorVariables };

export function requireAdmin(): MiddlewareHandler<Env> {
  return async function requireAdminMiddleware(c, next) {
    if (c.get('investigator').role !== 'admin') throw new ApiError('forbidden', 'Only an administrator of your organisation can do this.');
    await next();
  };
}

export function memberRoutes(deps: AppDeps) {
  /** A member of the caller's own organisation, or not_found. */
  async function memberOfOwnOrg(orgId: string, memberId: string) {
    const member = await findInvestigator(deps.db, memberId);
    if (!member || member.orgId !== orgId) throw new ApiError('not_found', 'No such member of your organisation.');
    return member;
  }

  return new Hono<Env>()
    .use('*', investigatorSession(deps), requireAdmin())
    .get('/members', async (c) => {
      const me = c.get('investigator');
      const org = (await findOrganisation(deps.db, me.orgId))!;
      const members = await listMembers(deps.db, me.orgId);
      const withKeys = await Promise.all(
        members.map(async (m) => ({
          id: m.id,
          username: m.username,
          role: m.role,
          boxPublicKey: m.boxPublicKey,
          totpConfirmed: m.totpConfirmed,
          hasCurrentKeyring: (await listKeyrings(deps.db, m.id, me.orgId)).some((k) => k.keyVersion === org.keyVersion),
        })),
      );
      return c.json({ keyVersion: org.keyVersion, members: withKeys });
    })
    .get('/case-keys', async (c) => {
      const rows = await caseKeysOfOrg(deps.db, c.get('investigator').orgId);
      return c.json({ caseKeys: rows.map((r) => ({ caseId: r.caseId, keyVersion: r.keyVersion, sealedCaseKey: r.sealedCaseKey })) });
    })
    .post('/invites', async (c) => {
      const me = c.get('investigator');
      const body = await readJson(c, createInviteBody);
      if (body.kind === 'organisation' && !me.instanceAdmin) throw new ApiError('forbidden', 'Only an instance administrator can invite a new organisation.');
      const token = deps.randomBytes(32);
      const now = deps.clock();
      const expiresAt = now + deps.config.inviteTtlMs;
      await insertInvite(deps.db, {
        tokenHash: await sha256B64(token),
        kind: body.kind,
        orgId: body.kind === 'member' ? me.orgId : null,
        orgName: body.kind === 'organisation' ? body.orgName : null,
        role: body.kind === 'member' ? body.role : 'admin',
        createdBy: me.id,
        expiresAt,
      });
      await appendAudit(deps.db, now, { orgId: me.orgId, actorId: me.id, action: 'member_invite', subject: null, detail: body.kind === 'member' ? { role: body.role } : { organisation: body.orgName } });
      return c.json({ token: bytesToB64(token), expiresAt }, 201);
    })
    .post('/members/:memberId/keyring', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      await memberOfOwnOrg(me.orgId, memberId);
      const body = await readJson(c, keyringBody);
      const org = (await findOrganisation(deps.db, me.orgId))!;
      if (body.keyVersion !== org.keyVersion) throw new ApiError('conflict', "The organisation's keys have changed. Reload and try again.");
      await insertKeyring(deps.db, { investigatorId: memberId, orgId: me.orgId, keyVersion: body.keyVersion, sealedKeyring: body.sealedKeyring });
      await appendAudit(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'member_keyring', subject: memberId, detail: { keyVersion: body.keyVersion } });
      return c.json({ memberId, keyVersion: body.keyVersion }, 201);
    })
    .post('/members/:memberId/remove', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      if (memberId === me.id) throw new ApiError('conflict', 'Ask another administrator to remove you.');
      await memberOfOwnOrg(me.orgId, memberId);
      const body = await readJson(c, removeMemberBody);
      const org = (await findOrganisation(deps.db, me.orgId))!;
      if (body.keyVersion !== org.keyVersion + 1) throw new ApiError('conflict', "The organisation's keys have changed. Reload and try again.");
      // The rotation must cover exactly the remaining members and exactly this organisation's cases.
      const remaining = new Set((await otherMembers(deps.db, me.orgId, memberId)).map((m) => m.id));
      const cases = new Set((await caseKeysOfOrg(deps.db, me.orgId)).map((k) => k.caseId));
      const sameSet = (expected: Set<string>, given: string[]) => given.length === expected.size && new Set(given).size === given.length && given.every((x) => expected.has(x));
      if (!sameSet(remaining, body.keyrings.map((k) => k.investigatorId)) || !sameSet(cases, body.caseKeys.map((k) => k.caseId))) {
        throw new ApiError('conflict', 'Members or cases changed while the keys were being rotated. Reload and try again.');
      }
      const now = deps.clock();
      await removeMemberAndRotate(deps.db, { orgId: me.orgId, removedId: memberId, keyVersion: body.keyVersion, boxPublicKey: body.boxPublicKey, signPublicKey: body.signPublicKey, createdAt: now, keyrings: body.keyrings, caseKeys: body.caseKeys });
      await appendAudit(deps.db, now, { orgId: me.orgId, actorId: me.id, action: 'member_remove', subject: memberId });
      await appendAudit(deps.db, now, { orgId: me.orgId, actorId: me.id, action: 'key_rotate', subject: me.orgId, detail: { keyVersion: body.keyVersion, caseKeys: body.caseKeys.length } });
      return c.json({ keyVersion: body.keyVersion });
    })
    .delete('/members/:memberId/sessions', async (c) => {
      const me = c.get('investigator');
      const { memberId } = readParams(c, memberIdParam);
      await memberOfOwnOrg(me.orgId, memberId);
      await deleteSessionsOf(deps.db, memberId);
      await appendAudit(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'session_revoke', subject: memberId });
      return c.body(null, 204);
    });
}

