// Issue 13: Tor Browser at its "Safer" level turns WebAssembly and the JIT off, and libsodium has
// no fallback. Firefox ESR with those prefs must choose the pure-JavaScript engine (noble.ts) and
// pass every client-side known-answer vector, the same files and runner as Node and Chromium
// (test/browser/vectors.test.ts); the same Firefox with its defaults chooses libsodium and passes them too.
// Then the whole reporter loop through the real page, by accessible names (reporter-loop.ts), at
// Tor Browser's Standard and Safer levels, against the Node server, the unit played from Node, with
// a photo added to the report: the engine in use (noble at Safer) encrypts and sends it.
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { firefoxAvailable, relaunchingFirefox, TOR_SAFER_PREFS, TOR_STANDARD_PREFS } from './firefox.js';
import type { Relaunching } from './relaunching.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { byNameInPuppeteer, reporterLoop } from './reporter-loop.js';
import { EN, EVIDENCE_PHOTO, InvestigatorDesk } from './reporter-steps.js';
import { CLIENT_VECTORS, vectorPageScript, type VectorPage } from './vector-page.js';

const vectors = CLIENT_VECTORS;


/** A blank page with the runner and the protocol on it (no server); resolves once the engine is chosen. */
async function pageWithRunner(browser: Browser): Promise<{ page: Page; engine: string }> {
  const page = await browser.newPage();
  // Anything the engine's start leaves uncaught (libsodium's loader throws one without WebAssembly).
  await page.evaluate(() => {
    const seen: string[] = ((globalThis as unknown as { uncaught: string[] }).uncaught = []);
    addEventListener('unhandledrejection', (e) => seen.push(String(e.reason)));
    addEventListener('error', (e) => seen.push(String(e.message)));
  });
  await page.addScriptTag({ content: await vectorPageScript() });
  const engine = await page.evaluate(() => (globalThis as unknown as { parley: VectorPage }).parley.ready());
  return { page, engine };
}

/** Every vector, one call each (the production-cost one runs minutes without a JIT); the failures and the slowest. */
async function runAll(page: Page) {
  const failures: { name: string; reason?: string }[] = [];
  const times: [string, number][] = [];
  for (const vector of vectors) {
    const result = await page.evaluate((v) => (globalThis as unknown as { parley: VectorPage }).parley.run(v), vector);
    if (!result.ok) failures.push({ name: vector.name, reason: result.reason });
    times.push([vector.name, result.ms]);
  }
  return { failures, slowest: times.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n, ms]) => `${n} ${Math.round(ms)} ms`) };
}

describe.skipIf(!firefoxAvailable)('Firefox ESR with Tor Browser Safer prefs (no WebAssembly, no JIT)', () => {
  let browsers: Relaunching<Browser>;
  beforeAll(async () => { browsers = await relaunchingFirefox(TOR_SAFER_PREFS); }, 120_000);
  afterAll(async () => browsers?.close());

  it('has no WebAssembly, chooses the noble engine, and passes every client-side vector', async () => {
    const { page, engine } = await pageWithRunner(await browsers.live());
    expect(await page.evaluate(() => [typeof WebAssembly, navigator.userAgent])).toEqual(['undefined', expect.stringMatching(/Firefox\//)]);
    expect(engine).toBe('noble');
    expect(await page.evaluate(() => (globalThis as unknown as { uncaught: string[] }).uncaught)).toEqual([]); // libsodium never started
    expect(vectors.length).toBeGreaterThanOrEqual(50);
    const { failures, slowest } = await runAll(page);
    console.log(`Firefox Safer, noble engine: ${vectors.length} vectors; slowest: ${slowest.join(', ')}`);
    expect(failures).toEqual([]);
  }, 30 * 60_000);
});

describe.skipIf(!firefoxAvailable)('Firefox ESR with its defaults', () => {
  let browsers: Relaunching<Browser>;
  beforeAll(async () => { browsers = await relaunchingFirefox(); }, 120_000);
  afterAll(async () => browsers?.close());

  it('has WebAssembly, chooses libsodium, and passes the same vectors', async () => {
    const { page, engine } = await pageWithRunner(await browsers.live());
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('object');
    expect(engine).toBe('libsodium');
    const { failures } = await runAll(page);
    expect(failures).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { uncaught: string[] }).uncaught)).toEqual([]);
  }, 10 * 60_000);
});

