// Builds the self-hosted web bundles into dist/web: one per audience (reporter, console),
// each a page, a UI script and an engine script that runs the crypto in a Web Worker.
// The build is reproducible (no timestamps, fixed file names, sorted manifest), so anyone
// can rebuild from the same commit and compare the published hashes in manifest.json.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = join(ROOT, 'dist', 'web');

const SCRIPTS = {
  'reporter.js': 'web/reporter/main.ts',
  'reporter-engine.js': 'web/reporter/engine.ts',
  'console.js': 'web/console/main.ts',
  'console-engine.js': 'web/console/engine.ts',
} as const;
const STYLES = { 'parley.css': 'web/ui/parley.css', 'reporter-styles.css': 'web/reporter/reporter.css', 'console-styles.css': 'web/console/console.css' } as const;
const PAGES = { 'index.html': 'web/pages/reporter.html', 'console.html': 'web/pages/console.html' } as const;

function sri(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Organisation anchors the operator pins into the pages (web/client/pinned-anchors.ts); {} without the file. */
export function pinnedAnchors(file: string = join(ROOT, 'config', 'anchors.json')): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const valid = typeof parsed === 'object' && parsed !== null && Object.values(parsed).every((v) => typeof v === 'string' && /^([0-9a-f]{4} ){9}[0-9a-f]{4}$/.test(v));
  if (!valid) throw new Error(`${file}: expected {"<organisation id>": "<fingerprint: 10 groups of 4 hex digits>"}`);
  return parsed as Record<string, string>;
}

export async function buildWeb(outDir: string = WEB_DIST, anchors: Record<string, string> = pinnedAnchors()): Promise<Record<string, string>> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries({ ...SCRIPTS, ...STYLES }).map(([out, src]) => [out.replace(/\.(js|css)$/, ''), src])),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'silent',
    // libsodium's loader mentions Node modules behind runtime checks; the browser never takes that path.
    external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
    // Sorted, so the same anchors always give the same bytes (a reproducible, comparable bundle).
    define: { __PARLEY_PINNED_ANCHORS__: JSON.stringify(Object.fromEntries(Object.entries(anchors).sort(([a], [b]) => a.localeCompare(b)))) },
  });
  const integrity: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const name = file.path.slice(outDir.length + 1);
    writeFileSync(file.path, file.contents);
    integrity[name] = sri(file.contents);
  }
  for (const [out, src] of Object.entries(PAGES)) {
    // Pages name their assets as {{integrity:file}}; the build fills in the SRI hash.
    const html = readFileSync(join(ROOT, src), 'utf8').replace(/\{\{integrity:([\w.-]+)\}\}/g, (_, name: string) => {
      const hash = integrity[name];
      if (!hash) throw new Error(`${src} refers to ${name}, which the build did not produce`);
      return hash;
    });
    writeFileSync(join(outDir, out), html);
    integrity[out] = sri(Buffer.from(html));
  }
  const manifest = Object.fromEntries(Object.entries(integrity).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildWeb();
  for (const [name, hash] of Object.entries(manifest)) console.log(`${name.padEnd(22)} ${hash}`);
}
