// One crash soak: a temp database with an organisation and investigator, the Node server as a
// child process, and N cycles of concurrent writes → SIGKILL at a random moment → read-only
// checks of the file → restart on the same file → every acknowledged write checked through
// the clients. The server is always killed at the end, also when a check throws.
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { totpCodeAt } from '../../worker/totp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generatePassphrase, sodiumReady, type MailboxKeys } from '../../web/protocol/index.js';
import { ApiClient } from '../../web/client/api.js';
import { deriveKeysForInstance, fetchInstanceConfig } from '../../web/client/reporter.js';
import { signIn } from '../../web/client/investigator.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { PRODUCTION_CONFIG } from '../../worker/config-vars.js';
import { checkDatabaseFile, type DbCheck } from './db-checks.js';
import { Ledger } from './ledger.js';
import { startLoad, type LoadTally, type SoakClients } from './load.js';
import { seededPrng } from './prng.js';
import { startServerProcess, type ServerProcess } from '../../scripts/lib/server-process.js';
import { verifyLedger, type VerifyFigures } from './verify.js';
import { formatCycle } from './format.js';

export interface SoakOptions {
  cycles: number;
  /** Fixes the kill schedule and the workload's choices; network timing still varies. */
  seed: number;
  /** Writes in flight at once. */
  concurrency: number;
  /** How many of those may be the investigator's at once. 1 is one person; more finds the audit-sequence race. */
  investigatorLanes: number;
  /** The kill comes this long after the cycle's first acknowledged write, uniformly at random. */
  killAfterMs: { min: number; max: number };
  /** New reporters per cycle; each costs one production Argon2id derivation (~0.3 s). */
  reportsPerCycle: number;
  /** The whole run stops (and fails) after this long. */
  maxSeconds: number;
  log?: (line: string) => void;
  /** Runs on the killed server's file before the checks; only for tests that check the checks. */
  afterKill?: (dbPath: string, ledger: Ledger) => void;
}

export interface CycleFigures {
  cycle: number;
  killAfterMs: number;
  load: LoadTally;
  /** The file as the kill left it, before the restart. */
  afterKill: DbCheck;
  verify: VerifyFigures;
  seconds: { cycle: number; restart: number; verify: number };
}

export interface SoakResult {
  options: SoakOptions;
  cycles: CycleFigures[];
  /** The file after the last restart and a clean stop. */
  final: DbCheck | null;
  /** Distinct acknowledged writes ever found missing or altered. */
  lostAcknowledged: number;
  problems: string[];
  ok: boolean;
  seconds: number;
  /** Kept for inspection when the run failed. */
  dbPath: string | null;
}

const USERNAME = 'soak-investigator';
const PASSWORD = 'crash soak: correct horse battery staple';
const REQUEST_TIMEOUT_MS = 20_000;
// The investigator list returns at most 500 cases; stay under it so every case is checked.
const MAX_CASES = 450;
const FIRST_WRITE_WAIT_MS = 30_000;

/**
 * One connection per request. With keep-alive, a client starved of CPU (Argon2id, a busy
 * machine) can send a POST down a socket the server is just closing for idleness; that fails
 * with UND_ERR_SOCKET before any kill and would hide what the soak is after.
 */
function apiFor(server: ServerProcess): ApiClient {
  return new ApiClient(server.url, (input, init) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
  );
}

function dbProblems(label: string, check: DbCheck): string[] {
  return [...(check.integrity === 'ok' ? [] : [`${label}: integrity_check: ${check.integrity}`]), ...check.violations.map((v) => `${label}: ${v}`)];
}

