// Landing to a usable form, for bench/client.ts: cold loads of the real reporter page (a build of
// web/ served by the Node server on 127.0.0.1, a fresh browser context each, so nothing cached)
// in headless Chromium at 360 px, with the CPU slowed through the DevTools protocol
// (Emulation.setCPUThrottlingRate) and unslowed for reference. Optionally a second build (e.g. an
// earlier commit's dist/web) is loaded in the same rounds, interleaved, as a reference.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openNodeDatabase } from '../db/open-node.js';
import { buildWeb, readCatalogue } from '../scripts/build-web.js';
import { createOrganisation } from '../scripts/create-organisation.js';
import { PRODUCTION_KDF } from '../web/protocol/index.js';
import { PRODUCTION_CONFIG } from '../worker/env-node.js';
import { startNodeServer, type RunningServer } from '../worker/node-server.js';
import { loadNodeServerSecret } from '../worker/server-secret-node.js';
import { median } from './report.js';

export const LANDING_VIEWPORT = { width: 360, height: 800 };

/** DevTools' "Slow 4G" preset: 150 ms latency, 1.6 Mbit/s down (200 kB/s, the issue's slow-link figure), 750 kbit/s up. */
export const SLOW_4G = { latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };

/** How a load is slowed: the CPU (1: not at all) and the link (local: 127.0.0.1 as it is). */
export interface LandingSetting {
  slowdown: number;
  link: 'local' | 'slow 4G';
}

/**
 * The two ways in from the first view: the button that opens the form, the form's field and its
 * submit button (as the English catalogue words them).
 */
export const LANDING_FORMS = {
  report: { door: 'landing.makeReport', field: 'organisation', submit: 'form.continue' },
  mailbox: { door: 'landing.havePassphrase', field: 'passphrase', submit: 'unlock.open' },
} as const;
export type LandingForm = keyof typeof LANDING_FORMS;

/** Milliseconds from navigation start (the page's time origin) to each point of one load. */
export interface LandingTimes {
  /** The engine's script is asked for. */
  engineAskedMs: number;
  /** The engine's script asked for, less the page's main script (reporter.js) received: negative when the engine's download starts first. */
  engineAfterMainMs: number;
  /** The first view is drawn (its buttons are there): the page's main script has run. */
  firstViewMs: number;
  /** The engine's first request (the configuration, which it sends once its crypto engine is up) is answered. */
  engineReadyMs: number;
  /** The form is usable: see usableForm. */
  usableMs: number;
}

interface InPage {
  door: string;
  field: string;
  submit: string;
}

/**
 * Evaluated in the page every frame: clicks the first view's button as soon as it is there (a
 * reporter who clicks at once), then says when the form's field and submit button are rendered,
 * visible and enabled. Returns page times (performance.now()), or false until then.
 */
function usableForm(words: InPage): false | { firstView: number; form: number } {
  const state = ((globalThis as unknown as { landingBench?: { firstView?: number } }).landingBench ??= {});
  const buttons = [...document.querySelectorAll('button')];
  if (state.firstView === undefined) {
    const door = buttons.find((b) => b.textContent === words.door);
    if (!door) return false;
    state.firstView = performance.now();
    door.click();
    return false;
  }
  const submit = buttons.find((b) => b.type === 'submit' && b.textContent === words.submit);
  const field = document.getElementById(words.field) as HTMLTextAreaElement | HTMLSelectElement | null;
  const usable = submit && !submit.disabled && submit.checkVisibility() && field && !field.disabled && field.checkVisibility();
  return usable ? { firstView: state.firstView, form: performance.now() } : false;
}

/**
 * One cold load of `baseUrl`/en/ in a fresh context, the CPU slowed `slowdown` times: the form
 * is usable when usableForm says so and the engine is ready (for the report form, which the page
 * draws from the configuration, the first implies the second).
 */
