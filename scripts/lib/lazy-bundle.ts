// Code only some visitors need, as bundles of their own that a page imports when it needs them
// (the noble engine, the file cleaners): each is built with the other scripts' options, its
// SHA-384 pinned into whatever imports it (web/protocol/import-checked.ts checks it first), and
// the Node import of it swapped, in the page build, for a module that fetches it.
import { build, type BuildOptions, type OnResolveResult, type Plugin } from 'esbuild';
import { join } from 'node:path';

/** One bundle's bytes, built from `entry` (a path under `root`) with the same options as the other scripts. */
export async function buildLazyBundle(root: string, entry: string, options: BuildOptions): Promise<Uint8Array> {
  const result = await build({ ...options, absWorkingDir: root, entryPoints: [join(root, entry)], outdir: undefined, write: false });
  return result.outputFiles![0]!.contents;
}

/** Where a page finds the bundle, and the hash it must have, as esbuild's define for `name`. */
export function lazyBundleDefine(name: string, file: string, integrity: string): Record<string, string> {
  return { [name]: JSON.stringify({ url: `/static/${file}`, integrity }) };
}

/** Puts `dir`/`replacement` where a module in `dir` imports `specifier` (e.g. ./noble-load.js → noble-load-page.ts). */
export function swapImport(root: string, dir: string, specifier: string, replacement: string): Plugin {
  return redirectImport(root, dir, specifier, { path: join(root, dir, replacement) });
}

/** Resolves `specifier` to `result` where a module in `dir` imports it. */
export function redirectImport(root: string, dir: string, specifier: string, result: OnResolveResult): Plugin {
  const folder = join(root, dir);
  const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
  return {
    name: `redirect-${specifier}`,
    setup(plugin) {
      plugin.onResolve({ filter }, (args) => (args.resolveDir === folder ? result : undefined));
    },
  };
}
