// Bytes a reporter downloads (issue 13): what a first visit to /en/ sends over the wire from the
// Node server — page, styles, script and engine — with no Accept-Encoding, with gzip and with br,
// for the current build (dist/web) and, with --baseline, for an older build's dist/web: as that
// older server sent it (no copies, so identity whatever was accepted) and with the copies the
// build now makes. Without WebAssembly the engine also fetches noble-engine.js (checked, then
// imported: twice).
//   npx tsx scripts/build-web.ts && npx tsx bench/first-visit-bytes.ts [--baseline <dir> --baseline-label <text>] [--no-write]
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bytesSent, firstVisitFiles } from '../scripts/lib/first-visit.js';
import { NOBLE_BUNDLE } from '../scripts/lib/noble-bundle.js';
import { precompressWeb } from '../scripts/lib/precompress.js';
import { PRODUCTION_CONFIG } from '../worker/env-node.js';
import { startNodeServer, WEB_DIR } from '../worker/node-server.js';
import { publish } from './report.js';

const { values } = parseArgs({ options: { baseline: { type: 'string' }, 'baseline-label': { type: 'string', default: 'baseline' }, 'no-write': { type: 'boolean', default: false } } });

/** The issue's slow 4G or Tor link: 601 KB in about 3 s. */
const SLOW_LINK_BYTES_PER_SECOND = 200_000;
const ENCODINGS = [['identity', undefined], ['gzip', 'gzip'], ['br', 'br, gzip']] as const;

interface Measured { totals: Record<string, number>; files: { path: string; bytes: Record<string, number> }[]; noble: Record<string, number> | null }

async function measure(webDir: string): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-first-visit-'));
  const server = await startNodeServer({ host: '127.0.0.1', port: 0, dbPath: join(dir, 'parley.sqlite'), config: PRODUCTION_CONFIG, webDir });
  try {
    const files = await firstVisitFiles(server.url);
    const totals: Record<string, number> = {};
    const perFile = files.map(({ path }) => ({ path, bytes: {} as Record<string, number> }));
    const noble: Record<string, number> = {};
    for (const [name, accept] of ENCODINGS) {
      const sent = await bytesSent(server.url, files, accept);
      totals[name] = sent.total;
      sent.files.forEach((f, i) => (perFile[i]!.bytes[name] = f.bytes));
      if (existsSync(join(webDir, NOBLE_BUNDLE))) noble[name] = (await bytesSent(server.url, [{ path: `/static/${NOBLE_BUNDLE}` }], accept)).total;
    }
    return { totals, files: perFile, noble: Object.keys(noble).length > 0 ? noble : null };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = (bytes: number) => bytes.toLocaleString('en-GB');
const seconds = (bytes: number) => (bytes / SLOW_LINK_BYTES_PER_SECOND).toFixed(1);
const row = (label: string, t: Record<string, number>) => `| ${label} | ${n(t.identity!)} | ${n(t.gzip!)} | ${n(t.br!)} | ${seconds(t.identity!)} s / ${seconds(t.br!)} s |`;

const rows: string[] = [];
if (values.baseline) {
  const before = await measure(values.baseline);
  const copy = mkdtempSync(join(tmpdir(), 'parley-baseline-compressed-'));
  cpSync(values.baseline, copy, { recursive: true });
  await precompressWeb(copy);
  const compressed = await measure(copy);
  rmSync(copy, { recursive: true, force: true });
  rows.push(row(`${values['baseline-label']}, as served then (nothing compressed)`, before.totals));
  rows.push(row(`${values['baseline-label']}'s files, precompressed`, compressed.totals));
}
const now = await measure(WEB_DIR);
rows.push(row('now (precompressed; noble engine on its own)', now.totals));
const withNoble = now.noble ? Object.fromEntries(Object.entries(now.totals).map(([k, v]) => [k, v + 2 * now.noble![k]!])) : null;
if (withNoble) rows.push(row('now, a browser without WebAssembly (+ noble-engine.js, fetched twice)', withNoble));

const markdown = `## Bytes a reporter downloads

Command: \`npx tsx scripts/build-web.ts && npx tsx bench/first-visit-bytes.ts${values.baseline ? ` --baseline <${values['baseline-label']}'s dist/web> --baseline-label ${values['baseline-label']}` : ''}\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}

Issue 13. A first visit to \`/en/\` from the Node server: the page, its two styles and script (by their SRI tags) and the engine worker the script starts, as bytes on the wire (\`scripts/lib/first-visit.ts\`, shared with \`test/worker/compressed-assets.test.ts\`). Every response stays \`Cache-Control: no-store\`, so each visit downloads all of it again. Brotli is quality 11, gzip level 9, made once at build (\`scripts/lib/precompress.ts\`). "Slow link": ${n(SLOW_LINK_BYTES_PER_SECOND)} bytes/s, the issue's slow 4G or Tor figure (601 KB in about 3 s), identity / br.

| build | identity | gzip | br | slow link |
|---|---|---|---|---|
${rows.join('\n')}

Now, per file:

| file | identity | gzip | br |
|---|---|---|---|
${now.files.map((f) => `| \`${f.path}\` | ${n(f.bytes.identity!)} | ${n(f.bytes.gzip!)} | ${n(f.bytes.br!)} |`).join('\n')}
${now.noble ? `| \`/static/${NOBLE_BUNDLE}\` (only without WebAssembly) | ${n(now.noble.identity!)} | ${n(now.noble.gzip!)} | ${n(now.noble.br!)} |` : ''}

On Workers the app sends identity bytes and Cloudflare's edge compresses \`text/html\`, \`text/css\`, \`text/javascript\` and \`application/json\` itself, by the visitor's Accept-Encoding ([Content compression](https://developers.cloudflare.com/speed/optimization/content/compression/)), at its own levels, so its figures differ a little from these; wrangler's local server does the same, and \`test/worker/compressed-assets.test.ts\` checks it there. The precompressed copies stay off Workers (\`dist/web/.assetsignore\`).

Without WebAssembly the engine fetches \`${NOBLE_BUNDLE}\` with its pinned SHA-384, then imports it: a worker's import cannot carry SRI, and \`no-store\` (which keeps the visit out of a shared device's cache) means the import downloads it again. That is ${now.noble ? n(now.noble.br!) : 'n/a'} bytes of br more, on a path where Argon2id alone takes over a minute (section "Argon2id without WebAssembly").
`;
publish('first-visit-bytes', markdown, values);