export async function timeLanding(browser: Browser, baseUrl: string, form: LandingForm, { slowdown, link }: LandingSetting): Promise<LandingTimes> {
  const context = await browser.newContext({ viewport: LANDING_VIEWPORT });
  try {
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    if (link === 'slow 4G') {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
    }
    const mainReceived = page.waitForResponse((r) => r.url() === `${baseUrl}/static/reporter.js`, { timeout: 60_000 });
    const engineAsked = page.waitForRequest((r) => r.url() === `${baseUrl}/static/reporter-engine.js`, { timeout: 60_000 });
    const configAnswered = page.waitForResponse((r) => r.url() === `${baseUrl}/api/config`, { timeout: 60_000 });
    const en = readCatalogue('en').messages;
    const words = LANDING_FORMS[form];
    await page.goto(`${baseUrl}/en/`, { waitUntil: 'commit' });
    const drawn = await page.waitForFunction(usableForm, { door: en[words.door]!, field: words.field, submit: en[words.submit]! }, { polling: 'raf', timeout: 60_000 });
    const { firstView, form: formMs } = (await drawn.jsonValue()) as { firstView: number; form: number };
    const config = await configAnswered;
    await config.finished();
    const timing = config.request().timing();
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const engineReadyMs = timing.startTime + timing.responseEnd - timeOrigin;
    const engineRequest = await engineAsked;
    await (await engineRequest.response())?.finished();
    const engineAskedMs = engineRequest.timing().startTime - timeOrigin;
    const main = await mainReceived;
    await main.finished();
    const mainTiming = main.request().timing();
    const engineAfterMainMs = engineRequest.timing().startTime - (mainTiming.startTime + mainTiming.responseEnd);
    return { engineAskedMs, engineAfterMainMs, firstViewMs: firstView, engineReadyMs, usableMs: Math.max(formMs, engineReadyMs) };
  } finally {
    await context.close();
  }
}

export interface LandingBuild {
  label: string;
  /** A built dist/web; undefined: build this checkout's web/ now. */
  webDir?: string;
}

export interface LandingRow extends LandingSetting {
  build: string;
  form: LandingForm;
  loads: LandingTimes[];
}

/** Medians of each point over a row's loads. */
export function landingMedians(row: LandingRow): LandingTimes {
  return {
    engineAskedMs: median(row.loads.map((l) => l.engineAskedMs)),
    engineAfterMainMs: median(row.loads.map((l) => l.engineAfterMainMs)),
    firstViewMs: median(row.loads.map((l) => l.firstViewMs)),
    engineReadyMs: median(row.loads.map((l) => l.engineReadyMs)),
    usableMs: median(row.loads.map((l) => l.usableMs)),
  };
}

/**
 * `loads` cold loads of each build × form × setting, interleaved round by round (so a noisy
 * moment of this shared machine falls on all of them alike), against one Node server per build
 * over one database with one organisation.
 */
export async function timeLandings(browser: Browser, builds: LandingBuild[], settings: LandingSetting[], loads: number): Promise<LandingRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-landing-'));
  const servers: RunningServer[] = [];
  try {
    const dbPath = join(dir, 'parley.sqlite');
    const database = openNodeDatabase(dbPath);
    try {
      // The production KDF, as a real unit's: the page accepts nothing less.
      await createOrganisation(database.db, { orgName: 'Bench Anti-Corruption Unit', username: 'bench', password: 'bench password, not secret', kdf: PRODUCTION_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) });
    } finally {
      database.close();
    }
    for (const [i, build] of builds.entries()) {
      const webDir = build.webDir ?? join(dir, `web-${i}`);
      if (!build.webDir) await buildWeb(webDir);
      servers.push(await startNodeServer({ host: '127.0.0.1', port: 0, dbPath, config: PRODUCTION_CONFIG, webDir }));
    }
    const rows: LandingRow[] = [];
    for (const form of Object.keys(LANDING_FORMS) as LandingForm[]) for (const setting of settings) for (const build of builds) rows.push({ build: build.label, form, ...setting, loads: [] });
    for (let round = 0; round < loads; round++) {
      for (const row of rows) {
        const server = servers[builds.findIndex((b) => b.label === row.build)]!;
        row.loads.push(await timeLanding(browser, server.url, row.form, row));
      }
    }
    return rows;
  } finally {
    for (const server of servers) await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
