// cleanFile in real Chromium: the built, lazily loaded bundles (file-cleaner.js, and pdf-cleaner.js
// only once a PDF is added) served by the real server and imported by a reporter's page, and the
// same code in a Web Worker. The browser's output is byte for byte the output of Node's run; HEIC
// and AVIF go through the browser's own decoder (a JPEG of what the browser shows) or are refused.
import { build } from 'esbuild';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFile } from '../../web/files/index.js';
import { fixture, markersIn, readTags } from '../files/fixtures.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';

const FILES: [string, string][] = [
  ['photo.jpg', 'image/jpeg'], ['photo.png', 'image/png'], ['photo.webp', 'image/webp'],
  ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['sheet.xlsx', ''], ['report.odt', 'application/vnd.oasis.opendocument.text'], ['document.pdf', 'application/pdf'],
];

interface Outcome { outcome: string; reason?: string; type?: string; removed?: string[]; b64?: string }

/**
 * Runs cleanFile in the page over a fixture: imported from `moduleUrl` (as the reporter's page does),
 * or through globalThis.runClean (a worker's). Given as source text so vitest leaves its import() alone.
 */
async function cleanInPage(page: Page, name: string, type: string, moduleUrl?: string): Promise<Outcome> {
  const args = JSON.stringify({ b64: Buffer.from(fixture(name)).toString('base64'), type, moduleUrl });
  return page.evaluate(`(async ({ b64, type, moduleUrl }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    if (!moduleUrl) return globalThis.runClean(bytes, type);
    const result = await (await import(moduleUrl)).cleanFile(new Blob([bytes]), type);
    if (result.outcome !== 'cleaned') return result;
    let text = '';
    for (const byte of new Uint8Array(await result.bytes.arrayBuffer())) text += String.fromCharCode(byte);
    return { outcome: result.outcome, type: result.type, removed: result.removed, b64: btoa(text) };
  })(${args})`) as Promise<Outcome>;
}

async function inNode(name: string, type: string): Promise<Outcome> {
  const result = await cleanFile(new Blob([fixture(name) as Uint8Array<ArrayBuffer>]), type);
  if (result.outcome !== 'cleaned') return result;
  return { outcome: result.outcome, type: result.type, removed: result.removed, b64: Buffer.from(await result.bytes.arrayBuffer()).toString('base64') };
}

/** The JPEG's frame size, from its SOF segment. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  for (let pos = 2; pos < bytes.length; ) {
    const marker = bytes[pos + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) return { height: (bytes[pos + 5]! << 8) | bytes[pos + 6]!, width: (bytes[pos + 7]! << 8) | bytes[pos + 8]! };
    pos += 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }
  throw new Error('no SOF');
}

describe.skipIf(!browserAvailable)('cleanFile in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 120_000);
  afterAll(async () => harness?.close());

  it('the reporter page imports the cleaner bundle, which cleans each type exactly as Node does, loading the PDF cleaner only for a PDF', async () => {
    const { page, requests } = await harness.newPage();
    await page.goto(`${harness.server.url}/en/`);
    const statics = () => requests.map((r) => new URL(r.url()).pathname).filter((p) => /cleaner/.test(p));
    expect(statics()).toEqual([]);
    for (const [name, type] of FILES) {
      const browser = await cleanInPage(page, name, type, '/static/file-cleaner.js');
      expect(browser, name).toEqual(await inNode(name, type));
      expect(markersIn(Buffer.from(browser.b64!, 'base64')), name).toEqual([]);
      if (name !== 'document.pdf') expect(statics().filter((p) => p.includes('pdf'))).toEqual([]);
    }
    expect(statics()).toEqual(['/static/file-cleaner.js', '/static/pdf-cleaner.js', '/static/pdf-cleaner.js']); // the PDF cleaner: checked fetch, then import
    expect(await page.evaluate(() => navigator.userAgent)).toMatch(/Chrome/);
  });

  it('HEIC is refused unless this Chromium decodes it; AVIF becomes a JPEG of what it shows, with no metadata', async () => {
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/en/`);
    const decodesHeic = await page.evaluate(async (b64) => {
      try {
        (await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/heic' }))).close();
        return true;
      } catch {
        return false;
      }
    }, Buffer.from(fixture('photo.heic')).toString('base64'));
    const heic = await cleanInPage(page, 'photo.heic', 'image/heic', '/static/file-cleaner.js');
    if (decodesHeic) expect(heic).toMatchObject({ outcome: 'cleaned', type: 'image/jpeg' });
    else expect(heic).toEqual({ outcome: 'cannot_clean', reason: 'unsupported_type' });

    const avif = await cleanInPage(page, 'photo.avif', 'image/avif', '/static/file-cleaner.js');
    expect(avif).toMatchObject({ outcome: 'cleaned', type: 'image/jpeg' });
    expect(avif.removed).toEqual(expect.arrayContaining(['location', 'camera', 'date', 'author', 'software']));
    const jpeg = Buffer.from(avif.b64!, 'base64');
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(markersIn(jpeg)).toEqual([]);
    const tags = readTags(jpeg);
    expect([tags.exif, tags.gps, tags.xmp]).toEqual([undefined, undefined, undefined]);
    // The size the browser shows the AVIF at (HEIF turns images by its own irot property; the EXIF
    // Orientation inside is not applied by decoders, ISO/IEC 23008-12), and the same pixel size.
    const shown = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/avif' }));
      return { width: bitmap.width, height: bitmap.height };
    }, Buffer.from(fixture('photo.avif')).toString('base64'));
    expect(jpegSize(jpeg)).toEqual(shown);
    expect(shown).toEqual({ width: 64, height: 48 });
  });

  it('runs in a Web Worker too', async () => {
    const bundle = await build({
      stdin: {
        contents: "import { cleanFile } from './index.ts'; onmessage = async (e) => { const r = await cleanFile(new Blob([e.data.bytes]), e.data.type); postMessage(r.outcome === 'cleaned' ? { outcome: r.outcome, type: r.type, removed: r.removed, bytes: new Uint8Array(await r.bytes.arrayBuffer()) } : r); };",
        resolveDir: join(import.meta.dirname, '..', '..', 'web', 'files'),
        loader: 'ts',
      },
      bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent',
    });
    const page = await (await harness.liveBrowser()).newPage();
    await page.evaluate((source) => {
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      (globalThis as unknown as { runClean: unknown }).runClean = (bytes: Uint8Array, type: string) => new Promise((resolve) => {
        worker.onmessage = (e) => {
          const { bytes: out, ...rest } = e.data as { bytes?: Uint8Array };
          let text = '';
          for (const byte of out ?? []) text += String.fromCharCode(byte);
          resolve(out ? { ...rest, b64: btoa(text) } : rest);
        };
        worker.postMessage({ bytes, type });
      });
    }, bundle.outputFiles[0]!.text);
    for (const [name, type] of [['photo.jpg', 'image/jpeg'], ['document.pdf', 'application/pdf'], ['report.odt', '']] as const) {
      expect(await cleanInPage(page, name, type), name).toEqual(await inNode(name, type));
    }
    const avif = await cleanInPage(page, 'photo.avif', 'image/avif');
    expect(avif).toMatchObject({ outcome: 'cleaned', type: 'image/jpeg' });
    await page.close();
  });
});
