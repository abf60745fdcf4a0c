// Investigator sign-in. The browser asks for its salt, derives an authentication key from
// the password on the device, and sends only that; the server compares hashes. An unknown
// username gets a stand-in salt (stable, keyed by an instance secret) and the same refusal,
// so neither step reveals whether an account exists.
import { Hono } from 'hono';
import { b64ToBytes, bytesToB64, utf8ToBytes } from '../../web/protocol/encoding.js';
import { SIZES } from '../../web/protocol/labels.js';
import { getOrCreateSetting } from '../../db/repo/instance.js';
import { findMemberByUsername, keyringsWithVersions } from '../../db/repo/members.js';
import { currentMembersOf } from '../../db/repo/member-guards.js';
import { requireThat } from '../../db/atomic.js';
import { checkCredentials, WORK_FOR_SIGN_IN } from '../credential-check.js';
import { deviceTokenFor } from '../device-token.js';
import { requireWorkPaid, type WorkGate } from '../proof-of-work.js';
import { insertSessionStatements, deleteSessionStatements } from '../../db/repo/sessions.js';
import { ApiError } from '../errors.js';
import { readJson } from '../validate.js';
import { preloginBody, signInBody, totpConfirmBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { hmacSha256, sha256B64 } from '../server-crypto.js';
import { investigatorSession, SESSION_TOKEN_BYTES, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { publicOrganisationsFrom } from '../public-organisations.js';
import { audited } from '../audit.js';
import { heldKeyring, publicKeyVersion } from './keyrings.js';

const SIGN_IN_REFUSED = 'Username, password or code is wrong.';

export function investigatorSessionRoutes(deps: AppDeps, work: WorkGate) {
  // Made once per instance, then kept in memory: no database write on every prelogin.
  let standInKey: Promise<string> | undefined;
  const standInSaltKey = () => (standInKey ??= getOrCreateSetting(deps.db, 'stand_in_salt_key', () => bytesToB64(deps.randomBytes(SIZES.key))));

  return new Hono<{ Variables: InvestigatorVariables }>()
    .post('/prelogin', async (c) => {
      const { username } = await readJson(c, preloginBody);
      const investigator = await findMemberByUsername(deps.db, username);
      // The stand-in is computed for every name, so known and unknown take the same path.
      const standIn = bytesToB64((await hmacSha256(b64ToBytes(await standInSaltKey())!, utf8ToBytes(username))).slice(0, SIZES.kdfSalt));
      return c.json({ salt: investigator?.authSalt ?? standIn, kdf: deps.config.investigatorKdf });
    })
    .post('/sessions', async (c) => {
      await requireWorkPaid(work, c, WORK_FOR_SIGN_IN);
      const attempt = await readJson(c, signInBody);
      const now = deps.clock();
      const refused = new ApiError('unauthorised', SIGN_IN_REFUSED);
      const { investigator, organisation, auditHead, landingSteps } = await checkCredentials(deps, attempt, { totpConfirmed: true, refused });
      const token = deps.randomBytes(SESSION_TOKEN_BYTES);
      const expiresAt = now + deps.config.sessionAbsoluteMs;
      const session = { tokenHash: await sha256B64(token), memberId: investigator.id, createdAt: now, lastUsedAt: now, expiresAt };
      // The session lands with the code's claim (a code a racing request used first gets none)
      // and only for a member not removed since their password was checked.
      await audited(
        deps.db,
        now,
        { orgId: organisation.id, actorId: investigator.id, action: 'sign_in', subject: investigator.id },
        () => [requireThat(currentMembersOf(organisation.id, [investigator.id]), refused), ...landingSteps, ...insertSessionStatements(deps.db, session)],
        [auditHead],
      );
      const { keyrings, keyVersions } = await keyringsWithVersions(deps.db, investigator.id, organisation.id);
      return c.json(
        {
          token: bytesToB64(token),
          expiresAt,
          investigator: { id: investigator.id, username: investigator.username, role: investigator.role, instanceAdmin: investigator.instanceAdmin, boxPublicKey: investigator.boxPublicKey, wrappedSeed: investigator.wrappedSeed },
          organisation: publicOrganisationsFrom([organisation], keyVersions)[0],
          keyrings: keyrings.map(heldKeyring),
          keyVersions: keyVersions.map(publicKeyVersion),
          deviceToken: await deviceTokenFor(deps.serverSecret, investigator.username),
        },
        201,
      );
    })
    .post('/totp/confirm', async (c) => {
      await requireWorkPaid(work, c, WORK_FOR_SIGN_IN);
      const attempt = await readJson(c, totpConfirmBody);
      const refused = new ApiError('unauthorised', 'That code did not confirm the account. Check the time on your phone and try the newest code.');
      // The step is claimed in the audited write: of two racing requests with one code, one lands.
      const { investigator, auditHead, landingSteps } = await checkCredentials(deps, attempt, { totpConfirmed: false, refused });
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'totp_confirm', subject: investigator.id }, () => landingSteps, [auditHead]);
      return c.body(null, 204);
    })
    .delete('/sessions/current', investigatorSession(deps), async (c) => {
      const investigator = c.get('investigator');
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'sign_out', subject: investigator.id }, () =>
        deleteSessionStatements(deps.db, c.get('sessionTokenHash')),
      );
      return c.body(null, 204);
    });
}