// ---- The whole loop through the reporter page, by accessible names. ----

const UNIT = 'Anti-Corruption Unit';
const MINUTES = 60_000;

describe.skipIf(!firefoxAvailable || !browserAvailable).each([
  { level: 'Standard', prefs: TOR_STANDARD_PREFS, engine: 'libsodium' },
  { level: 'Safer', prefs: TOR_SAFER_PREFS, engine: 'noble' },
])('Firefox ESR at Tor Browser’s $level level', ({ level, prefs, engine }) => {
  let harness: BrowserHarness;
  let browsers: Relaunching<Browser>;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    await sodiumReady();
    browsers = await relaunchingFirefox(prefs);
  }, 5 * MINUTES);
  afterAll(async () => {
    await browsers?.close();
    await harness?.close();
  });

  it('report → passphrase → confirm → sent; the unit asks; come back with the passphrase → read the question → answer (production Argon2id)', async () => {
    const page = await (await browsers.live()).newPage();
    await page.goto(harness.server.url);
    expect(await page.evaluate(() => typeof WebAssembly)).toBe(engine === 'noble' ? 'undefined' : 'object');
    // Anything the page ever says, to check afterwards that it never blamed the service for this device's work.
    await page.evaluate(() => {
      const said = ((globalThis as unknown as { said: Set<string> }).said = new Set());
      new MutationObserver(() => said.add(document.body.innerText)).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const progressSeen: string[] = [];
    const started = Date.now();
    await reporterLoop(byNameInPuppeteer(page), EN.m, new InvestigatorDesk(harness), {
      organisation: UNIT, category: 'category.bribery',
      whatHappened: `Reported from Firefox ESR at Tor Browser’s ${level} level.`,
      question: 'Which station was this, and on what day?', answer: 'Northgate, on a Tuesday.',
      derivationTimeoutMs: 25 * MINUTES,
      // A photo, cleaned and encrypted by this engine (without WebAssembly at Safer: noble's XChaCha20-Poly1305).
      photo: EVIDENCE_PHOTO,
      // Without WebAssembly Argon2id takes a minute or more: the page says why and how long, and its bar moves with the engine's own figure.
      whileDeriving: engine !== 'noble' ? undefined : async (step) => {
        const bar = await page.locator(`::-p-aria([name=${JSON.stringify(EN.m('progress.noWebAssembly'))}][role="progressbar"])`).setTimeout(MINUTES).waitHandle();
        const first = await bar.evaluate((p) => (p as HTMLProgressElement).value);
        await page.waitForFunction((p, v) => (p as HTMLProgressElement).value > v, { timeout: 5 * MINUTES, polling: 500 }, bar, first);
        progressSeen.push(`${step} from ${first.toFixed(2)}`);
      },
    });
    if (engine === 'noble') expect(progressSeen).toHaveLength(2);
    const said = await page.evaluate(() => [...(globalThis as unknown as { said: Set<string> }).said].join('\n'));
    expect(said).not.toContain(EN.m('confirm.busy'));
    if (engine === 'noble') expect(said).not.toContain(EN.m('progress.slow')); // "up to a minute on older phones" is libsodium's
    console.log(`Firefox ${level} (${engine}): the whole loop took ${Math.round((Date.now() - started) / 1000)} s; progress seen: ${progressSeen.join(', ') || 'none'}`);
    await page.close();
  }, 40 * MINUTES);
});
