// First-run setup on Workers, which have no start-up step to issue the setup link as the
// Node server does (worker/setup-token.ts): makes a one-time setup token here, prints the
// wrangler command that stores only its hash in D1, and the link that uses it. The token
// lives in the URL fragment, which browsers never send, so it reaches no server log.
//   npx tsx scripts/setup-link-edge.ts https://parley.example.org
import { bytesToB64 } from '../web/protocol/encoding.js';
import { SETUP_TOKEN_SETTING } from '../worker/routes/accounts.js';
import { sha256B64 } from '../worker/server-crypto.js';

const origin = process.argv[2]?.replace(/\/+$/, '');
if (!origin || !/^https?:\/\//.test(origin)) {
  console.error('usage: npx tsx scripts/setup-link-edge.ts https://your-parley-host');
  process.exit(2);
}
const token = crypto.getRandomValues(new Uint8Array(32));
const hash = await sha256B64(token);
// The setup route refuses once an organisation exists, whatever this table holds.
const sql = `INSERT OR REPLACE INTO instance_settings (key, value) VALUES ('${SETUP_TOKEN_SETTING}', '${hash}')`;
console.log(`1. Store the token's hash in D1:\n\n   npx wrangler d1 execute DB --remote --command "${sql}"\n`);
console.log(`2. Open this link once, in the browser of the first administrator:\n\n   ${origin}/console#setup=${bytesToB64(token)}\n`);
