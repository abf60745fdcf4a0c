// A member's own address for staff notices (worker/notices.ts): read, set, changed or cleared.
// The change is audited (notice_settings) without the address: the log says that, not where.
import { Hono } from 'hono';
import { setNoticeAddressSteps } from '../../db/repo/notices.js';
import { readJson } from '../validate.js';
import { noticeAddressBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited } from '../audit.js';

export function noticeAddressRoutes(deps: AppDeps) {
  return new Hono<{ Variables: InvestigatorVariables }>()
    .use('*', investigatorSession(deps))
    .get('/', (c) => c.json({ email: c.get('investigator').noticeEmail }))
    .put('/', async (c) => {
      const me = c.get('investigator');
      const { email } = await readJson(c, noticeAddressBody);
      await audited(deps.db, deps.clock(), { orgId: me.orgId, actorId: me.id, action: 'notice_settings', subject: me.id, detail: { notices: email === null ? 'off' : 'on' } }, () => setNoticeAddressSteps(deps.db, me.id, email));
      return c.json({ email });
    });
}
