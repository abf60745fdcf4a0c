// Browser tests: Debian's Chromium driven by playwright-core against a real Node server on
// 127.0.0.1 serving the built bundles. Every request the page makes is recorded. With CI
// set and no browser, tests fail rather than skip.
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { totpCodeAt } from '../../worker/totp.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startNodeServer, type RunningServer } from '../../worker/node-server.js';
import { PRODUCTION_CONFIG } from '../../worker/env-node.js';
import type { AppConfig } from '../../worker/deps.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { PRODUCTION_KDF } from '../../web/protocol/index.js';
import { relaunching, type Relaunching } from './relaunching.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM_PATH);
if (!browserAvailable && process.env.CI) throw new Error(`CI is set but no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (.ci/run does).`);

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
export const INVESTIGATOR = { username: 'alice', password: 'a long investigator password' } as const;

export interface BrowserHarness {
  server: RunningServer;
  /** The harness's Chromium, launched anew if the last one crashed (relaunching.ts). */
  liveBrowser(): Promise<Browser>;
  dbPath: string;
  /** A current, never-used TOTP code for an administrator the harness made. */
  totpCode(username?: string): string;
  /** The same, for an account the test made itself (its secret read off the page). */
  codeFor(secret: string): string;
  /** A fresh context (no shared state) whose requests are recorded into `requests`. */
  newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; context: BrowserContext; requests: Request[] }>;
  close(): Promise<void>;
}

/**
 * `webDir`: the built pages to serve (default dist/web); a test that builds its own (e.g. with another language offered) passes its folder.
 * `config`: the server's (default the production one); e.g. with public figures on.
 */
export async function startBrowserHarness(organisations: string[] = ['Anti-Corruption Unit'], options: { webDir?: string; config?: AppConfig } = {}): Promise<BrowserHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
  const dbPath = join(dir, 'parley.sqlite');
  const database = openNodeDatabase(dbPath);
  const serverSecret = loadNodeServerSecret(dbPath, undefined);
  const totpSecrets = new Map<string, string>();
  for (const [i, orgName] of organisations.entries()) {
    const username = i === 0 ? INVESTIGATOR.username : `${INVESTIGATOR.username}${i}`;
    // Production KDF: the page accepts nothing less, and the test proves the real cost works.
    const created = await createOrganisation(database.db, { orgName, username, password: INVESTIGATOR.password, kdf: PRODUCTION_KDF, now: Date.now(), serverSecret });
    totpSecrets.set(username, created.totpSecret);
  }
  database.close();
  // The server's clock runs ahead by 30 s for every code handed out, so each sign-in in a
  // test has a TOTP step of its own (a code is accepted only once) without waiting.
  let offsetMs = 0;
  const server = await startNodeServer({ host: '127.0.0.1', port: 0, dbPath, config: options.config ?? PRODUCTION_CONFIG, clock: () => Date.now() + offsetMs, ...(options.webDir ? { webDir: options.webDir } : {}) });
  const browsers = await relaunchingChromium();
  return {
    server, dbPath,
    liveBrowser: browsers.live,
    totpCode(username = INVESTIGATOR.username) {
      offsetMs += 30_000;
      return totpCodeAt(totpSecrets.get(username)!, Date.now() + offsetMs);
    },
    codeFor(secret) {
      offsetMs += 30_000;
      return totpCodeAt(secret, Date.now() + offsetMs);
    },
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await (await browsers.live()).newContext({ viewport });
      const page = await context.newPage();
      const requests: Request[] = [];
      page.on('request', (r) => requests.push(r));
      // The quick exit leaves for a third-party site; in tests, answer it locally so nothing leaves the machine.
      await context.route((url) => !url.href.startsWith(server.url), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Elsewhere</title>' }));
      return { page, context, requests };
    },
    async close() {
      await browsers.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ChromiumLauncher = Relaunching<Browser>;

/** Debian's Chromium, launched again when asked for after it crashed (relaunching.ts). */
export function relaunchingChromium(extraArgs: string[] = []): Promise<ChromiumLauncher> {
  const launch = () => chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
  return relaunching(launch, (browser) => browser.isConnected());
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core violations of serious or critical impact on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
}

/** Storage the origin holds: cookies, localStorage, sessionStorage, IndexedDB databases. */
export async function originStorage(context: BrowserContext, page: Page): Promise<{ cookies: number; local: number; session: number; indexedDb: number }> {
  const cookies = (await context.cookies()).length;
  const inPage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDb: (await indexedDB.databases()).length,
  }));
  return { cookies, ...inPage };
}
