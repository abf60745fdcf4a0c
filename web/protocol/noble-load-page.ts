// The page build's loadNobleEngine (put in noble-load.ts's place by scripts/lib/noble-bundle.ts):
// the pure-JavaScript engine is /static/noble-engine.js, a bundle of its own, so the ~26 KB (gzip)
// it weighs reach only browsers without WebAssembly, not every reporter. It is checked against the
// hash pinned at build before it is imported (import-checked.ts says why that way).
import { importChecked, type PinnedBundle } from './import-checked.js';
import type { Primitives } from './primitives.js';

declare const __PARLEY_NOBLE_ENGINE__: PinnedBundle;

export async function loadNobleEngine(): Promise<Primitives> {
  const module = await importChecked<typeof import('./noble.js')>(__PARLEY_NOBLE_ENGINE__, 'the pure-JavaScript engine');
  return module.nobleEngine;
}
