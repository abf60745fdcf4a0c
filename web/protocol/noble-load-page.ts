// The page build's loadNobleEngine (put in noble-load.ts's place by scripts/lib/noble-bundle.ts):
// the pure-JavaScript engine is /static/noble-engine.js, a bundle of its own, so the ~26 KB (gzip)
// it weighs reach only browsers without WebAssembly, not every reporter.
//
// A worker's import() cannot carry SRI, and the CSP allows scripts from this origin only, so no
// blob: URL can run checked bytes. The bundle's SHA-384 is instead pinned into the engine at build
// (as the organisation anchors are: the engine's hash in the published manifest covers it), and
// the file is fetched with that integrity first: a file that is not the one this build made (stale
// or half-deployed) is refused before anything of it runs. It is not a defence against the server
// itself, which serves the engine too (docs/THREAT_MODEL.md, threat 6).
import type { Primitives } from './primitives.js';

declare const __PARLEY_NOBLE_ENGINE__: { url: string; integrity: string };

export async function loadNobleEngine(): Promise<Primitives> {
  const { url, integrity } = __PARLEY_NOBLE_ENGINE__;
  // Rejects (a TypeError, as a network failure) when the bytes do not match.
  const checked = await fetch(url, { integrity, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  if (!checked.ok) throw new Error(`the pure-JavaScript engine could not be loaded (${checked.status})`);
  await checked.arrayBuffer();
  const module = (await import(url)) as typeof import('./noble.js');
  return module.nobleEngine;
}
