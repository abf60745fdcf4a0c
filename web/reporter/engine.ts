// The reporter's engine: a module Web Worker that holds the passphrase's keys and does all
// cryptography and every API call, so the page stays responsive during Argon2id and page
// code never touches a key. The page receives only display data (see engine-api.ts).
import { generatePassphrase, MAX_ATTACHMENTS, parsePassphrase, ProtocolError, sodiumReady, wipe, type AttachmentDescriptor, type MailboxKeys, type ThreadDocument } from '../protocol/index.js';
import { ApiClient, ApiRequestError } from '../client/api.js';
import { buildReportSubmission, deriveKeysForInstanceReporting, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport, type OpenedMailbox, type VerifiedConfig } from '../client/reporter.js';
import { notifyPage, serveEngine } from '../ui/engine-rpc.js';
import { ENGINE_ERROR, type AttachmentView, type DerivationNotice, type FileLimits, type MailboxView, type PassphraseCheck, type ReporterEngine } from './engine-api.js';
import { attachFiles, dropAllFiles, dropFile, fetchAttached, filesOutstanding, prepareFile, sendAttached } from './engine-files.js';
import { mailboxFileAccess } from '../client/files.js';
import { CLOSED_STATUSES } from '../casework/retention.js';

class EngineFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

const api = new ApiClient(self.location.origin);
const ready = sodiumReady();
let config: Promise<VerifiedConfig> | null = null;
/** Keys of a passphrase just made for a new report: derivation starts before the reporter confirms. */
let newReportKeys: Promise<MailboxKeys> | null = null;
/** Keys of a returning reporter's mailbox, and the mailbox once opened. */
let mailboxKeys: MailboxKeys | null = null;
let opened: OpenedMailbox | null = null;
/** Keys of a report just sent, kept only while its files are still being sent (their parts are signed with them). */
let sentReportKeys: MailboxKeys | null = null;
const WAIT_CODES = ['rate_limited', 'storage_full', 'storage_busy', 'storage_unwritable'];

/** Network failures and "wait" answers become one code each; other errors pass through with theirs. */
async function online<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TypeError) throw new EngineFailure(ENGINE_ERROR.offline, 'The service could not be reached.');
    // A flood, or the server's storage full or busy: nothing was lost, and the answer is the same: wait.
    if (error instanceof ApiRequestError && WAIT_CODES.includes(error.code)) throw new EngineFailure(ENGINE_ERROR.wait, String(error.retryAfterSeconds ?? 60));
    throw error;
  }
}

function instanceConfig(): Promise<VerifiedConfig> {
  if (!config) {
    // Verifying the units' key chains needs libsodium: wait for it, so an early click is never "offline".
    config = online(async () => {
      await ready;
      return fetchInstanceConfig(api);
    });
    config.catch(() => (config = null)); // a failed fetch is retried on the next call
  }
  return config;
}

// Fetch the configuration as soon as the crypto engine is up, without waiting for the page to ask
// (its script may still be on the way): the form and a returning reporter's unlock then need no
// request later. A failure here is shown where the configuration is needed, which asks again.
instanceConfig().catch(() => undefined);

function wipeKeys(keys: MailboxKeys): void {
  wipe(keys.locator);
  wipe(keys.sign.privateKey);
  wipe(keys.box.privateKey);
}

function forgetSentReport(): void {
  if (sentReportKeys) wipeKeys(sentReportKeys);
  sentReportKeys = null;
}

function forgetAll(): void {
  newReportKeys?.then(wipeKeys, () => undefined);
  newReportKeys = null;
  if (mailboxKeys) wipeKeys(mailboxKeys);
  mailboxKeys = null;
  if (opened) wipe(opened.caseKey);
  opened = null;
}

/** Derives, telling the page how far it has got (at most every 1 %: the page only draws a bar). */
async function derive(passphrase: string, instance: VerifiedConfig): Promise<MailboxKeys> {
  const engineName = await ready;
  let told = -1;
  const tell = (fraction: number) => {
    if (fraction < 1 && fraction - told < 0.01) return;
    told = fraction;
    notifyPage({ derivation: { engine: engineName, fraction } } satisfies DerivationNotice);
  };
  tell(0);
  // No floor argument: the production Argon2id cost is the least this engine accepts.
  return deriveKeysForInstanceReporting(passphrase, instance, tell);
}

/** The service's defaults (it does not publish its own yet; a larger file is refused as file_too_large): 100 MiB a file, 20 files a message. */
const FILE_LIMITS: FileLimits = { maxFileBytes: 100 * 1024 * 1024, maxFiles: MAX_ATTACHMENTS };

function check(typed: string): PassphraseCheck {
  const parsed = parsePassphrase(typed);
  return parsed.ok ? { ok: true } : { ok: false, problem: parsed.problem };
}

/** Lets the current reply reach the page before Argon2id blocks this worker's thread. */
function afterThisTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The files a document carries (keys and all): they stay in the engine. */
function attachmentsOf(document: ThreadDocument | null): AttachmentDescriptor[] {
  return document === null || document.kind === 'status' ? [] : (document.attachments ?? []);
}

/** The document as the page may see it: without its files' keys. */
function withoutKeys(document: ThreadDocument | null): ThreadDocument | null {
  if (document === null || document.kind === 'status' || !document.attachments) return document;
  const { attachments: _keys, ...rest } = document;
  return rest;
}

