// The one-time setup link: while the instance has no organisation, a fresh token is made
// at start and only its hash is kept. Opening /console#setup=TOKEN founds the first
// organisation in the browser. The token sits in the URL fragment, which browsers never
// send to the server, so it reaches no log.
import { bytesToB64 } from '../web/protocol/encoding.js';
import type { ParleyDb } from '../db/database.js';
import { listOrganisations } from '../db/repo/organisations.js';
import { setSetting } from '../db/repo/instance.js';
import { SETUP_TOKEN_SETTING } from './routes/accounts.js';
import { sha256B64 } from './server-crypto.js';

/** Returns the setup link's fragment, or null when organisations exist already. */
export async function issueSetupToken(db: ParleyDb, randomBytes: (n: number) => Uint8Array): Promise<string | null> {
  if ((await listOrganisations(db)).length > 0) return null;
  const token = randomBytes(32);
  await setSetting(db, SETUP_TOKEN_SETTING, await sha256B64(token));
  return `#setup=${bytesToB64(token)}`;
}
