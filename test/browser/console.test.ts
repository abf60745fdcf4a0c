// The investigator console in real Chromium against a real server: sign-in with production
// Argon2id, the decrypted case list, a case with its thread, replies and status changes that
// the reporter (played from Node) sees, unverifiable content flagged, nothing stored, every
// request same-origin, accessible (axe, keyboard alone) and usable at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { newCaseKey, sodiumReady, REPORT_CATEGORIES } from '../../web/protocol/index.js';
import type { ApiClient } from '../../web/client/api.js';
import { browserAvailable, INVESTIGATOR, originStorage, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { heading, instanceConfig, overflowsHorizontally, seedReport, signInThroughPage, tabTo, waitForHeading, type SeededReport } from './console-helpers.js';

/**
 * What the console leaves on the device: nothing but the known-device token, which throttles
 * this username's sign-ins apart from strangers' (worker/device-token.ts) and opens nothing.
 */
async function expectOnlyKnownDeviceToken(context: BrowserContext, page: Page): Promise<void> {
  expect(await originStorage(context, page)).toEqual({ cookies: 0, local: 1, session: 0, indexedDb: 0 });
  const kept = await page.evaluate(() => Object.entries(localStorage));
  expect(kept).toEqual([[`parley.known-device.${INVESTIGATOR.username}`, expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]]);
}

const label = (id: string) => REPORT_CATEGORIES.find((c) => c.id === id)!.label;

describe.skipIf(!browserAvailable)('investigator console', () => {
  let harness: BrowserHarness;
  let api: ApiClient;
  // Seeded oldest first; the list must show them the other way round.
  let detailed: SeededReport;
  let broken: SeededReport;
  let brief: SeededReport;

  beforeAll(async () => {
    await sodiumReady();
    // A second unit (its member is alice1) holds no cases: the empty list, and the scoping.
    harness = await startBrowserHarness(['Anti-Corruption Unit', 'Professional Standards']);
    const seeded = await instanceConfig(harness.server.url);
    api = seeded.api;
    detailed = await seedReport(api, seeded.config, {
      kind: 'report',
      category: 'bribery',
      whatHappened: 'An officer at the station took an envelope of cash and then the charge against the driver was dropped without explanation.',
      whenAndWhere: 'Last Tuesday, about 9 pm, the front desk of the high street station.',
      anythingElse: 'A second officer saw it. <b>not markup</b>',
      contact: 'Signal: +44 7700 900123, evenings only',
    });
    broken = await seedReport(api, seeded.config, { kind: 'report', category: 'other', whatHappened: 'This text must never be shown.' }, { breakOrgCaseKey: true });
    brief = await seedReport(api, seeded.config, { kind: 'report', category: 'domestic_abuse', whatHappened: 'He controls who she sees.', organisationNotSure: true });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  function expectSameOrigin(requests: Request[]): void {
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(r.url().startsWith(`${harness.server.url}/`), r.url()).toBe(true);
  }

  async function expectFixedAddress(page: Page): Promise<void> {
    expect(page.url()).toBe(`${harness.server.url}/console`);
    expect(await page.title()).toBe('Parley console');
  }

  async function focusedTag(page: Page): Promise<string | undefined> {
    return page.evaluate(() => document.activeElement?.tagName);
  }

  it('signs in with visible progress, then lists the cases newest first with decrypted categories', async () => {
    const { page, context, requests } = await harness.newPage();
    await page.goto(`${harness.server.url}/console`);
    await waitForHeading(page, 'Sign in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.getByLabel('Username').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe('current-password');
    await screenshot(page, 'console-sign-in');

    await page.getByLabel('Username').fill(INVESTIGATOR.username);
    await page.getByLabel('Password', { exact: true }).fill(INVESTIGATOR.password);
    await page.getByLabel('Code from your authenticator app').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Argon2id runs in the engine: the page shows progress meanwhile and keeps responding.
    await page.locator('.sign-in-progress').waitFor({ state: 'visible' });
    expect(await page.locator('#sign-in-status').textContent()).toMatch(/Deriving your keys|Decrypting/);
    // Script on the page runs while the progress is still up: Argon2id is not blocking the page's
    // thread (were it, this would run only after sign-in, when the progress has gone).
    expect(await page.evaluate(() => document.querySelector<HTMLElement>('.sign-in-progress')?.checkVisibility() ?? false)).toBe(true);
    await screenshot(page, 'console-signing-in');
    await waitForHeading(page, 'Cases');
    expect(await focusedTag(page)).toBe('H1');

    const rows = page.locator('table.cases tbody tr');
    // Newest day first; within a day by case id, which is random: the order says nothing finer than the day.
    const listed = [brief, broken, detailed].sort((x, y) => (x.caseId < y.caseId ? 1 : -1));
    expect(await rows.locator('th').allTextContents()).toEqual(listed.map((r) => `Open case ${r.reference} New message`));
    const expectedCategory = (r: SeededReport) => (r === broken ? 'Could not be verified' : label(r.report.kind === 'report' ? r.report.category : 'other'));
    expect(await rows.locator('td[data-label="Category"]').allTextContents()).toEqual(listed.map(expectedCategory));
    expect(await rows.locator('td[data-label="Status"]').allTextContents()).toEqual(['Received', 'Received', 'Received']);
    const excerpts = await rows.locator('td[data-label="What happened"]').allTextContents();
    expect(excerpts[listed.indexOf(brief)]).toBe('He controls who she sees.');
    expect(excerpts[listed.indexOf(broken)]).toBe('Could not be verified');
    expect(excerpts[listed.indexOf(detailed)]).toMatch(/^An officer at the station took an envelope of cash.*…$/);
    expect(excerpts[listed.indexOf(detailed)]!.length).toBeLessThanOrEqual(81);
    expect(await page.locator('table.cases caption').textContent()).toBe('Reports to Anti-Corruption Unit, newest first');
    expect(await page.locator('#view .hint').first().textContent()).toMatch(/kept to the day by design/);
    expect(await page.locator('#account').textContent()).toContain('Anti-Corruption Unit');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-list');

    await page.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => page.locator('#announce').textContent()).toBe('Case list refreshed.');
    expect(await rows.count()).toBe(3);

    await expectFixedAddress(page);
    await expectOnlyKnownDeviceToken(context, page);
    // The engine's API calls are recorded too, and all of them stay on this origin.
    expect(requests.some((r) => r.url().endsWith('/api/investigator/cases'))).toBe(true);
    expectSameOrigin(requests);
    await context.close();
  });

  it('opens a case with the whole decrypted report, contact details marked, and flags a report that does not decrypt', async () => {
    const { page, context, requests } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: `Open case ${detailed.reference}` }).click();
    await waitForHeading(page, `Case ${detailed.reference}`);
    expect(await focusedTag(page)).toBe('H1');

    const report = page.locator('section[aria-labelledby="report-heading"]');
    const text = await report.textContent();
    expect(text).toContain(label('bribery'));
    expect(text).toContain(detailed.report.whatHappened);
    expect(text).toContain(detailed.report.whenAndWhere);
    expect(text).toContain(detailed.report.anythingElse);
    // Report text is text: the angle brackets arrive as characters, never as an element.
    expect(await report.locator('b').count()).toBe(0);
    expect(await report.locator('.contact').textContent()).toContain('Contact details the reporter chose to give');
    expect(await report.locator('.contact').textContent()).toContain(detailed.report.contact);
    expect(await page.locator('dl.case-facts').textContent()).toContain('Received');
    expect(await page.locator('section[aria-labelledby="thread-heading"]').textContent()).toContain('No messages yet.');
    expect(text).not.toContain('not sure which organisation');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-case');
    await expectFixedAddress(page);

    await page.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: `Open case ${broken.reference}` }).click();
    await waitForHeading(page, `Case ${broken.reference}`);
    const brokenReport = await page.locator('section[aria-labelledby="report-heading"]').textContent();
    expect(brokenReport).toContain('Could not be verified');
    expect(brokenReport).not.toContain('must never be shown');
    await screenshot(page, 'console-case-unverified');
    expectSameOrigin(requests);
    await context.close();
  });

  it('sends a question with a status change that the reporter sees, shows their answer after refresh, and changes status alone', async () => {
    const { page, context, requests } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: `Open case ${detailed.reference}` }).click();
    await waitForHeading(page, `Case ${detailed.reference}`);

    await page.getByRole('button', { name: 'Send to the reporter' }).click();
    expect(await page.locator('#reply-error').textContent()).toBe('Write a message first.');
    await page.getByLabel('Message to the reporter').fill('Which officer was it? A shoulder number helps.');
    await page.getByLabel('Status after sending (optional)').selectOption('investigating');
    await page.getByRole('button', { name: 'Send to the reporter' }).click();
    await page.locator('#view .notice', { hasText: 'Message sent' }).waitFor();
    expect(await page.locator('dl.case-facts .status').textContent()).toBe('Being investigated');
    const sent = page.locator('ol.thread li.from-organisation');
    expect(await sent.textContent()).toContain('From Anti-Corruption Unit');
    expect(await sent.textContent()).toContain('Which officer was it? A shoulder number helps.');

    // The reporter, from Node with their keys, sees the question and the status.
    const mailbox = await openMailbox(api, detailed.keys);
    expect(mailbox.status).toBe('investigating');
    expect(mailbox.entries.at(-1)!.document).toEqual({ kind: 'message', text: 'Which officer was it? A shoulder number helps.', status: 'investigating' });
    await replyFromMailbox(api, detailed.keys, mailbox, 'PC 4711, I think.');

    await page.getByRole('button', { name: 'Refresh case' }).click();
    await page.locator('ol.thread li.from-reporter').waitFor();
    expect(await page.locator('ol.thread li.from-reporter').textContent()).toContain('PC 4711, I think.');
    expect(await page.locator('ol.thread li.from-reporter').textContent()).toContain('From the reporter');

    await page.getByLabel('Status', { exact: true }).selectOption('passed_on');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.locator('#view .notice', { hasText: 'The status is now' }).waitFor();
    expect(await page.locator('dl.case-facts .status').textContent()).toBe('Passed on');
    expect((await openMailbox(api, detailed.keys)).status).toBe('passed_on');
    await screenshot(page, 'console-case-thread');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expectSameOrigin(requests);
    await context.close();
  });

  it('marks a message that does not decrypt as unverified, never showing its text', async () => {
    const mailbox = await openMailbox(api, brief.keys);
    // Validly signed by the reporter's key, but encrypted under a key that is not the case's.
    await replyFromMailbox(api, brief.keys, { caseId: mailbox.caseId, caseKey: newCaseKey(), lastLink: mailbox.lastLink }, 'forged words');
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: `Open case ${brief.reference}` }).click();
    await waitForHeading(page, `Case ${brief.reference}`);
    const item = page.locator('ol.thread li.from-reporter');
    expect(await item.textContent()).toContain('Could not be verified');
    expect(await page.locator('#view').textContent()).not.toContain('forged words');
    // The genuine report above it is still shown, with the reporter's "not sure" choice.
    const report = await page.locator('section[aria-labelledby="report-heading"]').textContent();
    expect(report).toContain('He controls who she sees.');
    expect(report).toContain('The reporter was not sure which organisation this concerns');
    expect(report).toContain('No contact details given');
    await context.close();
  });

  it('shows an empty state to a unit with no cases, and none of another unit\'s cases', async () => {
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness, INVESTIGATOR.password, `${INVESTIGATOR.username}1`);
    await waitForHeading(page, 'Cases');
    expect(await page.locator('#account').textContent()).toContain('Professional Standards');
    expect(await page.locator('#view .empty').textContent()).toContain('No reports yet.');
    expect(await page.locator('table.cases').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-list-empty');
    await context.close();
  });

  it('refuses a wrong password and an unknown username with the same words', async () => {
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness, 'not the password');
    const error = page.locator('#sign-in-error');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toBe('Username, password or code is wrong.');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await heading(page).textContent()).toBe('Sign in');

    await page.getByLabel('Username').fill('nobody');
    await page.getByLabel('Password', { exact: true }).fill(INVESTIGATOR.password);
    await page.getByLabel('Code from your authenticator app').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Wait for this attempt's own answer: progress shows while keys are derived, then hides.
    await page.locator('.sign-in-progress').waitFor({ state: 'visible' });
    await page.locator('.sign-in-progress').waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await error.textContent()).toBe('Username, password or code is wrong.');
    await context.close();
  });

  it('signs out to the sign-in view; a reload also lands there; nothing but the known-device token is stored', async () => {
    const { page, context, requests } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    expect(await page.locator('#account').textContent()).toContain(INVESTIGATOR.username);
    await expectOnlyKnownDeviceToken(context, page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitForHeading(page, 'Sign in');
    expect(await page.locator('#view .notice').textContent()).toMatch(/signed out/);
    expect(await page.locator('#account').textContent()).toBe('');
    expect(requests.some((r) => r.method() === 'DELETE' && r.url().endsWith('/api/investigator/sessions/current'))).toBe(true);

    // A reload starts over: no session survives anywhere on the device.
    await page.reload();
    await waitForHeading(page, 'Sign in');
    expect(await page.locator('#view').textContent()).toContain('reloading or closing it means signing in again');
    await expectOnlyKnownDeviceToken(context, page);
    await expectFixedAddress(page);
    expectSameOrigin(requests);
    await context.close();
  });

  it('fits a 360 px screen on every view, without horizontal scrolling', async () => {
    const { page, context } = await harness.newPage({ width: 360, height: 740 });
    await page.goto(`${harness.server.url}/console`);
    await waitForHeading(page, 'Sign in');
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'console-sign-in');

    // Phones capitalise the first letter; usernames are lower-case, so the console forgives it.
    await page.getByLabel('Username').fill('Alice');
    await page.getByLabel('Password', { exact: true }).fill(INVESTIGATOR.password);
    await page.getByLabel('Code from your authenticator app').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForHeading(page, 'Cases');
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-list');

    await page.getByRole('button', { name: `Open case ${detailed.reference}` }).click();
    await waitForHeading(page, `Case ${detailed.reference}`);
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-case');
    await context.close();
  });

  it('works by keyboard alone: sign in, open a case, send a reply', async () => {
    const { page, context } = await harness.newPage();
    await page.goto(`${harness.server.url}/console`);
    await waitForHeading(page, 'Sign in');
    await tabTo(page, '#username');
    await page.keyboard.type(INVESTIGATOR.username);
    await tabTo(page, '#password');
    await page.keyboard.type(INVESTIGATOR.password);
    await tabTo(page, '#totp');
    await page.keyboard.type(harness.totpCode());
    await page.keyboard.press('Enter');
    await waitForHeading(page, 'Cases');

    await tabTo(page, 'button.case-link', brief.reference);
    await page.keyboard.press('Enter');
    await waitForHeading(page, `Case ${brief.reference}`);
    await tabTo(page, '#reply-text');
    await page.keyboard.type('Thank you. Is she safe tonight?');
    await tabTo(page, 'button[type="submit"]', 'Send to the reporter');
    await page.keyboard.press('Enter');
    await page.locator('#view .notice', { hasText: 'Message sent' }).waitFor();
    expect(await page.locator('ol.thread li.from-organisation').last().textContent()).toContain('Is she safe tonight?');
    await context.close();
  });
});
