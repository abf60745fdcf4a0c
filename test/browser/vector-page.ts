// The known-answer vectors a browser runs, and the script that runs them there: the same files
// and the same runner (test/support/vector-runner.ts) as the Node tests, bundled with the
// protocol for a blank page. Chromium (vectors.test.ts) and Firefox (tor-safer.test.ts) both use it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { VECTOR_KINDS, type TestVector } from '../support/vector-runner.js';

const VECTOR_DIR = join(import.meta.dirname, '..', 'vectors');

/** Every vector of a client-side kind (the server's own kinds run in Node only). */
export const CLIENT_VECTORS: TestVector[] = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(join(VECTOR_DIR, f), 'utf8')) as TestVector)
  .filter((v) => VECTOR_KINDS.includes(v.kind));

/** What the script puts on the page as `globalThis.parley`. */
export interface VectorPage {
  /** Resolves with the engine chosen ('libsodium', or 'noble' without WebAssembly). */
  ready(): Promise<string>;
  run(vector: unknown): { ok: boolean; reason?: string; ms: number };
}

/** The script to add to a blank page (no server): it defines `globalThis.parley`. */
export async function vectorPageScript(): Promise<string> {
  const bundle = await build({
    stdin: {
      contents: "import { runVector } from './vector-runner.ts'; import { sodiumReady } from '../../web/protocol/index.ts'; globalThis.parley = { ready: sodiumReady, run(v) { const t = performance.now(); return { ...runVector(v), ms: performance.now() - t }; } };",
      resolveDir: join(import.meta.dirname, '..', 'support'),
      loader: 'ts',
    },
    bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent',
    external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
  });
  return bundle.outputFiles[0]!.text;
}
