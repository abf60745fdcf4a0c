// Issue 13: Argon2id at the production cost (PRODUCTION_KDF: 3 passes, 64 MiB) in Firefox ESR
// with Tor Browser's "Safer" preferences (no WebAssembly, no baseline JIT, no Ion), where the
// protocol runs on the pure-JavaScript noble engine; and in the same Firefox with its defaults
// (libsodium in WebAssembly) for comparison. Each run is web/protocol/sodium.ts's argon2id in a
// dedicated Web Worker, as the reporter's engine runs it. Also checks @noble/hashes'
// argon2idAsync: does it report progress (onProgress) in Safer mode, and at what cost?
// The machine may be shared: besides wall time, each run's CPU time is read from /proc for
// Firefox's whole process tree, which other jobs' load does not inflate.
//
//   npx tsx bench/argon2-no-wasm.ts [--runs 3] [--modes safer,default] [--no-progress]
//
// Needs firefox-esr (FIREFOX_PATH, default /usr/bin/firefox-esr). Prints Markdown for bench/RESULTS.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { PRODUCTION_KDF } from '../web/protocol/labels.js';

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Tor Browser's "Safer" security level, as far as JavaScript is concerned. */
const SAFER_PREFS = { 'javascript.options.wasm': false, 'javascript.options.baselinejit': false, 'javascript.options.ion': false };

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, modes: { type: 'string', default: 'safer,default' }, 'no-progress': { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const modes = values.modes!.split(',') as ('safer' | 'default')[];
if (!existsSync(FIREFOX_PATH)) throw new Error(`no Firefox at ${FIREFOX_PATH}: apt-get install firefox-esr`);

// The worker: the protocol's own argon2id (through whichever engine sodiumReady chooses), then
// optionally noble's async Argon2id with a progress callback.
const ROOT = join(import.meta.dirname, '..');
const worker = await build({
  stdin: {
    contents: `
      import { sodiumReady, argon2id } from './web/protocol/sodium.ts';
      import { argon2idAsync } from '@noble/hashes/argon2.js';
      onmessage = async ({ data: { runs, opsLimit, memLimitBytes, progress } }) => {
        const engine = await sodiumReady();
        const password = new TextEncoder().encode('abandon ability able about above absent absorb abstract absurd');
        const salt = new Uint8Array(16).fill(7);
        const times = [];
        let first;
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          const out = argon2id(32, password, salt, opsLimit, memLimitBytes);
          times.push(performance.now() - t);
          first ??= Array.from(out);
          postMessage({ log: engine + ' run ' + (i + 1) + ': ' + Math.round(times[i]) + ' ms', run: i });
        }
        let asyncRun = null;
        if (progress) {
          postMessage({ log: 'argon2idAsync with onProgress…', run: runs });
          const seen = [];
          const t = performance.now();
          const out = await argon2idAsync(password, salt, { t: opsLimit, m: memLimitBytes / 1024, p: 1, dkLen: 32, asyncTick: 100, onProgress: (p) => seen.push([Math.round(performance.now() - t), p]) });
          asyncRun = { ms: performance.now() - t, callbacks: seen.length, same: Array.from(out).join() === first.join(), samples: seen.filter((_, i) => i % Math.ceil(seen.length / 5) === 0) };
        }
        postMessage({ done: { engine, times, asyncRun, webAssembly: typeof WebAssembly } });
      };`,
    resolveDir: ROOT, loader: 'ts',
  },
  bundle: true, platform: 'browser', format: 'iife', minify: true, write: false, logLevel: 'silent',
  external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
});
const workerSource = worker.outputFiles[0]!.text;

interface Outcome { engine: string; times: number[]; asyncRun: { ms: number; callbacks: number; same: boolean; samples: [number, number][] } | null; webAssembly: string }

/** CPU seconds (user + system) used so far by a process and all its descendants (Linux /proc). */
function treeCpuSeconds(rootPid: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12])); // utime, stime
    } catch {
      // the process ended while being read
    }
  }
  const inTree = (pid: number): boolean => pid === rootPid || (pid > 1 && parent.has(pid) && inTree(parent.get(pid)!));
  let total = 0;
  for (const [pid, t] of ticks) if (inTree(pid)) total += t;
  return total / 100; // USER_HZ
}