export async function runCrashSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'parley-crash-soak-'));
  const dbPath = join(dir, 'parley.sqlite');
  const result: SoakResult = { options, cycles: [], final: null, lostAcknowledged: 0, problems: [], ok: false, seconds: 0, dbPath: null };
  let server: ServerProcess | undefined;
  try {
    await sodiumReady();
    const seeded = openNodeDatabase(dbPath);
    // The investigator's password is stretched at the cost the server will offer at sign-in.
    const { totpSecret } = await createOrganisation(seeded.db, { orgName: 'Soak Unit', username: USERNAME, password: PASSWORD, kdf: PRODUCTION_CONFIG.investigatorKdf, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) });
    seeded.close();

    server = await startServerProcess(dbPath);
    const api = apiFor(server);
    const config = await fetchInstanceConfig(api);
    const clients: SoakClients = { api, config, investigator: await signIn(api, { username: USERNAME, password: PASSWORD, totp: totpCodeAt(totpSecret, Date.now()) }), investigatorCaseKeys: new Map() };
    const ledger = new Ledger();
    const schedule = seededPrng(options.seed);
    const workload = seededPrng(options.seed ^ 0x5bd1e995);

    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      if (elapsed() > options.maxSeconds) {
        result.problems.push(`time bound of ${options.maxSeconds} s reached after ${cycle - 1} of ${options.cycles} cycles`);
        break;
      }
      const cycleStart = performance.now();
      const killAfterMs = schedule.int(options.killAfterMs.min, options.killAfterMs.max);
      // Derived before the load, so Argon2id does not stall the writers.
      const room = MAX_CASES - ledger.cases.size - ledger.inFlightCases.size;
      const freshKeys: MailboxKeys[] = Array.from({ length: Math.max(0, Math.min(options.reportsPerCycle, room)) }, () => deriveKeysForInstance(generatePassphrase(), config));

      const load = startLoad(clients, ledger, { cycle, concurrency: options.concurrency, investigatorLanes: options.investigatorLanes, prng: workload, freshKeys });
      // Counted from the first 2xx, so even on a slow machine the kill finds writes done and under way.
      await Promise.race([load.firstAcknowledged, sleep(FIRST_WRITE_WAIT_MS, undefined, { ref: false })]);
      await sleep(killAfterMs);
      load.markKill();
      await server.kill('SIGKILL');
      const tally = await load.finished;
      options.afterKill?.(dbPath, ledger);
      const afterKill = await checkDatabaseFile(dbPath);
      // Guards the check itself: a read-only open that missed the WAL would vouch for a stale file.
      const acknowledgedRows = ledger.cases.size + ledger.messages.size;
      if (afterKill.counts.messages < acknowledgedRows) result.problems.push(`cycle ${cycle}: the file after the kill holds ${afterKill.counts.messages} messages, fewer than the ${acknowledgedRows} acknowledged`);

      const restartStart = performance.now();
      server = await startServerProcess(dbPath);
      clients.api = apiFor(server);
      const verifyStart = performance.now();
      const verify = await verifyLedger(clients, ledger, options.concurrency);
      const now = performance.now();
      const seconds = { cycle: (now - cycleStart) / 1000, restart: (verifyStart - restartStart) / 1000, verify: (now - verifyStart) / 1000 };
      const figures: CycleFigures = { cycle, killAfterMs, load: tally, afterKill, verify, seconds };
      result.cycles.push(figures);
      result.problems.push(...tally.refused.map((r) => `cycle ${cycle}: REFUSED ${r}`), ...dbProblems(`cycle ${cycle} after kill`, afterKill), ...verify.problems.map((p) => `cycle ${cycle}: ${p}`));
      log(formatCycle(figures, options.cycles));
    }

    await server.kill('SIGTERM');
    server = undefined;
    result.final = await checkDatabaseFile(dbPath);
    result.problems.push(...dbProblems('final', result.final));
    result.lostAcknowledged = ledger.lost.size;
    result.ok = result.problems.length === 0 && result.lostAcknowledged === 0 && result.cycles.length === options.cycles;
    return result;
  } catch (error) {
    result.problems.push(`run aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${server ? `\nserver output:\n${server.output()}` : ''}`);
    return result;
  } finally {
    await server?.kill('SIGKILL');
    result.seconds = elapsed();
    if (result.ok) rmSync(dir, { recursive: true, force: true });
    else result.dbPath = dbPath;
  }
}
