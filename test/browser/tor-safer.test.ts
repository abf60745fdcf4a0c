// Issue 13: Tor Browser at its "Safer" level turns WebAssembly and the JIT off, and libsodium has
// no fallback. Firefox ESR with those prefs must choose the pure-JavaScript engine (noble.ts) and
// pass every client-side known-answer vector, the same files and runner as Node and Chromium
// (test/browser/vectors.test.ts); the same Firefox with its defaults chooses libsodium and passes them too.
// Then a report filed through the real reporter page (production Argon2id: minutes without a JIT)
// against the Node server, which the unit reads from Node.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { ApiClient } from '../../web/client/api.js';
import { listCases, openCase, replyToCase, signIn } from '../../web/client/investigator.js';
import { PRODUCTION_KDF, sodiumReady } from '../../web/protocol/index.js';
import { PRODUCTION_CONFIG } from '../../worker/env-node.js';
import { startNodeServer, type RunningServer } from '../../worker/node-server.js';
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { totpCodeAt } from '../../worker/totp.js';
import { firefoxAvailable, launchFirefox, TOR_SAFER_PREFS } from './firefox.js';
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
  let browser: Browser;
  beforeAll(async () => { browser = await launchFirefox(TOR_SAFER_PREFS); }, 120_000);
  afterAll(async () => browser?.close());

  it('has no WebAssembly, chooses the noble engine, and passes every client-side vector', async () => {
    const { page, engine } = await pageWithRunner(browser);
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
  let browser: Browser;
  beforeAll(async () => { browser = await launchFirefox(); }, 120_000);
  afterAll(async () => browser?.close());

  it('has WebAssembly, chooses libsodium, and passes the same vectors', async () => {
    const { page, engine } = await pageWithRunner(browser);
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('object');
    expect(engine).toBe('libsodium');
    const { failures } = await runAll(page);
    expect(failures).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { uncaught: string[] }).uncaught)).toEqual([]);
  }, 10 * 60_000);
});

// ---- A report through the reporter page. ----

const catalogue = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'web', 'i18n', 'reporter', 'en.json'), 'utf8')) as { messages: Record<string, string> };
/** The page's English words (these keys hold plain text, no placeholders). */
const say = (key: string) => {
  const text = catalogue.messages[key];
  if (text === undefined || text.includes('{')) throw new Error(`no plain ${key} in the English catalogue`);
  return text;
};
const UNIT = 'Anti-Corruption Unit';
const MEMBER = { username: 'alice', password: 'a long investigator password' };
const MINUTES = 60_000;

/** Waits until a visible, enabled button says `name`, then clicks it. */
async function clickButton(page: Page, name: string, timeout = 2 * MINUTES): Promise<void> {
  const handle = await page.waitForFunction(
    (n) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === n && !b.disabled && b.offsetParent !== null) ?? null,
    { timeout, polling: 250 }, name,
  );
  await (handle.asElement() as ElementHandle<HTMLButtonElement>).click();
}

describe.skipIf(!firefoxAvailable)('a report from Firefox ESR with Tor Browser Safer prefs', () => {
  let dir: string;
  let server: RunningServer;
  let totpSecret: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-tor-safer-'));
    const dbPath = join(dir, 'parley.sqlite');
    const database = openNodeDatabase(dbPath);
    const created = await createOrganisation(database.db, { orgName: UNIT, ...MEMBER, kdf: PRODUCTION_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) });
    totpSecret = created.totpSecret;
    database.close();
    server = await startNodeServer({ host: '127.0.0.1', port: 0, dbPath, config: PRODUCTION_CONFIG });
    browser = await launchFirefox(TOR_SAFER_PREFS);
  }, 5 * MINUTES);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('files a report through the real page at the production Argon2id cost; the unit reads it and asks; the reporter comes back and reads the question', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
    const started = Date.now();
    await clickButton(page, say('landing.makeReport'), 5 * MINUTES); // enabled once the engine has the configuration
    await page.waitForSelector('#organisation');
    const unitValue = await page.$eval('#organisation', (select, label) => [...(select as HTMLSelectElement).options].find((o) => o.text.trim() === label)?.value ?? '', UNIT);
    await page.select('#organisation', unitValue);
    await page.click('#category-0');
    const text = 'Reported from Tor Browser at its Safer level, without WebAssembly.';
    await page.type('#what-happened', text);
    await clickButton(page, say('form.continue'));
    await page.waitForSelector('.passphrase li', { timeout: 5 * MINUTES });
    const words = await page.$$eval('.passphrase li', (items) => items.map((li) => li.textContent?.trim() ?? ''));
    expect(words).toHaveLength(9);
    await clickButton(page, say('passphrase.writtenDown'));
    await page.waitForSelector('input[id^="confirm-word-"]');
    const positions = await page.$$eval('input[id^="confirm-word-"]', (inputs) => inputs.map((i) => Number(i.id.replace('confirm-word-', ''))));
    for (const position of positions) await page.type(`#confirm-word-${position}`, words[position - 1]!);
    await clickButton(page, say('confirm.send'));
    // Argon2id at 64 MiB and 3 passes in the interpreter, then the proof of work: minutes.
    await page.waitForFunction((heading) => [...document.querySelectorAll('h1, h2')].some((h) => h.textContent?.trim() === heading), { timeout: 25 * MINUTES, polling: 1000 }, say('sent.heading'));
    const reference = (await page.$eval('.reference', (el) => el.textContent?.trim() ?? '')).trim();
    console.log(`Firefox Safer: report ${reference} sent ${Math.round((Date.now() - started) / 1000)} s after "${say('landing.makeReport')}"`);
    expect(reference).not.toBe('');

    await sodiumReady();
    const api = new ApiClient(server.url);
    const session = await signIn(api, { username: MEMBER.username, password: MEMBER.password, totp: totpCodeAt(totpSecret, Date.now()) });
    const found = (await listCases(api, session)).find((c) => c.reference === reference);
    expect(found?.report?.whatHappened).toBe(text);
    const question = 'Which station was this, and on what day?';
    await replyToCase(api, session, await openCase(api, session, found!.id), question);

    // Coming back: a fresh page, the passphrase typed, the mailbox opened (Argon2id again).
    await page.goto(server.url);
    const returned = Date.now();
    await clickButton(page, say('landing.havePassphrase'), 5 * MINUTES);
    await page.waitForSelector('#passphrase');
    await page.type('#passphrase', words.join(' '));
    await clickButton(page, say('unlock.open'));
    await page.waitForFunction((heading) => [...document.querySelectorAll('h1')].some((h) => h.textContent?.trim() === heading), { timeout: 25 * MINUTES, polling: 1000 }, say('mailbox.heading'));
    console.log(`Firefox Safer: mailbox opened ${Math.round((Date.now() - returned) / 1000)} s after "${say('landing.havePassphrase')}"`);
    await page.waitForFunction((q) => document.body.textContent?.includes(q) ?? false, { timeout: MINUTES }, question);
    expect(await page.evaluate(() => document.body.textContent ?? '')).toContain(text);
  }, 30 * MINUTES);
});
