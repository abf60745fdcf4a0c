// For `npm run dev:edge`: a local .dev.vars with a random PARLEY_SERVER_SECRET, made once
// (wrangler dev reads secrets from it; a deployment uses `wrangler secret put`).
import { existsSync, writeFileSync } from 'node:fs';
import { bytesToB64 } from '../web/protocol/encoding.js';

if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', `PARLEY_SERVER_SECRET=${bytesToB64(crypto.getRandomValues(new Uint8Array(32)))}\n`, { mode: 0o600 });
  console.log('Wrote .dev.vars with a new local server secret.');
}
