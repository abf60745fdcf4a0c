// `npm run setup -- --org "Name" --username alice`: first-run bootstrap of one organisation
// and its administrator. Keys are made in this process (the client side); the database
// receives only public keys and wrapped secrets. The password is read from the terminal
// (hidden) or from PARLEY_SETUP_PASSWORD for unattended runs.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { openNodeDatabase } from '../db/open-node.js';
import { readNodeEnv } from '../worker/env-node.js';
import { PRODUCTION_KDF } from '../web/protocol/index.js';
import { createOrganisation } from './create-organisation.js';
import { loadMatchingNodeServerSecret } from '../worker/server-secret-node.js';
import { totpUri } from '../worker/totp.js';
import { renderUnicodeCompact } from 'uqr';

async function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write(question);
  output._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

const { values } = parseArgs({ options: { org: { type: 'string' }, username: { type: 'string' } } });
if (!values.org || !values.username) {
  console.error('usage: npm run setup -- --org "Organisation name" --username name');
  process.exit(2);
}
const password = process.env.PARLEY_SETUP_PASSWORD ?? (await askHidden(`Password for ${values.username}: `));
if (password.length < 12) {
  console.error('Choose a password of at least 12 characters.');
  process.exit(2);
}
const env = readNodeEnv(process.env);
const database = openNodeDatabase(env.PARLEY_DB);
try {
  const serverSecret = await loadMatchingNodeServerSecret(database.db, env.PARLEY_DB, process.env.PARLEY_SERVER_SECRET);
  const created = await createOrganisation(database.db, { orgName: values.org, username: values.username, password, kdf: PRODUCTION_KDF, now: Date.now(), serverSecret });
  console.log(`Created organisation "${values.org}" (${created.orgId}) with administrator ${values.username}.`);
  // Shown once: the administrator adds it to an authenticator app now. The database keeps it only encrypted.
  const uri = totpUri(created.totpSecret, values.username);
  console.log('\nSecond factor (TOTP): scan this with an authenticator app, or type the secret in.\n');
  console.log(renderUnicodeCompact(uri));
  console.log(`secret: ${created.totpSecret}\n${uri}\n`);
} finally {
  database.close();
}
