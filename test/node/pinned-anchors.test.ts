// Pinned organisation anchors (config/anchors.json → web/client/pinned-anchors.ts): the build reads
// them strictly, bakes them into the engines (the bundles that include web/client/reporter.ts), and
// the published manifest hash of those bundles changes with them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, pinnedAnchors } from '../../scripts/build-web.js';

const ORG_ID = 'Pn8d-Qw3_xYz0aBcDeFgHi'; // 22 characters, as an organisation id
const FINGERPRINT = 'f00d 0123 4567 89ab cdef 0f1e 2d3c 4b5a 6978 beef';
// The engines include web/client/reporter.ts (the console's, for fetchInstanceConfig); the UI scripts do not.
const ENGINES = ['reporter-engine.js', 'console-engine.js'];
const UI_SCRIPTS = ['reporter.js', 'console.js'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-pinned-anchors-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('pinnedAnchors', () => {
  it('returns a valid map as it is', () => {
    const file = join(dir, 'anchors.json');
    const anchors = { [ORG_ID]: FINGERPRINT, 'AAAAAAAAAAAAAAAAAAAAAA': '0000 1111 2222 3333 4444 5555 6666 7777 8888 9999' };
    writeFileSync(file, JSON.stringify(anchors));
    expect(pinnedAnchors(file)).toEqual(anchors);
  });

  it('throws naming the file on a malformed fingerprint', () => {
    const malformed = [
      FINGERPRINT.toUpperCase(), // upper-case hex
      FINGERPRINT.split(' ').slice(0, 9).join(' '), // 9 groups
      `${FINGERPRINT} 0000`, // 11 groups
      FINGERPRINT.replaceAll(' ', ''), // no spaces
      FINGERPRINT.replace('f00d', 'f00g'), // not hex
      ` ${FINGERPRINT}`, // leading space
    ];
    for (const [index, fingerprint] of malformed.entries()) {
      const file = join(dir, `malformed-${index}.json`);
      writeFileSync(file, JSON.stringify({ [ORG_ID]: fingerprint }));
      expect(() => pinnedAnchors(file), fingerprint).toThrow(file);
    }
    const notString = join(dir, 'not-a-string.json');
    writeFileSync(notString, JSON.stringify({ [ORG_ID]: 42 }));
    expect(() => pinnedAnchors(notString)).toThrow(notString);
  });

  it('returns {} for a missing file', () => {
    expect(pinnedAnchors(join(dir, 'no-such-anchors.json'))).toEqual({});
  });
});

describe('buildWeb with pinned anchors', () => {
  it('bakes the pin into the engines only, and the manifest hash of each engine covers it', { timeout: 60_000 }, async () => {
    const pinnedDir = join(dir, 'pinned');
    const plainDir = join(dir, 'plain');
    const pinned = await buildWeb(pinnedDir, { [ORG_ID]: FINGERPRINT });
    const plain = await buildWeb(plainDir, {});
    const read = (outDir: string, file: string) => readFileSync(join(outDir, file), 'utf8');

    for (const file of ENGINES) {
      expect(read(pinnedDir, file), file).toContain(FINGERPRINT);
      expect(read(pinnedDir, file), file).toContain(ORG_ID);
      expect(read(plainDir, file), file).not.toContain(FINGERPRINT);
      expect(pinned[file], file).toMatch(/^sha384-/);
      expect(pinned[file], file).not.toBe(plain[file]);
    }
    for (const file of UI_SCRIPTS) {
      expect(read(pinnedDir, file), file).not.toContain(FINGERPRINT);
      expect(pinned[file], file).toBe(plain[file]);
    }
    // The written manifest.json is the one returned.
    expect(JSON.parse(read(pinnedDir, 'manifest.json'))).toEqual(pinned);
    expect(JSON.parse(read(plainDir, 'manifest.json'))).toEqual(plain);
  });
});
