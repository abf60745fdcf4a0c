// GET /api/config: what a client needs before it starts: protocol version, the public
// mailbox KDF salt and cost, and the organisations with their public keys.
import { Hono } from 'hono';
import { bytesToB64 } from '../../web/protocol/encoding.js';
import { PROTOCOL_VERSION, SIZES } from '../../web/protocol/labels.js';
import { getOrCreateSetting } from '../../db/repo/instance.js';
import { allOrganisationsWithKeyVersions } from '../../db/repo/accounts.js';
import type { AppDeps } from '../deps.js';
import { publicOrganisationsFrom } from '../public-organisations.js';

export function configRoutes(deps: AppDeps) {
  let mailboxSalt: string | undefined;
  return new Hono().get('/config', async (c) => {
    mailboxSalt ??= await getOrCreateSetting(deps.db, 'mailbox_kdf_salt', () => bytesToB64(deps.randomBytes(SIZES.kdfSalt)));
    const { organisations, keyVersions } = await allOrganisationsWithKeyVersions(deps.db);
    return c.json({
      protocolVersion: PROTOCOL_VERSION,
      mailboxKdf: { salt: mailboxSalt, ...deps.config.mailboxKdf },
      organisations: publicOrganisationsFrom(organisations, keyVersions),
    });
  });
}
