// The pure-JavaScript engine (web/protocol/noble.ts) as a bundle of its own, noble-engine.js
// (issue 13): only browsers without WebAssembly need it, so the engines load it by import() when
// they do (web/protocol/noble-load-page.ts) instead of carrying it to every reporter. Its SHA-384
// is pinned into the engines at build, which check it before importing.
import type { BuildOptions, Plugin } from 'esbuild';
import { buildLazyBundle, lazyBundleDefine, swapImport } from './lazy-bundle.js';

export const NOBLE_BUNDLE = 'noble-engine.js';

/** The bundle's bytes, built with the same options as the other scripts. */
export function buildNobleBundle(root: string, options: BuildOptions): Promise<Uint8Array> {
  return buildLazyBundle(root, 'web/protocol/noble.ts', options);
}

/** Where the engines find the bundle, and the hash it must have (for esbuild's define). */
export function nobleBundleDefine(integrity: string): Record<string, string> {
  return lazyBundleDefine('__PARLEY_NOBLE_ENGINE__', NOBLE_BUNDLE, integrity);
}

/** Puts web/protocol/noble-load-page.ts where the protocol imports noble-load.js, so noble.ts stays out of the bundle. */
export function loadNobleFromItsBundle(root: string): Plugin {
  return swapImport(root, 'web/protocol', './noble-load.js', 'noble-load-page.ts');
}
