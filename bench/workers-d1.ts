// Workers / D1: the size of the bundle `wrangler deploy` would upload, and the server's
// time per request for report submission and mailbox fetch in a real workerd over local D1
// (wrangler's dev server, as the tests use it). Clients run here, in Node, one request at a
// time; the figures are wall time per request seen by the client, and CPU time of the
// workerd processes read from /proc. Writes its section of bench/RESULTS.md.
//
//   npx tsx bench/workers-d1.ts [requests per phase, default 300]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createOrganisation } from '../scripts/create-organisation.js';
import { ROOT, runWrangler, startLocalWorker } from '../scripts/lib/workerd.js';
import { ApiClient } from '../web/client/api.js';
import { listCases, openCase, replyToCase, signIn } from '../web/client/investigator.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport } from '../web/client/reporter.js';
import { b64ToBytes, bytesToB64, generatePassphrase, mailboxProofHeaders, sodiumReady, type KdfParams, type MailboxKeys } from '../web/protocol/index.js';
import { totpCodeAt } from '../worker/totp.js';
import { fmt, machineLine, median, percentile, procCpuMs, updateResultsSection } from './report.js';

const REQUESTS = Number(process.argv[2] ?? 300);
const WARM_UP = 20;
const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;
/** Cheap Argon2id for the clients' keys (the server offers it); client-side work is not measured here. */
const KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 64 * 1024 });

// ---- bundle size --------------------------------------------------------------------

