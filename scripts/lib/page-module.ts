// A module two page scripts share by its URL: the page names it in a <script> tag of its own (with
// SRI, first, so it runs early) and another script imports it. The browser keeps one module per
// URL, so the importer gets the same instance instead of a copy bundled into itself.
import type { Plugin } from 'esbuild';
import { join } from 'node:path';

/** Where a module in `dir` imports `specifier` (e.g. ./engine-start.js), the page build imports `url` instead, left as it is. */
export function importByUrl(root: string, dir: string, specifier: string, url: string): Plugin {
  const folder = join(root, dir);
  const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
  return {
    name: `url-${specifier}`,
    setup(plugin) {
      plugin.onResolve({ filter }, (args) => (args.resolveDir === folder && args.kind === 'import-statement' ? { path: url, external: true } : undefined));
    },
  };
}