function toView(mailbox: OpenedMailbox): MailboxView {
  const fileView = ({ id, name, size }: AttachmentDescriptor): AttachmentView => {
    const held = mailbox.files.get(id);
    return { id, name, size, state: held === undefined ? 'missing' : held.complete ? 'ready' : 'uploading' };
  };
  return {
    reference: mailbox.reference,
    status: mailbox.status,
    receivedDay: mailbox.receivedDay,
    replyBy: mailbox.replyBy,
    // The server's day, shown only when the signed status agrees the report is closed.
    deletionDay: (CLOSED_STATUSES as readonly string[]).includes(mailbox.status) ? mailbox.deletionDay : null,
    items: mailbox.entries.map((entry) => ({
      id: entry.id,
      from: entry.role,
      organisationName: entry.organisation?.name ?? null,
      day: entry.day,
      document: withoutKeys(entry.document),
      files: attachmentsOf(entry.document).map(fileView),
    })),
    unverifiable: mailbox.entries.filter((e) => e.document === null).length,
  };
}

const engine: ReporterEngine = {
  async loadConfig() {
    const { organisations } = await instanceConfig();
    // The anchor: the fingerprint of the unit's first keys, which every later key must chain back to.
    return { organisations: organisations.map(({ id, name, anchor }) => ({ id, name, fingerprint: anchor })), limits: FILE_LIMITS };
  },

  async prepareFile(file) {
    return prepareFile(file, FILE_LIMITS.maxFileBytes);
  },

  async dropFile(handle) {
    dropFile(handle);
  },

  async newPassphrase() {
    await ready;
    forgetAll();
    const passphrase = generatePassphrase();
    const keys = (async () => {
      const instance = await instanceConfig();
      await afterThisTask();
      return derive(passphrase, instance);
    })();
    keys.catch(() => undefined); // awaited (and reported) by sendReport
    newReportKeys = keys;
    return { words: passphrase.split(' ') };
  },

  async sendReport(orgId, report, files) {
    if (!newReportKeys) throw new EngineFailure(ENGINE_ERROR.noKeys, 'There is no passphrase for this report yet.');
    const org = (await instanceConfig()).organisations.find((o) => o.id === orgId);
    if (!org) throw new EngineFailure('unknown_organisation', 'That organisation is not on this service.');
    const keys = await newReportKeys;
    const attached = attachFiles(files);
    const document = attached.attachments.length > 0 ? { ...report, attachments: attached.attachments } : report;
    const result = await online(() => submitReport(api, buildReportSubmission(keys, org, document, attached.declared)));
    if (attached.uploads.length === 0) {
      forgetAll(); // sent: nothing here is needed any more
      return { ...result, uploads: [] };
    }
    // The files follow, each part signed with the mailbox key: keep these keys until they are all sent.
    newReportKeys = null;
    forgetAll();
    forgetSentReport();
    sentReportKeys = keys;
    attached.received(mailboxFileAccess(keys));
    return { ...result, uploads: attached.uploads };
  },

  async checkPassphrase(typed) {
    await ready;
    return check(typed);
  },

  async unlock(typed) {
    await ready;
    const checked = check(typed);
    if (!checked.ok) return checked;
    forgetAll();
    const instance = await instanceConfig();
    mailboxKeys = await derive(typed, instance);
    return checked;
  },

  async readMailbox() {
    if (!mailboxKeys) throw new EngineFailure(ENGINE_ERROR.noKeys, 'Enter your passphrase first.');
    const keys = mailboxKeys;
    try {
      const mailbox = await online(() => openMailbox(api, keys));
      if (opened) wipe(opened.caseKey);
      opened = mailbox;
      return toView(mailbox);
    } catch (error) {
      // No such mailbox, a refused proof, or a mailbox that will not open with these keys:
      // one answer, and the keys are dropped, so nothing tells the causes apart.
      // The server accepted the proof, so the passphrase is right, but what it sent does not verify
      // (a sealed key its mailbox key never signed, keys that do not chain to the anchor): say so.
      if (error instanceof ProtocolError && (error.kind === 'bad_signature' || error.kind === 'untrusted_key')) {
        forgetAll();
        throw new EngineFailure(ENGINE_ERROR.unverified, 'What the service sent could not be verified.');
      }
      const refused = (error instanceof ApiRequestError && error.code === 'mailbox_proof_failed') || error instanceof ProtocolError;
      if (!refused) throw error;
      forgetAll();
      throw new EngineFailure(ENGINE_ERROR.notOpened, 'That passphrase did not open a report.');
    }
  },

  async reply(text, files) {
    if (!mailboxKeys || !opened) throw new EngineFailure(ENGINE_ERROR.noKeys, 'Enter your passphrase first.');
    const keys = mailboxKeys;
    const mailbox = opened;
    const attached = attachFiles(files);
    await online(() => replyFromMailbox(api, keys, mailbox, text, attached));
    attached.received(mailboxFileAccess(keys));
    return { uploads: attached.uploads };
  },

  async sendFiles() {
    const outcome = await sendAttached(api);
    if (!filesOutstanding()) forgetSentReport();
    return outcome;
  },

  async downloadFile(id) {
    if (!mailboxKeys || !opened) throw new EngineFailure(ENGINE_ERROR.noKeys, 'Enter your passphrase first.');
    const attachment = opened.entries.flatMap((entry) => attachmentsOf(entry.document)).find((a) => a.id === id);
    if (!attachment) throw new EngineFailure('unknown_file', 'That file is not in this report.');
    const keys = mailboxKeys;
    return online(() => fetchAttached(api, mailboxFileAccess(keys), attachment));
  },

  async forget() {
    forgetAll();
    forgetSentReport();
    dropAllFiles();
  },
};

serveEngine(engine);