async function measureBundle(): Promise<{ raw: number; gzip: number; command: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-bench-bundle-'));
  // wrangler.toml's assets directory must exist; the web build may not have run.
  if (!existsSync(join(ROOT, 'dist', 'web'))) mkdirSync(join(ROOT, 'dist', 'web'), { recursive: true });
  try {
    const run = await runWrangler(['deploy', '--dry-run', '--outdir', outDir]);
    if (run.code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.output}`);
    const bundle = readFileSync(join(outDir, 'entry-workers.js'));
    return { raw: bundle.length, gzip: gzipSync(bundle, { level: 9 }).length, command: 'npx wrangler deploy --dry-run --outdir <dir>' };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// ---- CPU of the workerd processes ---------------------------------------------------

interface WorkerdProcess {
  pid: number;
  /** The runtime holds the D1 file open; the other one is wrangler's proxy in front of it. */
  role: 'runtime (worker + D1)' | 'proxy';
}

function childWorkerds(persistTo: string): WorkerdProcess[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8').trim();
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat)!;
        if (comm !== 'workerd' || Number(rest!.split(' ')[1]) !== process.pid) return [];
        const holdsD1 = readdirSync(`/proc/${name}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${name}/fd/${fd}`).startsWith(persistTo);
          } catch {
            return false;
          }
        });
        return [{ pid: Number(name), role: holdsD1 ? 'runtime (worker + D1)' : 'proxy' } as WorkerdProcess];
      } catch {
        return [];
      }
    });
}

// ---- measured phases ----------------------------------------------------------------

interface PhaseResult {
  name: string;
  wallMs: number[];
  cpuMsPerRequest: Record<string, number>;
}

async function phase(name: string, processes: WorkerdProcess[], requests: (() => Promise<Response>)[]): Promise<PhaseResult> {
  const before = processes.map((p) => procCpuMs(p.pid));
  const wallMs: number[] = [];
  for (const send of requests) {
    const start = performance.now();
    const res = await send();
    await res.arrayBuffer();
    wallMs.push(performance.now() - start);
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  }
  const cpuMsPerRequest = Object.fromEntries(processes.map((p, i) => [p.role, (procCpuMs(p.pid) - before[i]!) / requests.length]));
  return { name, wallMs, cpuMsPerRequest };
}

async function main(): Promise<void> {
  await sodiumReady();
  const machine = machineLine();
  const bundle = await measureBundle();

  const serverSecret = crypto.getRandomValues(new Uint8Array(32));
  const t = await startLocalWorker({
    vars: {
      PARLEY_KDF_OPS_LIMIT: String(KDF.opsLimit),
      PARLEY_KDF_MEMORY_BYTES: String(KDF.memLimitBytes),
      // Challenges live long enough to be fetched ahead of the signed requests that use them.
      PARLEY_CHALLENGE_TTL_SECONDS: '600',
      PARLEY_WORK_BITS: '0',
      PARLEY_MAILBOX_FREE_FAILURES: '1000',
      PARLEY_SERVER_SECRET: bytesToB64(serverSecret),
    },
  });
  try {
    const password = 'bench password, not secret';
    const { totpSecret } = await createOrganisation(t.db, { orgName: 'Anti-Corruption Unit', username: 'alice', password, kdf: KDF, now: Date.now(), serverSecret });
    const api = new ApiClient(t.url);
    const config = await fetchInstanceConfig(api);
    const org = config.organisations[0]!;

    // One mailbox with a realistic short thread: the report, a question, an answer.
    const keys = deriveKeysForInstance(generatePassphrase(), config, KDF);
    await submitReport(api, buildReportSubmission(keys, org, { kind: 'report', category: 'bribery', whatHappened: 'x'.repeat(800) }));
    const session = await signIn(api, { username: 'alice', password, totp: totpCodeAt(totpSecret, Date.now()) }, KDF);
    await replyToCase(api, session, await openCase(api, session, (await listCases(api, session))[0]!.id), 'Which station was this?');
    await replyFromMailbox(api, keys, await openMailbox(api, keys), 'The one on the high street.');

    const processes = childWorkerds(t.persistTo);
    if (!processes.some((p) => p.role === 'runtime (worker + D1)')) throw new Error('could not find the workerd process holding D1');

    // Client-side work (Argon2id at test cost, sealing, signing) happens before each phase, untimed.
    const submissions = Array.from({ length: REQUESTS + WARM_UP }, () =>
      JSON.stringify(buildReportSubmission(deriveKeysForInstance(generatePassphrase(), config, KDF), org, { kind: 'report', category: 'other', whatHappened: 'y'.repeat(800) })),
    );
    const postReport = (body: string) => () => fetch(`${t.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const postChallenge = () => fetch(`${t.url}/api/mailbox/challenge`, { method: 'POST' });
    const signedGet = (k: MailboxKeys, challenge: Uint8Array) => {
      const headers = mailboxProofHeaders(k, challenge, 'GET', '/api/mailbox', new Uint8Array(0));
      return () => fetch(`${t.url}/api/mailbox`, { headers });
    };
    const fetchChallenges = async (n: number) =>
      Promise.all(Array.from({ length: n }, async () => b64ToBytes(((await (await postChallenge()).json()) as { challenge: string }).challenge)!));

    await phase('warm-up', processes, [
      ...submissions.splice(0, WARM_UP).map(postReport),
      ...(await fetchChallenges(WARM_UP)).map((c) => signedGet(keys, c)),
      ...Array.from({ length: WARM_UP }, () => () => fetch(`${t.url}/api/config`)),
    ]);
    const results = [
      await phase('GET /api/config (no writes; baseline)', processes, Array.from({ length: REQUESTS }, () => () => fetch(`${t.url}/api/config`))),
      await phase('POST /api/reports (report submission)', processes, submissions.map(postReport)),
      await phase('POST /api/mailbox/challenge', processes, Array.from({ length: REQUESTS }, () => postChallenge)),
      await phase('GET /api/mailbox (signed; 3-message thread)', processes, (await fetchChallenges(REQUESTS)).map((c) => signedGet(keys, c))),
    ];

    const roles = processes.map((p) => p.role);
    const rows = results.map((r) => `| ${r.name} | ${fmt(median(r.wallMs))} | ${fmt(percentile(r.wallMs, 95))} | ${roles.map((role) => fmt(r.cpuMsPerRequest[role]!)).join(' | ')} |`);
    const markdown = `## Workers / D1

Machine: ${machine}.

### Bundle (what \`wrangler deploy\` uploads)

\`${bundle.command}\` → \`entry-workers.js\`: **${fmt(bundle.raw / 1024)} KiB raw, ${fmt(bundle.gzip / 1024)} KiB gzip**
(${((bundle.gzip / FREE_PLAN_LIMIT_BYTES) * 100).toFixed(1)} % of the 3 MiB free-plan limit, which applies after compression).
No libsodium and no WebAssembly in it (test/edge/bundle.test.ts checks both on every \`npm test\`).

### Time per request in workerd over local D1

\`npx tsx bench/workers-d1.ts ${REQUESTS}\`: wrangler's dev server (\`unstable_startWorker\`, the same
\`wrangler.toml\` and entry as \`npm run dev:edge\`), local D1 migrated by \`wrangler d1 migrations apply\`,
${REQUESTS} sequential requests per row after ${WARM_UP} warm-up requests of each kind, from a Node client on the same machine.

| request | wall median (ms) | wall p95 (ms) | ${roles.map((role) => `CPU per request, workerd ${role} (ms)`).join(' | ')} |
|---|---|---|${roles.map(() => '---|').join('')}
${rows.join('\n')}

What these are: *wall* is the client's time from sending to the last byte, through wrangler's proxy
workerd, so it includes two local HTTP hops. *CPU* is user + system time of each workerd process
(\`/proc/<pid>/stat\`, 10 ms ticks, averaged over the row) divided by the number of requests. The runtime
process runs the worker *and* local D1 (SQLite in the same process), plus HTTP parsing, so its figure is an
upper bound on what Cloudflare would bill as CPU time, which counts only the isolate's JavaScript and
not D1, which runs elsewhere. Client-side work (Argon2id, sealing, signing) is done before each row and is
not in any figure. Report submission validates the body, verifies one Ed25519 signature, counts intake
and stores the case, its mailbox, sealed key and first message in one \`db.batch\`; a mailbox fetch consumes
a challenge, verifies one Ed25519 signature and reads the thread. Proof of work is off (\`workBits\` 0, the
default), so neither row includes it. The machine was shared with other work: see the load average above.
`;
    updateResultsSection('workers-d1', markdown);
    console.log(markdown);
  } finally {
    await t.close();
  }
}

await main();
