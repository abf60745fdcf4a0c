// `npm run reset-totp -- --username alice`: a new second factor for a member who cannot sign in
// without one (scripts/reset-second-factor.ts). Run on the server, with the same PARLEY_DB and
// server secret as the running service.
import { parseArgs } from 'node:util';
import { renderUnicodeCompact } from 'uqr';
import { openNodeDatabase } from '../db/open-node.js';
import { readNodeEnv } from '../worker/env-node.js';
import { loadMatchingNodeServerSecret } from '../worker/server-secret-node.js';
import { totpUri } from '../worker/totp.js';
import { NoSuchMember, resetSecondFactor } from './reset-second-factor.js';

const { values } = parseArgs({ options: { username: { type: 'string' } } });
if (!values.username) {
  console.error('usage: npm run reset-totp -- --username name');
  process.exit(2);
}
const env = readNodeEnv(process.env);
const database = openNodeDatabase(env.PARLEY_DB);
try {
  const serverSecret = await loadMatchingNodeServerSecret(database.db, env.PARLEY_DB, process.env.PARLEY_SERVER_SECRET);
  const secret = await resetSecondFactor(database.db, serverSecret, values.username, Date.now());
  const uri = totpUri(secret, values.username);
  console.log(`A new second factor for ${values.username}; their sessions have ended. Give it to them in person: scan it with an authenticator app, or type the secret in.\n`);
  console.log(renderUnicodeCompact(uri));
  console.log(`secret: ${secret}\n${uri}\n`);
} catch (error) {
  if (!(error instanceof NoSuchMember)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  database.close();
}
