// Loads the pure-JavaScript engine (noble.ts) when sodium.ts needs it: here, as the module beside
// this one (Node, the tests, any plain bundle). The page build puts noble-load-page.ts in this
// file's place, so the engine is a bundle of its own that only browsers without WebAssembly
// download (scripts/lib/noble-bundle.ts).
import type { Primitives } from './primitives.js';

export async function loadNobleEngine(): Promise<Primitives> {
  return (await import('./noble.js')).nobleEngine;
}
