// Imports a bundle of this build's own (the noble engine, the file cleaners) after checking it.
// A worker's import() cannot carry SRI, and the CSP allows scripts from this origin only, so no
// blob: URL can run checked bytes. The bundle's SHA-384 is instead pinned into the importer at
// build (as the organisation anchors are: the importer's hash in the published manifest covers it),
// and the file is fetched with that integrity first: a file that is not the one this build made
// (stale or half-deployed) is refused before anything of it runs. It is not a defence against the
// server itself, which serves the importer too (docs/THREAT_MODEL.md, threat 6).

/** What the build defines for each such bundle (scripts/lib/lazy-bundle.ts, lazyBundleDefine). */
export interface PinnedBundle {
  url: string;
  integrity: string;
}

export async function importChecked<Module>({ url, integrity }: PinnedBundle, what: string): Promise<Module> {
  // Rejects (a TypeError, as a network failure) when the bytes do not match.
  const checked = await fetch(url, { integrity, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  if (!checked.ok) throw new Error(`${what} could not be loaded (${checked.status})`);
  await checked.arrayBuffer();
  return (await import(url)) as Module;
}
