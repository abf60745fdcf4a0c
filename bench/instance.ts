// A Parley instance to benchmark and what the drivers send it: a temp SQLite file with one
// organisation, the bench server (server.ts) over it in its own process, the client's view of
// it, valid report submissions made with the real client code, and fresh answered challenges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeDatabase } from '../db/open-node.js';
import { findOrganisation } from '../db/repo/organisations.js';
import { createOrganisation } from '../scripts/create-organisation.js';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process.js';
import { ApiClient } from '../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport, verifiedOrganisation } from '../web/client/reporter.js';
import type { VerifiedConfig as InstanceConfig, VerifiedOrganisation as PublicOrganisation } from '../web/client/reporter.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';
import { b64ToBytes, bytesToB64, encodeDocument, generatePassphrase, mailboxProofHeaders, sodiumReady, solveProofOfWork, PADDING_BUCKETS, PROOF_HEADERS, SIZES, WORK_HEADER } from '../web/protocol/index.js';
import type { KdfParams, MailboxKeys, ReportDocument } from '../web/protocol/index.js';
import { DEFAULT_CONFIG, type AppConfig } from '../worker/deps.js';
import { publicOrganisations } from '../worker/public-organisations.js';
import { startLoadGenerator, type LoadGenerator, type LoadVariant } from './load.js';
import type { ServerStats } from './server.js';

export type { InstanceConfig, PublicOrganisation };

/** Argon2id's minimum (1 pass, 8 KiB): for making bench key pairs only. */
export const BENCH_KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 8 * 1024 });

/** The bench server's settings: production ones except where a setting only shapes clients or is a policy limit rather than a cost. */
export const BENCH_CONFIG: AppConfig = {
  ...DEFAULT_CONFIG,
  // The mailbox KDF only affects clients (the server never runs Argon2id): a tiny cost lets
  // the driver make thousands of distinct mailbox key pairs quickly.
  mailboxKdf: BENCH_KDF,
  investigatorKdf: BENCH_KDF,
  // The intake cap (production: 600 reports a minute, refusals beyond 8×) is a policy limit:
  // far above any rate this machine reaches, so the benchmark measures capacity, not the cap.
  intakePerMinute: 100_000_000,
  // Proof of work off: its server side is one SHA-256 per request (~10 µs, under 1 % of a
  // submission), while solving it would make the load generator the bottleneck. The client's
  // cost of solving is measured in the client bench.
  workBits: 0,
};

export const MAILBOX_PATH = '/api/mailbox';
export const CHALLENGE_PATH = '/api/mailbox/challenge';

export interface BenchDatabase {
  dir: string;
  dbPath: string;
  orgId: string;
  /** The organisation's public side, as /api/config lists it. */
  org: PublicOrganisation;
  /** Seals the administrator's TOTP secret; `npm start`'s entry point needs it (PARLEY_SERVER_SECRET). */
  serverSecret: Uint8Array;
  /** The organisation's administrator, to sign in as (web/client/investigator.ts signIn). */
  admin: { memberId: string; username: string; password: string; totpSecret: string };
  remove(): void;
}

/** A temp database with the migrations applied and one organisation (made client-side, cheap KDF). */
export async function createBenchDatabase(prefix = 'parley-bench-'): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbPath = join(dir, 'parley.sqlite');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const database = openNodeDatabase(dbPath);
  try {
    const serverSecret = crypto.getRandomValues(new Uint8Array(32));
    const credentials = { username: 'bench', password: 'bench password, not secret' };
    const { orgId, memberId, totpSecret } = await createOrganisation(database.db, { orgName: 'Bench Anti-Corruption Unit', ...credentials, kdf: BENCH_KDF, now: Date.now(), serverSecret });
    const row = (await findOrganisation(database.db, orgId))!;
    const org = verifiedOrganisation((await publicOrganisations(database.db, [row]))[0]!);
    return { dir, dbPath, orgId, org, serverSecret, admin: { memberId, ...credentials, totpSecret }, remove };
  } catch (error) {
    remove();
    throw error;
  } finally {
    database.close();
  }
}

export interface BenchServer extends ServerProcess {
  /** Stats now; with reset, the RSS peak window starts again. */
  stats(reset?: boolean): Promise<ServerStats>;
}

export interface BenchInstance {
  server: BenchServer;
  api: ApiClient;
  config: InstanceConfig;
  org: PublicOrganisation;
}

/** The bench server over the database; BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") passes Node flags to it. */
export async function startBenchInstance(db: BenchDatabase, maxSeconds = 3600): Promise<BenchInstance> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  // The database's own server secret, so the administrator's sealed TOTP secret opens and they can sign in.
  const started = await startServerProcess(db.dbPath, { PARLEY_SERVER_SECRET: bytesToB64(db.serverSecret) }, { script: join('bench', 'server.ts'), args: ['--max-seconds', String(maxSeconds)], nodeArgs });
  // A fresh connection each time: a pooled one may have been closed by the server as idle.
  const stats = async (reset = false) => (await (await fetch(`${started.url}/bench/stats${reset ? '?reset=1' : ''}`, { headers: { connection: 'close' } })).json()) as ServerStats;
  const server: BenchServer = { ...started, stats };
  try {
    // A driver busy building bodies notices late that the server closed an idle keep-alive
    // socket, and undici may send on it: such a request is sent once more, on a new socket.
    const api = new ApiClient(server.url, (input, init) => fetch(input, init).catch((error: { cause?: { code?: string } }) => (error.cause?.code === 'UND_ERR_SOCKET' ? fetch(input, init) : Promise.reject(error))));
    const config = await fetchInstanceConfig(api);
    const org = config.organisations.find((o) => o.id === db.orgId);
    if (!org) throw new Error('bench organisation missing from /api/config');
    return { server, api, config, org };
  } catch (error) {
    await server.kill();
    throw error;
  }
}

