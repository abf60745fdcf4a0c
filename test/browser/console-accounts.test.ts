// Accounts in the console, in real Chromium against a real server with production Argon2id:
// founding the first organisation from the setup link, enrolling the authenticator (secret
// and QR code), inviting a member who waits for access until an administrator gives it,
// inviting a second organisation, and passing a case to it. Accessible and usable at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sodiumReady } from '../../web/protocol/index.js';
import { browserAvailable, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { heading, instanceConfig, overflowsHorizontally, seedReport, waitForHeading } from './console-helpers.js';

const ADMIN = { username: 'founder', password: 'a long founding password' } as const;
const MEMBER = { username: 'newcomer', password: 'a long newcomer password' } as const;
const SECOND = { username: 'second-admin', password: 'a long second-org password' } as const;

describe.skipIf(!browserAvailable)('console accounts', () => {
  let harness: BrowserHarness;
  /** The founder's page, signed in once and kept for the later tests. */
  let admin: Page;
  let adminSecret: string;

  beforeAll(async () => {
    await sodiumReady();
    // No organisation: the server hands out a setup link.
    harness = await startBrowserHarness([]);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page), name).toEqual([]);
    await screenshot(page, name);
  }

  async function expectNarrowFits(page: Page, name: string): Promise<void> {
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page), name).toBe(false);
    await screenshot(page, name);
    await page.setViewportSize(size);
  }

  /** Fills the new-account form (organisation name only when asked), submits, and enrols the authenticator. */
  async function createAndEnrol(page: Page, account: { username: string; password: string }, shotName: string, orgName?: string): Promise<string> {
    if (orgName) await page.getByLabel('Organisation name').fill(orgName);
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByLabel('Password again').fill(account.password);
    await page.getByRole('button', { name: /Create/ }).click();
    await waitForHeading(page, 'Set up your authenticator app');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const qr = page.getByRole('img', { name: /QR code for your authenticator app/ });
    expect(await qr.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
    expect(await qr.locator('rect').count()).toBeGreaterThan(20);
    await expectAccessible(page, shotName);
    await expectNarrowFits(page, `${shotName}-narrow`);

    // A wrong code is refused in words, and the form stays.
    await page.getByLabel('Code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Confirm the code' }).click();
    await expect.poll(() => page.locator('#enrol-error').textContent()).toMatch(/did not work/);

    const enrolmentCode = harness.codeFor(secret);
    await page.getByLabel('Code from your authenticator app').fill(enrolmentCode);
    await page.getByRole('button', { name: 'Confirm the code' }).click();
    await waitForHeading(page, 'Your account is ready');
    await page.getByRole('button', { name: 'Done: sign in' }).click();
    await waitForHeading(page, 'Sign in');
    // Signing in at once with the code still on screen is explained (each code works once), not refused as a wrong password.
    const signInWithSpentCode = async () => {
      await page.getByLabel('Username').fill(account.username);
      await page.getByLabel('Password', { exact: true }).fill(account.password);
      await page.getByLabel('Code from your authenticator app').fill(enrolmentCode);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('#sign-in-error').textContent(), { timeout: 30_000 }).toMatch(/already been used.*Wait for the next code/);
    };
    await signInWithSpentCode();
    // The same after a reload (or a change of language), when the page no longer knows which code it sent: the server says so.
    await page.reload();
    await waitForHeading(page, 'Sign in');
    await signInWithSpentCode();
    await page.getByLabel('Code from your authenticator app').fill('');
    return secret;
  }

  async function signIn(page: Page, account: { username: string; password: string }, secret: string): Promise<void> {
    await waitForHeading(page, 'Sign in');
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByLabel('Code from your authenticator app').fill(harness.codeFor(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Opens an invitation link in a fresh context, as the invitee would. */
  async function openLink(link: string, viewport?: { width: number; height: number }): Promise<Page> {
    const { page } = await harness.newPage(viewport);
    await page.goto(link);
    return page;
  }

  it('founds the first organisation from the setup link, wipes the token from the address, enrols and signs in', async () => {
    const link = harness.server.setupLink!;
    expect(link).toMatch(/\/console#setup=/);
    admin = (await harness.newPage()).page;
    await admin.goto(link);
    await waitForHeading(admin, 'Create the first organisation');
    expect(admin.url()).toBe(`${harness.server.url}/console`);
    await expectAccessible(admin, 'console-setup');
    await expectNarrowFits(admin, 'console-setup-narrow');

    // Checked on the page before any key is made.
    await admin.getByLabel('Organisation name').fill('Anti-Corruption Unit');
    await admin.getByLabel('Username').fill(ADMIN.username);
    await admin.getByLabel('Password', { exact: true }).fill('too short');
    await admin.getByLabel('Password again').fill('too short');
    await admin.getByRole('button', { name: 'Create the organisation' }).click();
    expect(await admin.locator('#new-account-error').textContent()).toMatch(/at least 12 characters/);

    adminSecret = await createAndEnrol(admin, ADMIN, 'console-enrol', 'Anti-Corruption Unit');
    expect(admin.url()).toBe(`${harness.server.url}/console`);
    // The token is not in this tab's history either.
    expect(await admin.evaluate(() => location.href)).not.toContain('setup=');
    await signIn(admin, ADMIN, adminSecret);
    await waitForHeading(admin, 'Cases');
    expect(await admin.getByRole('button', { name: 'Members' }).isVisible()).toBe(true);
  });

  it('invites a member, who joins, waits for access, and reads cases once an administrator gives it', async () => {
    await admin.getByRole('button', { name: 'Members' }).click();
    await waitForHeading(admin, 'Members of Anti-Corruption Unit');
    await admin.getByLabel('Role').selectOption('investigator');
    await admin.getByRole('button', { name: 'Make an invitation link' }).first().click();
    const link = (await admin.locator('#invite-link').textContent())!;
    expect(link.startsWith(`${harness.server.url}/console#invite=`)).toBe(true);
    await expectAccessible(admin, 'console-members');
    await expectNarrowFits(admin, 'console-members-narrow');

    const invitee = await openLink(link, { width: 360, height: 800 });
    await waitForHeading(invitee, 'Join Anti-Corruption Unit');
    expect(invitee.url()).toBe(`${harness.server.url}/console`);
    expect(await invitee.locator('#view').textContent()).toContain('as an investigator');
    await expectAccessible(invitee, 'console-join');
    expect(await overflowsHorizontally(invitee)).toBe(false);
    const memberSecret = await createAndEnrol(invitee, MEMBER, 'console-join-enrol');

    await signIn(invitee, MEMBER, memberSecret);
    await waitForHeading(invitee, 'No access to reports yet');
    expect(await invitee.locator('#view').textContent()).toContain('Give access to reports');
    await expectAccessible(invitee, 'console-no-access');
    expect(await overflowsHorizontally(invitee)).toBe(false);

    // The administrator sees the newcomer, confirmed but without keys, and gives access.
    await admin.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(admin, 'Cases');
    await admin.getByRole('button', { name: 'Members' }).click();
    await waitForHeading(admin, 'Members of Anti-Corruption Unit');
    const row = admin.locator('li.member', { hasText: MEMBER.username });
    expect(await row.textContent()).toContain('No keys yet');
    expect(await row.textContent()).toContain('Confirmed');
    await row.getByRole('button', { name: /Give access to reports/ }).click();
    await expect.poll(() => admin.locator('.notice').textContent()).toContain(`${MEMBER.username} now has access`);
    expect(await admin.locator('li.member', { hasText: MEMBER.username }).textContent()).toContain('Has the keys');

    // Keys arrive with the next sign-in.
    await invitee.getByRole('button', { name: 'Sign out' }).click();
    await signIn(invitee, MEMBER, memberSecret);
    await waitForHeading(invitee, 'Cases');
    expect(await invitee.getByRole('button', { name: 'Members' }).count()).toBe(0);
    await invitee.context().close();
  });

  it('invites a second organisation, offers it a case from the case view; it accepts in its own console and the case moves', async () => {
    // The founder is the instance administrator, so may invite a whole organisation.
    await admin.getByLabel('Name of the new organisation').fill('Professional Standards');
    await admin.getByRole('button', { name: 'Make an invitation link' }).nth(1).click();
    const link = (await admin.locator('#invite-org-link').textContent())!;
    const founder = await openLink(link);
    await waitForHeading(founder, 'Found a new organisation');
    const secondSecret = await createAndEnrol(founder, SECOND, 'console-found-org');

    const { api, config } = await instanceConfig(harness.server.url);
    const seeded = await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: 'Cash for a dropped charge.' });

    await admin.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(admin, 'Cases');
    await admin.getByRole('button', { name: 'Refresh list' }).click();
    await admin.getByRole('button', { name: `Open case ${seeded.reference}` }).click();
    await waitForHeading(admin, `Case ${seeded.reference}`);
    await admin.getByRole('button', { name: 'Choose an organisation…' }).click();
    const target = admin.getByLabel('Organisation', { exact: true });
    await target.waitFor();
    expect(await target.locator('option').allTextContents()).toEqual(['Professional Standards']);
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('pass-on-to');
    expect(await admin.getByLabel(/Keep access to this case/).isChecked()).toBe(false);
    await expectAccessible(admin, 'console-pass-on');
    await expectNarrowFits(admin, 'console-pass-on-narrow');

    await admin.getByRole('button', { name: 'Pass the case on' }).click();
    await waitForHeading(admin, 'Cases');
    // An offer: the case stays here until the other unit has opened it and accepted.
    expect(await admin.locator('.notice').textContent()).toContain('was offered to Professional Standards');
    expect(await admin.getByRole('button', { name: `Open case ${seeded.reference}` }).count()).toBe(1);

    // The receiving unit's founder signs in, sees the offer, and accepts it by its accessible name.
    await signIn(founder, SECOND, secondSecret);
    await waitForHeading(founder, 'Cases');
    await founder.getByRole('heading', { name: 'Offered to your unit' }).waitFor();
    await expectAccessible(founder, 'console-offered');
    await founder.getByRole('button', { name: `Case ${seeded.reference}: Accept` }).click();
    await expect.poll(() => founder.locator('.notice').textContent()).toContain(`Case ${seeded.reference} accepted`);
    expect(await founder.getByRole('button', { name: `Open case ${seeded.reference}` }).count()).toBe(1);
    await founder.context().close();

    await admin.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => admin.getByRole('button', { name: `Open case ${seeded.reference}` }).count()).toBe(0);
    expect(await heading(admin).textContent()).toBe('Cases');
  });

  it('ends a member\'s sessions, then removes them after a confirm step that rotates the keys; cases still open', async () => {
    const { api, config } = await instanceConfig(harness.server.url);
    const seeded = await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: 'Sealed again after the rotation.' });

    await admin.getByRole('button', { name: 'Members' }).click();
    await waitForHeading(admin, 'Members of Anti-Corruption Unit');
    const row = admin.locator('li.member', { hasText: MEMBER.username });
    await row.getByRole('button', { name: /End sessions/ }).click();
    await expect.poll(() => admin.locator('#announce').textContent()).toContain('signed out everywhere');

    await row.getByRole('button', { name: /Remove/ }).click();
    await waitForHeading(admin, `Remove ${MEMBER.username}?`);
    expect(await admin.locator('#view').textContent()).toContain('seals every case key again');
    await expectAccessible(admin, 'console-remove-member');
    await expectNarrowFits(admin, 'console-remove-member-narrow');
    await admin.getByRole('button', { name: `Remove ${MEMBER.username} and rotate the keys` }).click();
    await waitForHeading(admin, 'Members of Anti-Corruption Unit');
    expect(await admin.locator('.notice').textContent()).toContain(`${MEMBER.username} was removed`);
    expect(await admin.locator('li.member', { hasText: MEMBER.username }).count()).toBe(0);

    // The case key was sealed again to the new organisation key, which this session now holds.
    await admin.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(admin, 'Cases');
    await admin.getByRole('button', { name: `Open case ${seeded.reference}` }).click();
    await waitForHeading(admin, `Case ${seeded.reference}`);
    expect(await admin.locator('#view').textContent()).toContain('Sealed again after the rotation.');
  });
});
