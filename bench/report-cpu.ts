// A report's CPU on Node, in process (no HTTP): the real app over a SQLite file opened as
// `npm start` opens it, submissions made by the real client (bench/instance.ts), 10 at a time.
// Two comparisons for issue 16, printed (figures quoted in bench/RESULTS.md, "Session 28"):
//   1. write statements kept compiled (db/statement-cache.ts) against compiled afresh each time,
//      in interleaved rounds; CPU (process.cpuUsage) a report, medians;
//   2. the BigInt curve-point test of a signing key (isAcceptableEd25519PublicKey) against the
//      byte checks alone (passesKeyByteChecks), per call.
//
//   npx tsx bench/report-cpu.ts [rounds, default 6] [reports a round, default 300]
import { generateKeyPairSync } from 'node:crypto';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema.js';
import type { ParleyDb } from '../db/database.js';
import { openCheckedSqlite, openNodeDatabase } from '../db/open-node.js';
import { createApp } from '../worker/app.js';
import { databaseFileStore } from '../worker/file-store.js';
import { isAcceptableEd25519PublicKey, passesKeyByteChecks } from '../worker/ed25519-strict.js';
import { ApiClient } from '../web/client/api.js';
import { fetchInstanceConfig } from '../web/client/reporter.js';
import { sodiumReady } from '../web/protocol/index.js';
import { BENCH_CONFIG, createBenchDatabase, makeSubmissionBodies, REPORT_PLAINTEXT_BYTES } from './instance.js';
import { fmt, machineLine, median } from './report.js';

const ROUNDS = Number(process.argv[2] ?? 6);
const REPORTS = Number(process.argv[3] ?? 300);
/** Left out of each round: the first requests compile the app's code paths. */
const WARM_UP = 20;

await sodiumReady();
const bench = await createBenchDatabase();

/** The app over the bench database, with write statements kept compiled (as `npm start`) or not. */
function appOver(keepCompiled: boolean) {
  const sqlite = keepCompiled ? openNodeDatabase(bench.dbPath).sqlite : openCheckedSqlite(bench.dbPath);
  const db = drizzle(sqlite, { schema }) as unknown as ParleyDb;
  const app = createApp({ db, clock: Date.now, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)), config: BENCH_CONFIG, serverSecret: bench.serverSecret, files: databaseFileStore(db) });
  return { app, close: () => sqlite.close() };
}

async function post(app: ReturnType<typeof createApp>, body: string): Promise<void> {
  const res = await app.request('http://parley.test/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 201) throw new Error(`a report was answered ${res.status}`);
}

try {
  const first = appOver(true);
  const config = await fetchInstanceConfig(new ApiClient('http://parley.test', async (input, init) => first.app.request(new Request(input, init)), Date.now));
  first.close();
  const cpu: Record<'afresh' | 'kept', number[]> = { afresh: [], kept: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['afresh', 'kept'] as const) {
      const bodies = makeSubmissionBodies(config, bench.org, REPORTS, REPORT_PLAINTEXT_BYTES);
      const { app, close } = appOver(mode === 'kept');
      try {
        for (const body of bodies.slice(0, WARM_UP)) await post(app, body);
        const before = process.cpuUsage();
        for (let i = WARM_UP; i < REPORTS; i += 10) await Promise.all(bodies.slice(i, i + 10).map((body) => post(app, body)));
        const used = process.cpuUsage(before);
        cpu[mode].push((used.user + used.system) / 1000 / (REPORTS - WARM_UP));
      } finally {
        close();
      }
    }
  }

  const keys = Array.from({ length: 200 }, () => Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  const perCall = (check: (key: Uint8Array) => boolean) => {
    const runs = Array.from({ length: 5 }, () => {
      const started = performance.now();
      for (let i = 0; i < 2000; i++) if (!check(keys[i % keys.length]!)) throw new Error('a key libsodium made was refused');
      return ((performance.now() - started) / 2000) * 1000;
    });
    return median(runs);
  };

  console.log(`${machineLine()}
Command: npx tsx bench/report-cpu.ts ${ROUNDS} ${REPORTS}

1. CPU a report (ms), ${ROUNDS} interleaved rounds of ${REPORTS - WARM_UP} (after ${WARM_UP} left out):
   compiled afresh each time: ${cpu.afresh.map((v) => fmt(v)).join(', ')}; median ${fmt(median(cpu.afresh))}
   write statements kept:     ${cpu.kept.map((v) => fmt(v)).join(', ')}; median ${fmt(median(cpu.kept))}
   kept ÷ afresh, median of rounds: ${fmt(median(cpu.kept.map((v, i) => v / cpu.afresh[i]!)))}
2. A signing key's check, median of 5 runs of 2,000 calls over 200 keys:
   BigInt curve-point test (isAcceptableEd25519PublicKey): ${fmt(perCall(isAcceptableEd25519PublicKey))} µs
   byte checks alone (passesKeyByteChecks):               ${fmt(perCall(passesKeyByteChecks))} µs`);
} finally {
  bench.remove();
}
