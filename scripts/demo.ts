// `npm run demo`: the whole encrypted loop against a running `npm start`, step by step.
// It creates a throw-away demo organisation in the same database (or uses the account in
// PARLEY_DEMO_USERNAME / PARLEY_DEMO_PASSWORD), then plays reporter and investigator.
import { openNodeDatabase } from '../db/open-node.js';
import { readNodeEnv } from '../worker/env-node.js';
import { ApiClient, ApiRequestError } from '../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport } from '../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus, signIn } from '../web/client/investigator.js';
import { bytesToB64, generatePassphrase, PRODUCTION_KDF, randomBytes, sodiumReady } from '../web/protocol/index.js';
import { createOrganisation } from './create-organisation.js';
import { loadMatchingNodeServerSecret } from '../worker/server-secret-node.js';
import { totpCodeAt } from '../worker/totp.js';

const env = readNodeEnv(process.env);
const baseUrl = process.env.PARLEY_URL ?? `http://${env.PARLEY_HOST}:${env.PARLEY_PORT}`;
const api = new ApiClient(baseUrl);
let stepNumber = 0;
const step = (text: string) => console.log(`\n${++stepNumber}. ${text}`);
const show = (label: string, value: string) => console.log(`   ${label.padEnd(22)} ${value}`);

async function timed<T>(work: () => T | Promise<T>): Promise<[T, string]> {
  const start = performance.now();
  const result = await work();
  return [result, `${Math.round(performance.now() - start)} ms`];
}

async function investigatorAccount(): Promise<{ username: string; password: string; orgName: string; totpSecret: string }> {
  if (process.env.PARLEY_DEMO_USERNAME && process.env.PARLEY_DEMO_PASSWORD && process.env.PARLEY_DEMO_TOTP_SECRET) {
    return { username: process.env.PARLEY_DEMO_USERNAME, password: process.env.PARLEY_DEMO_PASSWORD, orgName: '', totpSecret: process.env.PARLEY_DEMO_TOTP_SECRET };
  }
  const suffix = bytesToB64(randomBytes(4)).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const account = { username: `demo-${suffix}`, password: bytesToB64(randomBytes(18)), orgName: `Demo unit ${suffix}` };
  const database = openNodeDatabase(env.PARLEY_DB);
  try {
    // The same server secret the running server uses (PARLEY_SERVER_SECRET or the file beside the database).
    const { totpSecret } = await createOrganisation(database.db, { ...account, kdf: PRODUCTION_KDF, now: Date.now(), serverSecret: await loadMatchingNodeServerSecret(database.db, env.PARLEY_DB, process.env.PARLEY_SERVER_SECRET) });
    return { ...account, totpSecret };
  } finally {
    database.close();
  }
}

async function main(): Promise<void> {
  await sodiumReady();
  console.log(`Parley demo against ${baseUrl}`);
  const account = await investigatorAccount();

  step('The reporter’s device fetches the instance configuration');
  const config = await fetchInstanceConfig(api);
  const org = config.organisations.find((o) => account.orgName === '' || o.name === account.orgName);
  if (!org) throw new Error('no organisation to report to');
  show('organisation', org.name);
  show('Argon2id cost', `${config.mailboxKdf.memLimitBytes / 1048576} MiB, ${config.mailboxKdf.opsLimit} passes`);

  step('It makes a passphrase and derives the mailbox keys (on the device)');
  const passphrase = generatePassphrase();
  show('passphrase (shown once)', passphrase);
  const [keys, deriveTime] = await timed(() => deriveKeysForInstance(passphrase, config));
  show('Argon2id took', deriveTime);

  step('It encrypts the report under a fresh case key, seals that key to the unit and to itself, and sends it');
  const submission = buildReportSubmission(keys, org, { kind: 'report', category: 'bribery', whatHappened: 'PC 1234 took £500 to lose a speeding file.', whenAndWhere: 'March, Northgate station' });
  show('what the server gets', `${submission.report.envelope.length} base64 chars of ciphertext; no text, no passphrase`);
  const receipt = await submitReport(api, submission);
  show('report reference', `${receipt.reference} (random; not derived from the passphrase)`);

  step(`The investigator (${account.username}) signs in with password and TOTP code; keys are unwrapped on their device`);
  // The demo plays the phone too: it computes the current TOTP code from the enrolled secret.
  const session = await signIn(api, { username: account.username, password: account.password, totp: totpCodeAt(account.totpSecret, Date.now()) });
  const cases = await listCases(api, session);
  const mine = cases.find((c) => c.reference === receipt.reference)!;
  show('cases listed', String(cases.length));
  show('decrypted category', mine.report?.category ?? '?');
  const opened = await openCase(api, session, mine.id);
  const report = opened.entries[0]!.document;
  show('decrypted report', report.kind === 'report' ? report.whatHappened : '?');
  await replyToCase(api, session, opened, 'Thank you. Do you know the date of the payment?', 'assessing');
  show('asked', 'Do you know the date of the payment? (signed by the unit, encrypted)');

  step('Days later, the reporter comes back with only the passphrase, typed carelessly');
  const typed = passphrase.toUpperCase().split(' ').map((w) => w.slice(0, 4)).join('   ');
  show('typed', typed);
  const returning = deriveKeysForInstance(typed, await fetchInstanceConfig(api));
  const mailbox = await openMailbox(api, returning);
  for (const entry of mailbox.entries) show(entry.role === 'reporter' ? 'reporter wrote' : `${entry.organisation?.name} wrote`, entry.document === null ? '(did not verify)' : entry.document.kind === 'message' ? entry.document.text : entry.document.kind === 'status' ? `(status: ${entry.document.status})` : '(the report)');
  show('status', mailbox.status);
  await replyFromMailbox(api, returning, mailbox, 'It was the 14th, a Friday.');
  show('answered', 'It was the 14th, a Friday.');

  step('The investigator reads the answer and records an outcome');
  const reread = await openCase(api, session, mine.id);
  const answer = reread.entries.at(-1)!.document;
  show('decrypted answer', answer.kind === 'message' ? answer.text : '?');
  await setCaseStatus(api, session, reread, 'investigating');

  step('The reporter sees what became of the report');
  show('status', (await openMailbox(api, returning)).status);
  console.log('\nDone: every step above was encrypted or verified on the “device”; the server held only ciphertext and public keys.');
}

main().catch((error: unknown) => {
  if (error instanceof ApiRequestError) console.error(`The server refused a step: ${error.code}: ${error.message}`);
  else if (error instanceof TypeError && String(error.message).includes('fetch')) console.error(`Could not reach ${baseUrl}. Start the server first with \`npm start\`.`);
  else console.error(error);
  process.exit(1);
});
