// `npm run bench:client`: the reporter's client-side costs in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core) and, for comparison, in Node: passphrase →
// keys with Argon2id at production cost (64 MiB, 3 passes), sealing and opening a 4 KiB
// message, generating a passphrase, solving a proof of work. Medians of runs. Then landing to a
// usable form on the real reporter page, at 360 px, CPU slowed 4× and not (client-landing.ts);
// `--baseline <dist/web> --baseline-label <text>` loads another build in the same rounds for reference.
// Writes the "client" section of bench/RESULTS.md.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { PRODUCTION_KDF } from '../web/protocol/index.js';
import { DEFAULT_CONFIG } from '../worker/deps.js';
import { timeClientOperations, timeFirstDerivation, type ClientTimings, type TimingOptions } from './crypto-timings.js';
import { fmt, machineLine, median, noteLine, publish } from './report.js';
import { bundleBenchPage } from './page-bundle.js';
import { LANDING_VIEWPORT, landingMedians, timeLandings, type LandingBuild, type LandingRow, type LandingSetting, SLOW_4G } from './client-landing.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    batch: { type: 'string', default: '200' },
    loads: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    'baseline-label': { type: 'string', default: 'baseline' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const OPTIONS: TimingOptions = { runs: Number(values.runs), batch: Number(values.batch), kdf: PRODUCTION_KDF };
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BROWSER_TIMEOUT_MS = 10 * 60 * 1000;
const DERIVE_TARGET_MS = 1000;
/** The issue's slowed CPU (a modest phone), on a slow link and on 127.0.0.1, and unslowed for reference. */
const SETTINGS: LandingSetting[] = [{ slowdown: 4, link: 'slow 4G' }, { slowdown: 4, link: 'local' }, { slowdown: 1, link: 'local' }];
const LOADS = Number(values.loads);
const BUILDS: LandingBuild[] = [{ label: 'this checkout' }, ...(values.baseline ? [{ label: values['baseline-label'], webDir: values.baseline }] : [])];

interface BenchPage {
  parleyBench: { timeClientOperations: typeof timeClientOperations; timeFirstDerivation: typeof timeFirstDerivation; readyAtMs: () => Promise<number> };
}

/** The page's CSP: only same-origin scripts and WebAssembly ('wasm-unsafe-eval', which libsodium needs), as the real pages. */
const BENCH_PAGE_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; base-uri 'none'; form-action 'none'";
const PAGE = '<!doctype html><meta charset="utf-8"><title>Parley client benchmark</title><script type="module" src="/bench.js"></script>';

/** A tiny server on 127.0.0.1 for the benchmark page and its bundle (esbuild, from client-page.ts). */
async function startPageServer(): Promise<{ url: string; bundleBytes: number; close(): void }> {
  const bundle = await bundleBenchPage('client-page.ts');
  const server = createServer((req, res) => {
    const headers = { 'Content-Security-Policy': BENCH_PAGE_CSP, 'Cache-Control': 'no-store' };
    if (req.url === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
    else if (req.url === '/bench.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(bundle);
    else res.writeHead(404, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    bundleBytes: bundle.length,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function timeInChromium(): Promise<{ timings: ClientTimings; coldDeriveMs: number[]; readyMs: number; version: string; bundleBytes: number }> {
  const pages = await startPageServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  let timer: NodeJS.Timeout | undefined;
  const openPage = async () => {
    const page = await (await browser.newContext()).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${pages.url}/`);
    await page.waitForFunction(() => 'parleyBench' in globalThis, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`bench page did not load: ${pageErrors.join('; ') || 'no error reported'}`);
    });
    return page;
  };
  try {
    // Cold: the first derivation of each of `runs` fresh pages (a new context each, nothing kept).
    const coldDeriveMs: number[] = [];
    for (let i = 0; i < OPTIONS.runs; i++) {
      const fresh = await openPage();
      coldDeriveMs.push(await fresh.evaluate((kdf) => (globalThis as unknown as BenchPage).parleyBench.timeFirstDerivation(kdf), OPTIONS.kdf));
      await fresh.context().close();
    }
    const page = await openPage();
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Chromium timings took too long')), BROWSER_TIMEOUT_MS)));
    const readyMs = await page.evaluate(() => (globalThis as unknown as BenchPage).parleyBench.readyAtMs());
    const timings = await Promise.race([page.evaluate((options) => (globalThis as unknown as BenchPage).parleyBench.timeClientOperations(options), OPTIONS), timeout]);
    return { timings, coldDeriveMs, readyMs, version: browser.version(), bundleBytes: pages.bundleBytes };
  } finally {
    clearTimeout(timer);
    await browser.close();
    pages.close();
  }
}

async function landingsInChromium(): Promise<LandingRow[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    return await timeLandings(browser, BUILDS, SETTINGS, LOADS);
  } finally {
    await browser.close();
  }
}

function landingSection(rows: LandingRow[] | undefined, problem: string): string {
  const table = rows
    ? rows.map((r) => {
        const m = landingMedians(r);
        const reference = rows.find((o) => o.form === r.form && o.slowdown === r.slowdown && o.link === r.link && o.build === BUILDS[0]!.label);
        const ratio = reference && reference !== r ? ` (this checkout takes ${fmt(landingMedians(reference).usableMs / m.usableMs, 2)}× this)` : '';
        return `| ${r.form === 'report' ? 'report form' : 'mailbox (passphrase form)'} | ${r.slowdown}× | ${r.link} | ${r.build} | ${fmt(m.engineAskedMs)} | ${fmt(m.engineAfterMainMs)} | ${fmt(m.firstViewMs)} | ${fmt(m.engineReadyMs)} | **${fmt(m.usableMs)}**${ratio} | ${r.loads.map((l) => fmt(l.usableMs)).join(', ')} |`;
      }).join('\n')
    : `| ${problem || 'not measured'} | | | | | | | | | |`;
  return `### Landing to a usable form

The real reporter page (a build of web/ by scripts/build-web.ts, served by the Node server on 127.0.0.1 with its no-store headers) in headless Chromium at ${LANDING_VIEWPORT.width} × ${LANDING_VIEWPORT.height} px, the CPU slowed 4× (DevTools \`Emulation.setCPUThrottlingRate\`), on 127.0.0.1 as it is and on a link shaped like DevTools' "Slow 4G" (\`Network.emulateNetworkConditions\`: ${SLOW_4G.latency} ms latency, ${SLOW_4G.downloadThroughput / 1000} kB/s down, ${SLOW_4G.uploadThroughput / 1000} kB/s up), and unslowed on 127.0.0.1 for reference. Chromium slows only the page's own thread that way: it refuses the same command for a worker ("only supported for pages"), so the engine's download, compile and start run at this machine's speed in every row and the 4× rows understate a slow phone's engine start. ${LOADS} cold loads each (a fresh browser context per load, nothing cached), interleaved round by round${BUILDS.length > 1 ? ' with the reference build' : ''}; medians, ms from navigation start (the page's time origin). "Engine asked for": the request for reporter-engine.js starts; the next column takes from it when reporter.js (the page's main script) was received, within the same load, so it is steadier than the times: negative, the engine's download started before the main script was in. The reporter clicks the first view's button ("Make a report" / "I have a passphrase") as soon as it is drawn. **Usable** is the later of: the form's first field (unit choice / passphrase) and its submit button ("Continue" / "Open my report") rendered, visible and enabled; and the engine ready, i.e. its first request (the configuration, which the engine sends only once libsodium's WebAssembly is compiled and running) answered. The report form is drawn from that configuration, so there the two coincide; the passphrase form is drawn at once, and Open would otherwise wait for the engine.

| form | CPU | link | build | engine asked for | … less main script received | first view drawn | engine ready | usable | usable, each load |
|---|---|---|---|---|---|---|---|---|---|
${table}`;
}

function row(label: string, node: number[], browser: number[] | undefined): string {
  return `| ${label} | ${browser ? fmt(median(browser)) : 'n/a'} | ${fmt(median(node))} |`;
}

function proofOfWorkLine(node: ClientTimings, browser: ClientTimings | undefined): string {
  const describe = (t: ClientTimings) => {
    const pow = t.proofOfWork;
    if ('error' in pow) return pow.error;
    const expected = (bits: number) => `${fmt((2 ** bits / pow.hashesPerSecond) * 1000)} ms`;
    return `${fmt(pow.hashesPerSecond / 1000)} k hashes/s; ${pow.ms.length} solves at ${pow.bits} bits took a median ${fmt(median(pow.ms))} ms (one solve is very random); expected time at 16 / 20 / 24 bits: ${expected(16)} / ${expected(20)} / ${expected(24)}`;
  };
  return `Proof of work (\`solveProofOfWork\`; the server's default difficulty is ${DEFAULT_CONFIG.workBits ? `${DEFAULT_CONFIG.workBits} bits` : 'off (0 bits)'}): Chromium ${browser ? describe(browser) : 'n/a'}. Node ${describe(node)}.`;
}

async function main() {
  const started = performance.now();
  console.log('client: timing in Node');
  const node = await timeClientOperations(OPTIONS);
  let browser: Awaited<ReturnType<typeof timeInChromium>> | undefined;
  let browserProblem = '';
  if (existsSync(CHROMIUM_PATH)) {
    console.log('client: timing in headless Chromium');
    try {
      browser = await timeInChromium();
    } catch (error) {
      browserProblem = `Chromium run failed: ${String(error)}`;
    }
  } else {
    browserProblem = `no Chromium at ${CHROMIUM_PATH}; only Node figures`;
  }
  let landings: LandingRow[] | undefined;
  let landingProblem = '';
  if (existsSync(CHROMIUM_PATH)) {
    console.log(`client: landing to a usable form (${LOADS} loads × ${BUILDS.length * SETTINGS.length * 2})`);
    try {
      landings = await landingsInChromium();
    } catch (error) {
      landingProblem = `Chromium landing run failed: ${String(error)}`;
    }
  }
  const b = browser?.timings;
  const derive = b ? median(b.deriveKeysMs) : Number.NaN;
  const markdown = `## Client: the reporter's costs in the browser

Command: \`npm run bench:client${values.baseline ? ` -- --baseline <${values['baseline-label']}'s dist/web> --baseline-label ${values['baseline-label']}` : ''}\` (also part of \`npm run bench\`)${noteLine(values.note)}

Machine: ${machineLine()}${browser ? `; Chromium ${browser.version} headless` : ''}

The real protocol code (web/protocol) bundled by esbuild from bench/client-page.ts (${browser ? `${fmt(browser.bundleBytes / 1024)} KiB` : 'n/a'}), served from 127.0.0.1 under a CSP allowing only same-origin scripts and 'wasm-unsafe-eval', run on the page's main thread (the reporter page runs the same code in a Web Worker); the same functions run in Node for comparison. ${OPTIONS.runs} runs each, medians; fast operations are timed over batches of ${OPTIONS.batch}. Passphrase → keys is \`deriveMailboxKeys\` (normalise, Argon2id ${PRODUCTION_KDF.memLimitBytes / 1024 ** 2} MiB × ${PRODUCTION_KDF.opsLimit} passes, sub-keys); seal is \`encryptMessage\` + \`signMessage\` of 3,000 bytes padded to 4,096; open is \`verifyMessage\` + \`decryptMessage\`.${browserProblem ? `\n\n**${browserProblem}**` : ''}

| operation | Chromium ms | Node ms |
|---|---|---|
${row('passphrase → keys (Argon2id 64 MiB, 3 passes), warm: repeats on one page', node.deriveKeysMs, b?.deriveKeysMs)}
| passphrase → keys, cold: the first on a fresh page (median of ${OPTIONS.runs} pages; runs ${browser ? browser.coldDeriveMs.map((x) => fmt(x)).join(', ') : 'n/a'}) | ${browser ? fmt(median(browser.coldDeriveMs)) : 'n/a'} | — |
${row('seal 4 KiB message (encrypt + sign)', node.sealMs, b?.sealMs)}
${row('open 4 KiB message (verify + decrypt)', node.openMs, b?.openMs)}
${row('generatePassphrase', node.generatePassphraseMs, b?.generatePassphraseMs)}
| page navigation → libsodium ready (once per page; bundle from 127.0.0.1) | ${browser ? fmt(browser.readyMs) : 'n/a'} | — |

Target: passphrase → keys ≤ ${DERIVE_TARGET_MS} ms in headless Chromium, warm: ${b ? `${fmt(derive)} ms (${derive <= DERIVE_TARGET_MS ? 'met' : 'not met'}; runs ${b.deriveKeysMs.map((x) => fmt(x)).join(', ')} ms)` : 'not measured'}.

${proofOfWorkLine(node, b)}

${landingSection(landings, landingProblem)}

Whole command: ${fmt((performance.now() - started) / 1000)} s.`;
  publish('client', markdown, values);
}

await main();
