// Investigator sign-in. The browser asks for its salt, derives an authentication key from
// the password on the device, and sends only that; the server compares hashes. An unknown
// username gets a stand-in salt (stable, keyed by an instance secret) and the same refusal,
// so neither step reveals whether an account exists.
import { Hono } from 'hono';
import { b64ToBytes, bytesToB64, utf8ToBytes } from '../../web/protocol/encoding.js';
import { SIZES } from '../../web/protocol/labels.js';
import { getOrCreateSetting } from '../../db/repo/instance.js';
import { claimTotpStep, claimTotpStepSteps, findMemberByUsername, listKeyrings, memberStillPresent } from '../../db/repo/members.js';
import { keyVersionsOf } from '../../db/repo/accounts.js';
import { requireThat } from '../../db/atomic.js';
import { withCheckedCredentials, WORK_FOR_SIGN_IN } from '../credential-check.js';
import { deviceTokenFor } from '../device-token.js';
import { requireWorkPaid, type WorkGate } from '../proof-of-work.js';
import { findOrganisation } from '../../db/repo/organisations.js';
import { insertSessionStatements, deleteSessionStatements } from '../../db/repo/sessions.js';
import { ApiError } from '../errors.js';
import { readJson } from '../validate.js';
import { preloginBody, signInBody, totpConfirmBody } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { hmacSha256, sha256B64 } from '../server-crypto.js';
import { investigatorSession, SESSION_TOKEN_BYTES, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { publicOrganisations } from '../public-organisations.js';
import { audited } from '../audit.js';
import { publicKeyVersion } from './keyrings.js';

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
      // A code is spent even if a racing request used it first.
      const investigator = await withCheckedCredentials(deps, attempt, { totpConfirmed: true, refused }, async (found, step) => {
        if (!(await claimTotpStep(deps.db, found.id, step, false))) throw refused;
        return found;
      });
      const org = await findOrganisation(deps.db, investigator.orgId);
      if (!org) throw new ApiError('unauthorised', SIGN_IN_REFUSED);
      const token = deps.randomBytes(SESSION_TOKEN_BYTES);
      const expiresAt = now + deps.config.sessionAbsoluteMs;
      const session = { tokenHash: await sha256B64(token), memberId: investigator.id, createdAt: now, lastUsedAt: now, expiresAt };
      // A member removed since their password was checked gets no session.
      await audited(deps.db, now, { orgId: org.id, actorId: investigator.id, action: 'sign_in', subject: investigator.id }, () => [
        requireThat(memberStillPresent(investigator.id), new ApiError('unauthorised', SIGN_IN_REFUSED)),
        ...insertSessionStatements(deps.db, session),
      ]);
      const [keyrings, keyVersions] = await Promise.all([listKeyrings(deps.db, investigator.id, org.id), keyVersionsOf(deps.db, org.id)]);
      return c.json(
        {
          token: bytesToB64(token),
          expiresAt,
          investigator: { id: investigator.id, username: investigator.username, role: investigator.role, instanceAdmin: investigator.instanceAdmin, boxPublicKey: investigator.boxPublicKey, wrappedSeed: investigator.wrappedSeed },
          organisation: (await publicOrganisations(deps.db, [org]))[0],
          keyrings: keyrings.map((k) => ({ keyVersion: k.keyVersion, sealedKeyring: k.sealedKeyring, confirmed: k.confirmed })),
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
      await withCheckedCredentials(deps, attempt, { totpConfirmed: false, refused }, (investigator, step) =>
        audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'totp_confirm', subject: investigator.id }, () => claimTotpStepSteps(deps.db, investigator.id, step, true, refused)),
      );
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