/** A bench database, the bench server over it and the load generator, for `run`; all stopped and removed after. */
export async function withBenchInstance<T>(prefix: string, run: (instance: BenchInstance, load: LoadGenerator) => Promise<T>): Promise<T> {
  await sodiumReady();
  const db = await createBenchDatabase(prefix);
  let instance: BenchInstance | undefined;
  let load: LoadGenerator | undefined;
  try {
    instance = await startBenchInstance(db);
    load = await startLoadGenerator();
    return await run(instance, load);
  } finally {
    await load?.stop();
    await instance?.server.kill();
    db.remove();
  }
}

const SENTENCE = 'On the evening in question the officer took cash from the driver and let him go without a ticket, then asked me not to mention it. ';

/** A report whose encoded plaintext is exactly `plaintextBytes` long (ASCII text). */
export function reportOfSize(plaintextBytes: number): ReportDocument {
  const base: ReportDocument = { kind: 'report', category: 'bribery', whatHappened: '' };
  const overhead = encodeDocument(base).length;
  if (plaintextBytes < overhead) throw new RangeError(`a report needs at least ${overhead} bytes`);
  return { ...base, whatHappened: SENTENCE.repeat(Math.ceil(plaintextBytes / SENTENCE.length)).slice(0, plaintextBytes - overhead) };
}

/** A mid-length report: 3,000 bytes of plaintext pad to the 4,096 bucket (a 4,137-byte envelope). */
export const REPORT_PLAINTEXT_BYTES = 3000;

/** A valid, unique submission: a fresh passphrase and key pair (cheap bench KDF), case id, message id and case key. */
export function makeSubmission(config: InstanceConfig, org: PublicOrganisation, report: ReportDocument): { keys: MailboxKeys; body: SubmitReportBody } {
  const keys = deriveKeysForInstance(generatePassphrase(), config, BENCH_KDF);
  return { keys, body: buildReportSubmission(keys, org, report) };
}

/** `count` submissions as JSON text, checked once to carry an envelope of the expected bucket. */
export function makeSubmissionBodies(config: InstanceConfig, org: PublicOrganisation, count: number, plaintextBytes: number): string[] {
  const report = reportOfSize(plaintextBytes);
  const bucket = PADDING_BUCKETS.find((size) => plaintextBytes < size);
  if (bucket === undefined) throw new RangeError(`${plaintextBytes} bytes fit no bucket`);
  const bodies = Array.from({ length: count }, () => makeSubmission(config, org, report).body);
  if (bodies[0] && b64ToBytes(bodies[0].report.envelope)?.length !== 1 + SIZES.nonce + bucket + SIZES.aeadTag) throw new Error('submission envelope is not the expected bucket size');
  return bodies.map((body) => JSON.stringify(body));
}

/** Reports submitted through the API by the real client; their keys open the mailboxes. */
export async function submitReportsForMailboxes(instance: BenchInstance, count: number, plaintextBytes: number): Promise<MailboxKeys[]> {
  const report = reportOfSize(plaintextBytes);
  const keys: MailboxKeys[] = [];
  for (let i = 0; i < count; i++) {
    const made = makeSubmission(instance.config, instance.org, report);
    await submitReport(instance.api, made.body);
    keys.push(made.keys);
  }
  return keys;
}

/**
 * Fresh single-use challenges, fetched and answered just before a run (they live 2 minutes) so
 * the timed request is the one that spends them: as the real client does, each carries the
 * challenge header and, if the server asks for work, the solved proof of work.
 */
async function answeredChallenges(api: ApiClient, count: number, concurrency = 16): Promise<{ challenge: Uint8Array; headers: Record<string, string> }[]> {
  const answered: { challenge: Uint8Array; headers: Record<string, string> }[] = [];
  let issued = 0;
  const fetchSome = async () => {
    while (issued < count) {
      issued++;
      const { challenge, workBits = 0 } = await api.call('POST /api/mailbox/challenge');
      const bytes = b64ToBytes(challenge)!;
      const headers: Record<string, string> = { [PROOF_HEADERS.challenge]: challenge };
      if (workBits > 0) headers[WORK_HEADER] = bytesToB64(solveProofOfWork(bytes, workBits));
      answered.push({ challenge: bytes, headers });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, fetchSome));
  return answered;
}

/** `GET /api/mailbox` requests, cycling over the mailboxes, each with its own answered challenge, signed by the real client code. */
export async function signedMailboxFetches(api: ApiClient, mailboxes: readonly MailboxKeys[], count: number): Promise<LoadVariant[]> {
  return (await answeredChallenges(api, count)).map(({ challenge, headers }, i) => ({
    headers: { ...headers, ...mailboxProofHeaders(mailboxes[i % mailboxes.length]!, challenge, 'GET', MAILBOX_PATH, new Uint8Array(0)) },
  }));
}

/** Report submissions (pre-built bodies) each paired with its own answered challenge. */
export async function challengedSubmissions(api: ApiClient, bodies: readonly string[]): Promise<LoadVariant[]> {
  return (await answeredChallenges(api, bodies.length)).map(({ headers }, i) => ({ headers, body: bodies[i]! }));
}
