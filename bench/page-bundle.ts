// The benchmark pages' bundles (bench/client-page.ts, bench/files-page.ts): the real web/ code
// bundled by esbuild for Chromium, in memory.
import { join } from 'node:path';
import { build } from 'esbuild';

/** The bundle of bench/<entry>, minified. */
export async function bundleBenchPage(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, entry)],
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110'],
    minify: true,
    write: false,
    logLevel: 'silent',
    // As in scripts/build-web.ts: libsodium's loader names Node modules behind runtime checks.
    external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
  });
  return result.outputFiles[0]!.contents;
}
