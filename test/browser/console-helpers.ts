// Helpers for the console's browser tests: seeding reports from Node as a reporter would,
// and driving the console's sign-in as an investigator would.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport } from '../../web/client/reporter.js';
import { bytesToB64, generatePassphrase, newCaseKey, sealCaseKey, signSealedCaseKey, b64ToBytes, type MailboxKeys, type ReportDocument } from '../../web/protocol/index.js';
import type { VerifiedConfig as InstanceConfig } from '../../web/client/reporter.js';
import { INVESTIGATOR, type BrowserHarness } from './harness.js';

export interface SeededReport {
  reference: string;
  caseId: string;
  keys: MailboxKeys;
  report: ReportDocument;
}

/** A report sent as the reporter page sends it: production Argon2id, no floor lowered. */
export async function seedReport(api: ApiClient, config: InstanceConfig, report: ReportDocument, options: { breakOrgCaseKey?: boolean; passphrase?: string } = {}): Promise<SeededReport> {
  const org = config.organisations.find((o) => o.name === 'Anti-Corruption Unit')!;
  const keys = deriveKeysForInstance(options.passphrase ?? generatePassphrase(), config);
  const submission = buildReportSubmission(keys, org, report);
  if (options.breakOrgCaseKey) {
    // A reporter controls what they seal: seal a different key to the organisation, so the
    // report (validly signed, so the server takes it) does not decrypt for investigators.
    const caseId = b64ToBytes(submission.caseId)!;
    const wrongKey = sealCaseKey(newCaseKey(), caseId, b64ToBytes(org.boxPublicKey)!);
    submission.orgCaseKey.sealedCaseKey = bytesToB64(wrongKey);
    // Signed by the reporter's own mailbox key, as a genuine (if mistaken or malicious) reporter would.
    submission.orgCaseKey.sealSignature = bytesToB64(signSealedCaseKey(keys.sign.privateKey, caseId, b64ToBytes(org.boxPublicKey)!, wrongKey));
  }
  const { reference } = await submitReport(api, submission);
  return { reference, caseId: submission.caseId, keys, report };
}

export async function instanceConfig(baseUrl: string): Promise<{ api: ApiClient; config: InstanceConfig }> {
  const api = new ApiClient(baseUrl);
  return { api, config: await fetchInstanceConfig(api) };
}

export function heading(page: Page) {
  return page.locator('#view h1');
}

/** Signs in through the page with the mouse-free path a person takes: fill, press Sign in. */
export async function signInThroughPage(page: Page, harness: BrowserHarness, password: string = INVESTIGATOR.password, username: string = INVESTIGATOR.username): Promise<void> {
  await page.goto(`${harness.server.url}/console`);
  await expect.poll(() => heading(page).textContent()).toBe('Sign in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Code from your authenticator app').fill(harness.totpCode(username));
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function waitForHeading(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await heading(page).filter({ hasText: text }).waitFor({ timeout });
}

/** True when the page is wider than its viewport (a horizontal scrollbar). */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Presses Tab until the focused element matches `selector` (and contains `text`), as a keyboard user would. */
export async function tabTo(page: Page, selector: string, text = '', limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([sel, txt]) => Boolean(document.activeElement?.matches(sel!) && document.activeElement.textContent?.includes(txt!)),
      [selector, text],
    );
    if (hit) return;
  }
  throw new Error(`focus never reached ${selector} ${text} after ${limit} presses of Tab`);
}
