// An organisation's settings: its deadlines (for reports received afterwards: a case's due days
// are fixed on arrival), how long it keeps cases, and its time zone. Every member may read them
// (the console counts days with them); only an administrator changes them, audited with the values.
import { Hono } from 'hono';
import { settingsOf, updateSettingsStatement } from '../../db/repo/organisations.js';
import { audited } from '../audit.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { readJson } from '../validate.js';
import { organisationSettingsBody } from '../wire.js';
import { requireAdmin } from './members.js';

/**
 * Mounted at /api/investigator before the members' routes: each route carries its own session
 * check, and the admin one answers before the members' sub-app's own middleware would run.
 */
export function organisationSettingsRoutes(deps: AppDeps) {
  const session = investigatorSession(deps);
  return new Hono<{ Variables: InvestigatorVariables }>()
    .get('/organisation/settings', session, async (c) => {
      const org = c.get('organisation');
      return c.json(settingsOf(org));
    })
    .put('/admin/settings', session, requireAdmin(), async (c) => {
      const me = c.get('investigator');
      const settings = await readJson(c, organisationSettingsBody);
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'organisation_settings', subject: me.orgId, detail: settings }, () => [updateSettingsStatement(deps.db, me.orgId, settings)]);
      return c.json(settings);
    });
}
