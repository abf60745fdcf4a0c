// A member's own organisation keyrings: what they hold, and what their device found when it
// opened them. A confirmation is what makes a pending key version current: it needs a member
// other than the administrator who made the version (unless nobody else holds it), so one
// administrator alone cannot move the unit onto keys that only they can open. A member's
// device that finds a keyring does not open rejects it: it is deleted (so a working one can be
// granted), and a pending version rejected by anyone but its maker is abandoned.
import { Hono } from 'hono';
import {
  abandonStatements, activateStatements, confirmKeyringStatements, keyVersionsOf, rejectKeyringStatements, type KeyVersionRow,
} from '../../db/repo/accounts.js';
import { keyringCheckReads, keyringsWithVersions, type OrgKeyringRow } from '../../db/repo/members.js';
import type { WriteStep } from '../../db/atomic.js';
import { ApiError } from '../errors.js';
import { readJson } from '../validate.js';
import { keyringCheckBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited, type AuditEvent } from '../audit.js';

export function publicKeyVersion(v: KeyVersionRow) {
  return { keyVersion: v.keyVersion, state: v.state, boxPublicKey: v.boxPublicKey, signPublicKey: v.signPublicKey, createdBy: v.createdBy, endorsement: v.endorsement ?? '' };
}

/** A keyring as its holder receives it (here and at sign-in). */
export function heldKeyring(k: OrgKeyringRow) {
  return { keyVersion: k.keyVersion, sealedKeyring: k.sealedKeyring, confirmed: k.confirmed };
}

export function keyringRoutes(deps: AppDeps) {
  return new Hono<{ Variables: InvestigatorVariables }>()
    .use('*', investigatorSession(deps))
    .get('/', async (c) => {
      const me = c.get('investigator');
      const { keyrings, keyVersions } = await keyringsWithVersions(deps.db, me.id, me.orgId);
      return c.json({ keyrings: keyrings.map(heldKeyring), keyVersions: keyVersions.map(publicKeyVersion) });
    })
    .post('/checks', async (c) => {
      const me = c.get('investigator');
      const { confirmed, rejected } = await readJson(c, keyringCheckBody);
      const { mine, versions, allKeyrings, members, auditHead } = await keyringCheckReads(deps.db, me.id, me.orgId);
      const held = new Map(mine.map((k) => [k.keyVersion, k]));
      if (![...confirmed, ...rejected].every((v) => held.has(v)) || confirmed.some((v) => rejected.includes(v))) {
        throw new ApiError('invalid_body', 'confirmed, rejected: name key versions you hold, each once.');
      }
      if (rejected.some((v) => held.get(v)!.confirmed)) throw new ApiError('invalid_body', 'rejected: a keyring you confirmed cannot be rejected.');
      const present = new Set(members.map((m) => m.id));
      const versionOf = (v: number) => versions.find((row) => row.keyVersion === v);

      const events: AuditEvent[] = [];
      const steps: WriteStep[] = [];
      const newlyConfirmed = confirmed.filter((v) => !held.get(v)!.confirmed);
      if (newlyConfirmed.length > 0) {
        events.push({ orgId: me.orgId, actorId: me.id, action: 'keyring_confirm', subject: me.id, detail: { keyVersions: newlyConfirmed.join(',') } });
        steps.push(...confirmKeyringStatements(deps.db, me.id, me.orgId, newlyConfirmed));
      }
      for (const v of confirmed) {
        const version = versionOf(v);
        if (version?.state !== 'pending') continue;
        const othersHold = allKeyrings.some((k) => k.keyVersion === v && k.memberId !== version.createdBy && present.has(k.memberId));
        if (me.id !== version.createdBy || !othersHold) {
          events.push({ orgId: me.orgId, actorId: me.id, action: 'key_activate', subject: me.orgId, detail: { keyVersion: v } });
          steps.push(...activateStatements(deps.db, version));
        }
      }
      if (rejected.length > 0) {
        events.push({ orgId: me.orgId, actorId: me.id, action: 'keyring_reject', subject: me.id, detail: { keyVersions: rejected.join(',') } });
        steps.push(...rejectKeyringStatements(deps.db, me.id, me.orgId, rejected));
      }
      for (const v of rejected) {
        const version = versionOf(v);
        if (version?.state === 'pending' && me.id !== version.createdBy) {
          events.push({ orgId: me.orgId, actorId: me.id, action: 'key_abandon', subject: me.orgId, detail: { keyVersion: v } });
          steps.push(...abandonStatements(deps.db, version));
        }
      }
      if (events.length > 0) await audited(deps.db, deps.clock(), events, () => steps, [auditHead]);
      // Confirming and rejecting change only the member's keyrings; activating or abandoning changes the versions.
      const versionsChanged = events.some((e) => e.action === 'key_activate' || e.action === 'key_abandon');
      const after = versionsChanged ? await keyVersionsOf(deps.db, me.orgId) : versions;
      return c.json({ keyVersions: after.map(publicKeyVersion) });
    });
}
