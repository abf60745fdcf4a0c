// `npm run bench:files`: evidence files (issue 14). Upload and download through Parley's file
// routes, as a ratio to bare parts of the same sizes on the same server (bench/server.ts's
// /bench/parts), medians of interleaved rounds; the client's encryption and decryption on
// libsodium and on noble; what Padmé padding costs in stored bytes; and a 100 MiB upload and
// download in Chromium with the page's heap sampled over CDP. `-- --quick`: 1 MiB only, in well
// under a minute. Writes the "files" section of bench/RESULTS.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ApiClient } from '../web/client/api.js';
import { downloadParts, mailboxFileAccess, uploadParts, type FileAccess } from '../web/client/file-transfer.js';
import { downloadFile, uploadFile } from '../web/client/files.js';
import { submitReport } from '../web/client/reporter.js';
import { attachmentFor, encryptFilePartBytes, FILE_CHUNK_BYTES, FILE_PADDED_FLOOR, FILE_PART_BYTES, FILE_PART_CHUNKS, FileDecryptor, fileCipherLength, filePartCount, newFileSecret, type FileSecret } from '../web/protocol/file-crypto.js';
import { bytesToB64 } from '../web/protocol/index.js';
import { forceEngineForTests } from '../web/protocol/sodium.js';
import { makeSubmission, reportOfSize, withBenchInstance, type BenchInstance } from './instance.js';
import { fmt, machineLine, median, noteLine, pct, publish } from './report.js';
import { bundleBenchPage } from './page-bundle.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    /** Transfer sizes in MiB of content. */
    sizes: { type: 'string' },
    rounds: { type: 'string' },
    /** MiB of content each crypto run encrypts and decrypts; 0 skips. */
    'crypto-mib': { type: 'string' },
    /** MiB moved in Chromium; 0 skips. */
    'browser-mib': { type: 'string' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const MIB = 1024 ** 2;
const QUICK = values.quick;
const SIZES_MIB = (values.sizes ?? (QUICK ? '1' : '1,10,100')).split(',').map(Number);
const ROUNDS = Number(values.rounds ?? (QUICK ? 2 : 5));
const CRYPTO_MIB = Number(values['crypto-mib'] ?? (QUICK ? 4 : 32));
const BROWSER_MIB = Number(values['browser-mib'] ?? (QUICK ? 1 : 100));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PART_CONTENT = FILE_PART_CHUNKS * FILE_CHUNK_BYTES;
const NO_RETRY = { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 };

const seconds = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

/** The whole ciphertext of a file, part by part as uploadFile makes it (synchronously). */
function cipherParts(file: FileSecret, content: Uint8Array): Uint8Array[] {
  return Array.from({ length: filePartCount(fileCipherLength(file.size)) }, (_, p) => encryptFilePartBytes(file, p, content.subarray(p * PART_CONTENT, (p + 1) * PART_CONTENT)));
}

// ---- The client's encryption and decryption, per engine ----

interface CryptoFigures { encrypt: number[]; decrypt: number[] }

async function cryptoThroughput(): Promise<Record<'libsodium' | 'noble', CryptoFigures>> {
  const figures = { libsodium: { encrypt: [], decrypt: [] }, noble: { encrypt: [], decrypt: [] } } as Record<'libsodium' | 'noble', CryptoFigures>;
  if (CRYPTO_MIB <= 0) return figures;
  const content = new Uint8Array(randomBytes(CRYPTO_MIB * MIB));
  for (let round = 0; round < ROUNDS; round++) {
    for (const engine of ['libsodium', 'noble'] as const) {
      await forceEngineForTests(engine);
      const file = newFileSecret(content.length);
      let parts: Uint8Array[] = [];
      figures[engine].encrypt.push(CRYPTO_MIB / (await seconds(async () => (parts = cipherParts(file, content)))));
      figures[engine].decrypt.push(CRYPTO_MIB / (await seconds(async () => {
        const decryptor = new FileDecryptor(file);
        for (const part of parts) decryptor.push(part);
        decryptor.finish();
      })));
      console.log(`files: crypto round ${round + 1}/${ROUNDS} ${engine}: encrypt ${fmt(figures[engine].encrypt.at(-1)!)} MiB/s, decrypt ${fmt(figures[engine].decrypt.at(-1)!)} MiB/s`);
    }
  }
  await forceEngineForTests('libsodium');
  return figures;
}

// ---- Padding: stored bytes per content byte ----

/** A small seeded generator (mulberry32), so the padding figures are the same every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const overhead = (size: number) => fileCipherLength(size) / size;

function paddingRows(): string {
  const random = seeded(14);
  const rows: string[] = [];
  for (let k = 10; k < 30; k += 2) {
    // Sizes from 2^k up to (not including) 2^(k+2): the exact powers and 4,000 uniform draws.
    const sizes = [2 ** k, 2 ** (k + 1), ...Array.from({ length: 4000 }, () => Math.floor(2 ** k + random() * 3 * 2 ** k))];
    const ratios = sizes.map(overhead);
    rows.push(`| ${label(2 ** k)} – ${label(2 ** (k + 2))} | ${pct(median(ratios) - 1)} | ${pct(Math.max(...ratios) - 1)} |`);
  }
  rows.push(`| exactly 1 GiB | ${pct(overhead(2 ** 30) - 1)} | — |`);
  return rows.join('\n');
}

function label(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`;
}

function mixRows(): string {
  const random = seeded(1414);
  const uniform = (lo: number, hi: number) => Math.floor(lo + random() * (hi - lo));
  const logUniform = (lo: number, hi: number) => Math.floor(Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo))));
  const kinds: [string, () => number][] = [
    ['phone photos, 1–6 MiB (uniform)', () => uniform(MIB, 6 * MIB)],
    ['PDFs, 50 KiB–5 MiB (log-uniform)', () => logUniform(50 * 1024, 5 * MIB)],
    ['videos, 20–100 MiB (uniform)', () => uniform(20 * MIB, 100 * MIB)],
  ];
  const all: number[] = [];
  const row = (name: string, sizes: number[]) => {
    const ratios = sizes.map(overhead);
    const stored = sizes.reduce((n, s) => n + fileCipherLength(s), 0) / sizes.reduce((n, s) => n + s, 0);
    return `| ${name} | ${sizes.length} | ${pct(median(ratios) - 1)} | ${pct(Math.max(...ratios) - 1)} | ${pct(stored - 1)} |`;
  };
  const rows = kinds.map(([name, draw]) => {
    const sizes = Array.from({ length: 10_000 }, draw);
    all.push(...sizes);
    return row(name, sizes);
  });
  rows.push(row('all of the above together', all));
  return rows.join('\n');
}

// ---- Transfers through Parley's routes and the bare ones ----

type Transfer = 'bareUp' | 'routesUp' | 'clientUp' | 'bareDown' | 'routesDown' | 'clientDown';
const TRANSFERS: Record<Transfer, string> = {
  bareUp: 'bare PUT of the parts',
  routesUp: 'Parley routes (uploadParts, parts encrypted beforehand)',
  clientUp: 'Parley client (uploadFile: encrypt + routes)',
  bareDown: 'bare GET of the whole',
  routesDown: 'Parley route (downloadParts, no decryption)',
  clientDown: 'Parley client (downloadFile: route + decrypt)',
};

/** A report declaring one file of `size` content bytes, sent as the reporter's client sends it; its mailbox access. */
async function declaredFile(instance: BenchInstance, size: number): Promise<{ file: FileSecret; access: FileAccess }> {
  const file = newFileSecret(size);
  const { keys, body } = makeSubmission(instance.config, instance.org, { ...reportOfSize(1000), attachments: [attachmentFor(file, 'evidence-1.bin', 'application/octet-stream')] });
  body.report.files = [{ id: bytesToB64(file.id), bytes: fileCipherLength(size) }];
  await submitReport(instance.api, body);
  return { file, access: mailboxFileAccess(keys) };
}

async function bareUpload(url: string, id: string, parts: Uint8Array[]): Promise<void> {
  for (const [k, part] of parts.entries()) {
    const res = await fetch(`${url}/bench/parts/${id}/${k}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: part as Uint8Array<ArrayBuffer> });
    if (res.status !== 204) throw new Error(`bare PUT: ${res.status}`);
  }
}

async function bareDownload(url: string, id: string, expected: number): Promise<void> {
  const res = await fetch(`${url}/bench/parts/${id}`);
  let received = 0;
  for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) received += piece.length;
  if (received !== expected) throw new Error(`bare GET: ${received} of ${expected} bytes`);
  await fetch(`${url}/bench/parts/${id}`, { method: 'DELETE' });
}

async function transfers(instance: BenchInstance): Promise<Map<number, Record<Transfer, number[]>>> {
  const url = instance.server.url;
  const api = new ApiClient(url);
  const results = new Map(SIZES_MIB.map((mib) => [mib, Object.fromEntries(Object.keys(TRANSFERS).map((k) => [k, []])) as unknown as Record<Transfer, number[]>]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const mib of SIZES_MIB) {
      const size = mib * MIB;
      const content = new Uint8Array(randomBytes(size));
      const routes = await declaredFile(instance, size);
      const client = await declaredFile(instance, size);
      const parts = cipherParts(routes.file, content);
      const cipherBytes = fileCipherLength(size);
      const bareId = bytesToB64(randomBytes(16));
      let sink = 0;
      const t: Record<Transfer, number> = {
        bareUp: await seconds(() => bareUpload(url, bareId, parts)),
        routesUp: await seconds(() => uploadParts(api, routes.access, bytesToB64(routes.file.id), async (p) => parts[p]!, undefined, NO_RETRY)),
        clientUp: await seconds(() => uploadFile(api, client.access, client.file, async (from, to) => content.subarray(from, to), undefined, NO_RETRY)),
        bareDown: await seconds(() => bareDownload(url, bareId, cipherBytes)),
        routesDown: await seconds(() => downloadParts(api, routes.access, bytesToB64(routes.file.id), (piece) => (sink += piece.length), undefined, cipherBytes, NO_RETRY)),
        clientDown: await seconds(() => downloadFile(api, client.access, client.file, (piece) => (sink += piece.length), undefined, NO_RETRY)),
      };
      if (sink !== cipherBytes + size) throw new Error(`downloads gave ${sink} bytes, expected ${cipherBytes + size}`);
      // Round 0 warms up (JIT, SQLite's cache, the sockets) and is not counted.
      const mibPerSecond = Object.fromEntries(Object.entries(t).map(([k, s]) => [k, mib / s])) as Record<Transfer, number>;
      if (round > 0) for (const k of Object.keys(t) as Transfer[]) results.get(mib)![k].push(mibPerSecond[k]);
      console.log(`files: ${round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`} ${mib} MiB: ${Object.entries(mibPerSecond).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} MiB/s`);
    }
  }
  return results;
}

function transferRows(results: Map<number, Record<Transfer, number[]>>): string {
  const rows: string[] = [];
  for (const [mib, r] of results) {
    const ratio = (k: Transfer, bare: Transfer) => median(r[k].map((v, i) => v / r[bare][i]!));
    for (const k of Object.keys(TRANSFERS) as Transfer[]) {
      const bare = k.endsWith('Up') ? 'bareUp' : 'bareDown';
      rows.push(`| ${mib} MiB | ${TRANSFERS[k]} | ${fmt(median(r[k]))} | ${k === bare ? '1 (reference)' : fmt(ratio(k, bare))} |`);
    }
  }
  return rows.join('\n');
}

// ---- Chromium: 100 MiB up and down, the page's heap sampled ----

interface HeapRun { version: string; bundleBytes: number; upload: HeapPhase; download: HeapPhase; correct: boolean; uploadReadMs: number; encryptMiBps: number; bareUploadMs: number }
interface HeapPhase { ms: number; startUsed: number; peakUsed: number; startBacking: number; peakBacking: number; peakLiveBacking: number; samples: number }
interface FilesPage { parleyFiles: { prepare(size: number): Promise<void>; upload(): Promise<{ ms: number; readMs: number }>; bareUpload(): Promise<number>; download(): Promise<number>; check(): Promise<boolean>; encryptionRate(parts: number): Promise<number> } }
/** Every this many samples, a full collection first: what is still referenced, not garbage awaiting V8's next collection. */
const LIVE_EVERY = 10;

async function buildPage(dir: string): Promise<{ path: string; bytes: number }> {
  const bundle = await bundleBenchPage('files-page.ts');
  const path = join(dir, 'files-page.js');
  writeFileSync(path, bundle);
  return { path, bytes: bundle.length };
}

async function inChromium(instance: BenchInstance, bundleBytes: number): Promise<HeapRun> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${instance.server.url}/bench/page`);
    await page.waitForFunction(() => 'parleyFiles' in globalThis, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`bench page did not load: ${errors.join('; ') || 'no error reported'}`);
    });
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate((size) => (globalThis as unknown as FilesPage).parleyFiles.prepare(size), BROWSER_MIB * MIB);
    /** Runs one phase with the heap sampled every 20 ms, after a full collection for its starting point. */
    const phase = async (run: () => Promise<number>): Promise<HeapPhase> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const start = await cdp.send('Runtime.getHeapUsage');
      let peakUsed = start.usedSize;
      let peakBacking = start.backingStorageSize ?? 0;
      let peakLiveBacking = peakBacking;
      let samples = 0;
      let running = true;
      const sampler = (async () => {
        while (running) {
          const live = samples % LIVE_EVERY === LIVE_EVERY - 1;
          if (live) await cdp.send('HeapProfiler.collectGarbage');
          const usage = await cdp.send('Runtime.getHeapUsage');
          peakUsed = Math.max(peakUsed, usage.usedSize);
          peakBacking = Math.max(peakBacking, usage.backingStorageSize ?? 0);
          if (live) peakLiveBacking = Math.max(peakLiveBacking, usage.backingStorageSize ?? 0);
          samples++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const ms = await run();
      running = false;
      await sampler;
      return { ms, startUsed: start.usedSize, peakUsed, startBacking: start.backingStorageSize ?? 0, peakBacking, peakLiveBacking, samples };
    };
    let uploadReadMs = 0;
    const upload = await phase(async () => {
      const { ms, readMs } = await page.evaluate(() => (globalThis as unknown as FilesPage).parleyFiles.upload());
      uploadReadMs = readMs;
      return ms;
    });
    const download = await phase(() => page.evaluate(() => (globalThis as unknown as FilesPage).parleyFiles.download()));
    const correct = await page.evaluate(() => (globalThis as unknown as FilesPage).parleyFiles.check());
    const encryptMiBps = await page.evaluate((parts) => (globalThis as unknown as FilesPage).parleyFiles.encryptionRate(parts), 8);
    const bareUploadMs = await page.evaluate(() => (globalThis as unknown as FilesPage).parleyFiles.bareUpload());
    return { version: browser.version(), bundleBytes, upload, download, correct, uploadReadMs, encryptMiBps, bareUploadMs };
  } finally {
    await browser.close();
  }
}

function heapRows(run: HeapRun): string {
  const row = (name: string, p: HeapPhase) =>
    `| ${name} | ${fmt((BROWSER_MIB / p.ms) * 1000)} | ${fmt(p.startUsed / MIB)} | ${fmt((p.peakUsed - p.startUsed) / MIB)} | ${fmt(p.startBacking / MIB)} | ${fmt((p.peakBacking - p.startBacking) / MIB)} | ${fmt((p.peakLiveBacking - p.startBacking) / MIB)} | ${pct((Math.max(p.peakUsed - p.startUsed, 0) + Math.max(p.peakLiveBacking - p.startBacking, 0)) / (BROWSER_MIB * MIB))} | ${p.samples} |`;
  return [row('upload (uploadFile from a Blob)', run.upload), row('download (downloadFile into a Blob)', run.download)].join('\n');
}

// ---- The section ----

async function main(): Promise<void> {
  const started = performance.now();
  console.log('files: padding');
  const padding = paddingRows();
  const mix = mixRows();
  console.log('files: client encryption and decryption');
  const crypto = await cryptoThroughput();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-files-page-'));
  let heap: HeapRun | undefined;
  let heapProblem = '';
  try {
    const page = BROWSER_MIB > 0 && existsSync(CHROMIUM_PATH) ? await buildPage(dir) : undefined;
    if (page) process.env.BENCH_PAGE_BUNDLE = page.path; // read by the bench server, a child of this process
    else heapProblem = BROWSER_MIB > 0 ? `no Chromium at ${CHROMIUM_PATH}` : 'skipped (--browser-mib 0)';
    const results = await withBenchInstance('parley-bench-files-', async (instance) => {
      const measured = await transfers(instance);
      if (page) {
        console.log(`files: ${BROWSER_MIB} MiB in Chromium`);
        heap = await inChromium(instance, page.bytes).catch((error: unknown) => ((heapProblem = `Chromium run failed: ${String(error)}`), undefined));
      }
      return measured;
    });
    const engineRow = (engine: 'libsodium' | 'noble') => `| ${engine} | ${fmt(median(crypto[engine].encrypt))} | ${fmt(median(crypto[engine].decrypt))} |`;
    const markdown = `## Files: transfer, encryption, padding, browser memory (issue 14)

Command: \`npm run bench:files\` (quick check: \`npm run bench:files -- --quick\`; sizes, rounds and the browser's size by \`--sizes 1,10,100 --rounds 5 --crypto-mib 32 --browser-mib 100\`)${noteLine(values.note)}

Machine: ${machineLine()}${heap ? `; Chromium ${heap.version} headless` : ''}

### Transfer through the file routes

The Node server (bench/server.ts: the real app over a SQLite file, synchronous=FULL) as a child process on 127.0.0.1; the client in the driver process (Node's fetch). Each round moves each size six ways, one after another: the bare reference (PUT each ${fmt(FILE_PART_BYTES / MIB)} MiB part to \`/bench/parts\`, a Hono route on the same server that keeps it in memory; GET them back as one stream), Parley's routes alone (\`uploadParts\` / \`downloadParts\` with ciphertext made beforehand: each part a fresh challenge and a mailbox signature over its bytes, the part written to SQLite in its own commit), and the whole client (\`uploadFile\` / \`downloadFile\`: the same plus libsodium encryption and decryption in the same thread). The same ciphertext length each way (the content's \`fileCipherLength\`); MiB/s of content. ${ROUNDS} rounds after a warm-up round; medians, and the ratio is the median of each round's ratio to that round's bare run.

| size | how | MiB/s | ratio to bare |
|---|---|---|---|
${transferRows(results)}

### The client's encryption and decryption (Node ${process.version})

\`encryptFilePartBytes\` over every part of ${CRYPTO_MIB} MiB of content, and \`FileDecryptor\` pushed those parts, engine by engine (\`forceEngineForTests\`), interleaved; ${ROUNDS} rounds, medians. MiB/s of content.

| engine | encrypt MiB/s | decrypt MiB/s |
|---|---|---|
${engineRow('libsodium')}
${engineRow('noble')}

### Padding: stored bytes beyond the content

Stored = \`fileCipherLength(size)\`: Padmé of size + 1 with a ${FILE_PADDED_FLOOR / 1024} KiB floor, plus 16 bytes of tag per 64 KiB chunk. Overhead = stored / content − 1. Per range: the two powers of two and 4,000 sizes drawn uniformly in it (seeded).

| content size | median overhead | max overhead |
|---|---|---|
${padding}

A realistic mix (10,000 seeded draws per kind):

| kind | files | median overhead | max overhead | all stored / all content − 1 |
|---|---|---|---|---|
${mix}

### ${BROWSER_MIB} MiB in Chromium: the page's memory

${heap ? `bench/files-page.ts (the real client modules, bundled by esbuild: ${fmt(heap.bundleBytes / 1024)} KiB) served by the bench server from the API's origin: a report declaring the file (\`submitReport\`), then \`uploadFile\` reading the content from a Blob part by part, then \`downloadFile\` with the pieces folded into a Blob every 4 MiB. Before each phase a full collection (\`HeapProfiler.collectGarbage\`); during it \`Runtime.getHeapUsage\` every 20 ms over CDP: the V8 heap's used size and the ArrayBuffer backing store (where byte arrays live). The download ${heap.correct ? 'equals' : '**does not equal**'} the content (size, and 64 KiB at its start, middle and end).

| phase | MiB/s | heap at start MiB | heap peak − start MiB | array buffers at start MiB | array buffers peak − start MiB | live array buffers peak − start MiB | (heap + live array buffers) peak − start / file size | samples |
|---|---|---|---|---|---|---|---|---|
${heapRows(heap)}

"Array buffers peak" counts garbage V8 has not collected yet (it collects when enough external memory has been allocated since the last time); "live" samples (every ${LIVE_EVERY}th, after a full collection) count only what the page still references. Of the upload's ${fmt(heap.upload.ms / 1000)} s, ${fmt(heap.uploadReadMs / 1000)} s went on reading the Blob; encryption alone in this page (the first 8 parts, \`encryptFilePart\`): ${fmt(heap.encryptMiBps)} MiB/s. For reference, the same parts PUT from this page to the bare route (read from the Blob, not encrypted, no proof): ${fmt((BROWSER_MIB / heap.bareUploadMs) * 1000)} MiB/s, so the page's upload runs at ${fmt(heap.bareUploadMs / heap.upload.ms)} of the bare rate.` : `Not measured: ${heapProblem}.`}

Whole command: ${fmt((performance.now() - started) / 1000)} s.`;
    publish('files', markdown, values);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
