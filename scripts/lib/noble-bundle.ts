// The pure-JavaScript engine (web/protocol/noble.ts) as a bundle of its own, noble-engine.js
// (issue 13): only browsers without WebAssembly need it, so the engines load it by import() when
// they do (web/protocol/noble-load-page.ts) instead of carrying it to every reporter. Its SHA-384
// is pinned into the engines at build, which check it before importing.
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { join } from 'node:path';

export const NOBLE_BUNDLE = 'noble-engine.js';

/** The bundle's bytes, built with the same options as the other scripts. */
export async function buildNobleBundle(root: string, options: BuildOptions): Promise<Uint8Array> {
  const result = await build({ ...options, absWorkingDir: root, entryPoints: [join(root, 'web', 'protocol', 'noble.ts')], outdir: undefined, write: false });
  return result.outputFiles![0]!.contents;
}

/** Where the engines find the bundle, and the hash it must have (for esbuild's define). */
export function nobleBundleDefine(integrity: string): Record<string, string> {
  return { __PARLEY_NOBLE_ENGINE__: JSON.stringify({ url: `/static/${NOBLE_BUNDLE}`, integrity }) };
}

/** Puts web/protocol/noble-load-page.ts where the protocol imports noble-load.js, so noble.ts stays out of the bundle. */
export function loadNobleFromItsBundle(root: string): Plugin {
  const protocol = join(root, 'web', 'protocol');
  return {
    name: 'load-noble-from-its-bundle',
    setup(plugin) {
      plugin.onResolve({ filter: /^\.\/noble-load\.js$/ }, (args) => (args.resolveDir === protocol ? { path: join(protocol, 'noble-load-page.ts') } : undefined));
    },
  };
}
