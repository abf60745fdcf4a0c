// Trust anchors an operator builds into the pages: organisation id → the fingerprint of its
// first keys, as the unit publishes it. With an anchor pinned, the page refuses any key chain
// that does not start from it, and the published hash of the bundle covers the pin. Filled in
// at build time from config/anchors.json (scripts/build-web.ts); empty when there is none, and
// then the page shows the fingerprint for people to compare by hand.
declare const __PARLEY_PINNED_ANCHORS__: Record<string, string> | undefined;

export const PINNED_ANCHORS: Readonly<Record<string, string>> = Object.freeze(
  typeof __PARLEY_PINNED_ANCHORS__ === 'undefined' ? {} : __PARLEY_PINNED_ANCHORS__,
);
