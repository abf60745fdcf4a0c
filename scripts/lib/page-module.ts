// A module two page scripts share by its URL: the page names it in a <script> tag of its own (with
// SRI, first, so it runs early) and another script imports it. The browser keeps one module per
// URL, so the importer gets the same instance instead of a copy bundled into itself.
import type { Plugin } from 'esbuild';
import { redirectImport } from './lazy-bundle.js';

/** Where a module in `dir` imports `specifier` (e.g. ./engine-start.js), the page build imports `url` instead, left as it is. */
export function importByUrl(root: string, dir: string, specifier: string, url: string): Plugin {
  return redirectImport(root, dir, specifier, { path: url, external: true });
}
