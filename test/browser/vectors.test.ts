// The protocol's known-answer vectors, run inside real Chromium: the same files and the
// same runner as the Node tests, bundled for the browser with the protocol and libsodium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, relaunchingChromium, type ChromiumLauncher } from './harness.js';
import { CLIENT_VECTORS, vectorPageScript, type VectorPage } from './vector-page.js';

const vectors = CLIENT_VECTORS;

let browsers: ChromiumLauncher;
beforeAll(async () => {
  if (browserAvailable) browsers = await relaunchingChromium();
});
afterAll(async () => browsers?.close());

describe.skipIf(!browserAvailable)('test vectors in Chromium', () => {
  it('pass, every one, positive and negative', async () => {
    const page = await (await browsers.live()).newPage();
    await page.addScriptTag({ content: await vectorPageScript() });
    const results = await page.evaluate(async (vs) => {
      const { parley } = globalThis as unknown as { parley: VectorPage };
      await parley.ready();
      return vs.map((v) => ({ name: v.name, ...parley.run(v) }));
    }, vectors);
    expect(results).toHaveLength(vectors.length);
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // It really ran in the browser's engine, not in Node.
    expect(await page.evaluate(() => navigator.userAgent)).toMatch(/Chrome/);
  });
});