async function measure(mode: 'safer' | 'default'): Promise<{ version: string; outcome: Outcome; cpu: number[] }> {
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocolTimeout: 3 * 60 * 60_000,
    extraPrefsFirefox: mode === 'safer' ? SAFER_PREFS : {},
  });
  try {
    const page = await browser.newPage();
    const pid = browser.process()?.pid;
    const cpuMarks: number[] = [];
    const mark = () => { if (pid) cpuMarks.push(treeCpuSeconds(pid)); };
    page.on('console', (m) => { mark(); console.error(`  [${mode}] ${m.text()} (Firefox CPU so far ${cpuMarks.at(-1)?.toFixed(1)} s)`); });
    mark();
    const outcome = await page.evaluate((source, runs, opsLimit, memLimitBytes, progress) => new Promise<Outcome>((resolve, reject) => {
      const w = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      w.onerror = (e) => reject(new Error(e.message));
      w.onmessage = ({ data }) => (data.log ? console.log(data.log) : resolve(data.done));
      w.postMessage({ runs, opsLimit, memLimitBytes, progress });
    }), workerSource, runs, PRODUCTION_KDF.opsLimit, PRODUCTION_KDF.memLimitBytes, mode === 'safer' && !values['no-progress']);
    const cpu = cpuMarks.slice(1, runs + 1).map((c, i) => c - cpuMarks[i]!);
    return { version: await browser.version(), outcome, cpu };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const cpuModel = /^model name\s*:\s*(.+)$/m.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
const started = new Date().toISOString().slice(0, 16);
const loadBefore = loadavg()[0]!.toFixed(1);
const rows: string[] = [];
const notes: string[] = [];
let firefox = '';
for (const mode of modes) {
  console.error(`${mode}: ${runs} runs of Argon2id (t=${PRODUCTION_KDF.opsLimit}, ${PRODUCTION_KDF.memLimitBytes / 2 ** 20} MiB)…`);
  const { version, outcome, cpu } = await measure(mode);
  firefox = version;
  const cpuText = cpu.length === runs ? `${cpu.map((c) => `${c.toFixed(1)} s`).join(', ')} | **${median(cpu).toFixed(1)} s**` : 'n/a | n/a';
  rows.push(`| ${mode === 'safer' ? 'Safer prefs (wasm, baselinejit, ion off)' : 'defaults'} | ${outcome.webAssembly} | ${outcome.engine} | ${outcome.times.map(seconds).join(', ')} | **${seconds(median(outcome.times))}** | ${cpuText} |`);
  if (outcome.asyncRun) {
    const a = outcome.asyncRun;
    notes.push(`- \`argon2idAsync\` (@noble/hashes, \`asyncTick: 100\`) in Safer mode: ${seconds(a.ms)}, ${a.callbacks} \`onProgress\` calls, same output as the sync run: ${a.same}; samples (ms → fraction): ${a.samples.map(([t, p]) => `${t} → ${p.toFixed(2)}`).join(', ')}.`);
  }
}
console.log(`Command: \`npx tsx bench/argon2-no-wasm.ts --runs ${runs}\` — ${firefox.replace('/', ' ')} (Debian firefox-esr, headless, puppeteer-core over WebDriver BiDi), ${cpus().length} × ${cpuModel}, ${Math.round((totalmem() / 1024 ** 3) * 10) / 10} GiB RAM, Node ${process.version}, ${started}Z, load average ${loadBefore} at start (shared machine).`);
console.log('');
console.log(`| Firefox | \`typeof WebAssembly\` | engine chosen | wall time per run | median wall | Firefox CPU time per run | median CPU |`);
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
if (notes.length) console.log(`\n${notes.join('\n')}`);
