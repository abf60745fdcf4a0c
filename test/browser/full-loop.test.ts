// The whole loop through the pages, in real Chromium, against both runtimes: `npm start`'s
// Node server and the Workers build in workerd + D1 (as `wrangler dev` runs it). A reporter
// reports and gets a passphrase; an investigator reads and asks in the console; the reporter
// comes back with the passphrase typed differently, reads and answers; the investigator
// sees the answer and sets a status; the reporter sees it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_KDF } from '../../web/protocol/index.js';
import { totpCodeAt } from '../../worker/totp.js';
import { startWorkerdTarget } from '../support/targets.js';
import { browserAvailable, INVESTIGATOR, relaunchingChromium, startBrowserHarness, type BrowserHarness, type ChromiumLauncher } from './harness.js';
import { makeReport, openMailboxWith, openReporter, typedCarelessly } from './reporter-steps.js';
import { signInThroughPage, waitForHeading } from './console-helpers.js';
// The workerd target's organisation uses TEST_PASSWORD; the Node harness's uses INVESTIGATOR.password.
import { TEST_PASSWORD } from '../support/test-app.js';

interface Runtime {
  name: string;
  /** What the page helpers need: where the server is, and a fresh TOTP code. */
  harness: BrowserHarness;
  close(): Promise<void>;
}

async function nodeRuntime(): Promise<Runtime> {
  const harness = await startBrowserHarness();
  return { name: 'node (npm start)', harness, close: () => harness.close() };
}

async function workerdRuntime(browsers: ChromiumLauncher): Promise<Runtime> {
  const target = await startWorkerdTarget({ assetsDir: join(import.meta.dirname, '..', '..', 'dist', 'web'), kdf: PRODUCTION_KDF });
  const { totpSecret } = await target.addOrganisation('Anti-Corruption Unit', INVESTIGATOR.username);
  // The console signs in once per test here, so the current code (real clock) is enough.
  const harness = {
    server: { url: target.baseUrl },
    totpCode: () => totpCodeAt(totpSecret, Date.now()),
    newPage: async () => {
      const context = await (await browsers.live()).newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      return { page, context, requests: [] };
    },
  } as unknown as BrowserHarness;
  return { name: 'workerd + D1 (wrangler dev)', harness, close: () => target.close() };
}

let browsers: ChromiumLauncher;
beforeAll(async () => {
  if (browserAvailable) browsers = await relaunchingChromium();
});
afterAll(async () => browsers?.close());

async function consoleCase(page: Page, reference: string): Promise<void> {
  await waitForHeading(page, 'Cases');
  await page.getByRole('button', { name: `Open case ${reference}` }).click();
  await waitForHeading(page, `Case ${reference}`);
}

describe.skipIf(!browserAvailable).each([
  { name: 'node', start: () => nodeRuntime(), password: INVESTIGATOR.password },
  { name: 'workerd', start: () => workerdRuntime(browsers), password: TEST_PASSWORD },
])('the full loop in the browser on $name', ({ start, password }) => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await start();
  }, 120_000);
  afterAll(async () => runtime?.close());

  it('report → passphrase → question → answer → status, all through the pages', async () => {
    const browser = await browsers.live();
    const reporterContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const reporter = await reporterContext.newPage();
    const consoleContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const investigator = await consoleContext.newPage();
    // Quick exit would leave the machine: answer any third-party navigation locally.
    for (const context of [reporterContext, consoleContext]) {
      await context.route((url) => !url.href.startsWith(runtime.harness.server.url), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Elsewhere</title>' }));
    }

    await openReporter(runtime.harness, reporter);
    const { words, reference } = await makeReport(reporter, { organisation: 'Anti-Corruption Unit', categoryIndex: 0, whatHappened: 'A sergeant sells custody records to a local firm.' });
    expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await signInThroughPage(investigator, runtime.harness, password);
    await consoleCase(investigator, reference);
    expect(await investigator.locator('#view').textContent()).toContain('A sergeant sells custody records to a local firm.');
    await investigator.getByLabel('Message to the reporter').fill('Which station, and since when?');
    await investigator.getByRole('button', { name: 'Send to the reporter' }).click();
    await investigator.locator('#view .notice', { hasText: 'Message sent' }).waitFor();

    // The reporter comes back later in a fresh page, typing the passphrase carelessly.
    await reporterContext.clearCookies();
    await openReporter(runtime.harness, reporter);
    await openMailboxWith(reporter, typedCarelessly(words));
    await expect.poll(() => reporter.locator('.thread li.from-organisation').last().textContent(), { timeout: 30_000 }).toContain('Which station, and since when?');
    // Acknowledged; feedback is what the unit owes next, and the mailbox says by when (no notification will come).
    expect(await reporter.locator('.reply-by').textContent()).toMatch(/^The unit aims to reply by \d{1,2} [A-Z][a-z]+ \d{4}\.$/);
    await reporter.locator('#reply').fill('Northgate, since last spring.');
    await reporter.getByRole('button', { name: 'Send message' }).click();
    await reporter.getByText('Your message has been sent.').waitFor();

    await investigator.getByRole('button', { name: 'Refresh case' }).click();
    await expect.poll(() => investigator.locator('ol.thread li.from-reporter').last().textContent(), { timeout: 30_000 }).toContain('Northgate, since last spring.');
    await investigator.getByLabel('Status', { exact: true }).selectOption('investigating');
    await investigator.getByRole('button', { name: 'Change status' }).click();
    await investigator.locator('#view .notice', { hasText: 'The status is now' }).waitFor();

    await openReporter(runtime.harness, reporter);
    await openMailboxWith(reporter, words.join(' ').toUpperCase());
    await expect.poll(() => reporter.locator('#status-heading').textContent(), { timeout: 30_000 }).toContain('Being investigated');
    expect(reporter.url()).toBe(`${runtime.harness.server.url}/`);
    await reporterContext.close();
    await consoleContext.close();
  }, 180_000);
});
