// `npm run audit:verify`: checks every organisation's audit chain (or one, with --org ID)
// and names the first broken entry. Exit code 1 when any chain is broken.
import { parseArgs } from 'node:util';
import { openNodeDatabase } from '../db/open-node.js';
import { listOrganisations } from '../db/repo/organisations.js';
import { readNodeEnv } from '../worker/env-node.js';
import { verifyAuditChain } from '../worker/audit.js';

const { values } = parseArgs({ options: { org: { type: 'string' } } });
const env = readNodeEnv(process.env);
const database = openNodeDatabase(env.PARLEY_DB);
let broken = false;
try {
  const orgs = (await listOrganisations(database.db)).filter((o) => !values.org || o.id === values.org);
  if (values.org && orgs.length === 0) throw new Error(`no organisation ${values.org}`);
  for (const org of orgs) {
    const verdict = await verifyAuditChain(database.db, org.id);
    if (verdict.ok) console.log(`ok      ${org.name}: ${verdict.entries} entries, head ${verdict.headHash}`);
    else {
      broken = true;
      console.log(`BROKEN  ${org.name}: entry ${verdict.brokenAtSeq} ${verdict.reason} (${verdict.entries} entries before it verify)`);
    }
  }
} finally {
  database.close();
}
process.exit(broken ? 1 : 0);
