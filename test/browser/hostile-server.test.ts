// A lying server, seen through the reporter's page in real Chromium (protocol 2): a unit whose
// keys were substituted in the database is never offered, so nothing can be sealed to the
// substituted key; the genuine unit is offered with its anchor for the reporter to compare.
// The same client code's known-answer vectors (key chains, proofs, seal signatures, thread
// links) run in Chromium in vectors.test.ts; the attack-by-attack suite on the API is
// test/worker/hostile-server.test.ts.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToB64, newOrgKeyring, sodiumReady } from '../../web/protocol/index.js';
import { fetchInstanceConfig } from '../../web/client/reporter.js';
import { ApiClient } from '../../web/client/api.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { InvestigatorDesk, openMailboxWith, openReporter } from './reporter-steps.js';
import { seedReport } from './console-helpers.js';
import { generatePassphrase } from '../../web/protocol/index.js';

describe.skipIf(!browserAvailable)('the reporter page against a server that substituted a unit’s key', () => {
  let harness: BrowserHarness;
  let genuineAnchor: string;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit', 'Professional Standards']);
    genuineAnchor = (await fetchInstanceConfig(new ApiClient(harness.server.url))).organisations.find((o) => o.name === 'Anti-Corruption Unit')!.anchor;
    // The database (or the server) swaps Professional Standards' box key for one the attacker holds.
    const sqlite = new Database(harness.dbPath);
    sqlite.pragma('busy_timeout = 5000');
    const attacker = bytesToB64(newOrgKeyring(new Uint8Array(16)).box.publicKey);
    sqlite.prepare("UPDATE org_key_versions SET box_public_key = ? WHERE org_id = (SELECT id FROM organisations WHERE name = 'Professional Standards')").run(attacker);
    sqlite.prepare("UPDATE organisations SET box_public_key = ? WHERE name = 'Professional Standards'").run(attacker);
    sqlite.close();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('offers only the unit whose keys verify, and shows its anchor to compare', async () => {
    const { page, context } = await harness.newPage();
    await openReporter(harness, page);
    await page.getByRole('button', { name: 'Make a report' }).click();
    const units = page.getByLabel('Which anti-corruption unit should read your report?');
    await units.waitFor();
    const offered = (await units.locator('option').allTextContents()).filter((name) => name !== 'Not sure' && name !== 'Choose a unit');
    expect(offered).toEqual(['Anti-Corruption Unit']);
    await units.selectOption({ label: 'Anti-Corruption Unit' });
    expect(await page.locator('#organisation-fingerprint').textContent()).toContain(genuineAnchor);
    await context.close();
  });

  it('shows the status the unit signed, and marks the message after a dropped one, in the mailbox page', async () => {
    const api = new ApiClient(harness.server.url);
    const config = await fetchInstanceConfig(api);
    const passphrase = generatePassphrase();
    const { reference } = await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: 'Cash for a dropped charge.' }, { passphrase });
    const desk = new InvestigatorDesk(harness);
    await desk.ask(reference, 'First question.', 'investigating');
    await desk.ask(reference, 'Second question.');
    // The server claims the case is closed, and drops the first question.
    const sqlite = new Database(harness.dbPath);
    sqlite.pragma('busy_timeout = 5000');
    const caseId = (sqlite.prepare('SELECT id FROM cases WHERE reference = ?').get(reference) as { id: string }).id;
    sqlite.prepare("UPDATE cases SET status = 'closed' WHERE id = ?").run(caseId);
    sqlite.prepare('DELETE FROM messages WHERE case_id = ? AND seq = 2').run(caseId);
    sqlite.close();

    const { page, context } = await harness.newPage();
    await openReporter(harness, page);
    await openMailboxWith(page, passphrase);
    // No signed status survives the gap, so the page says "received", not the server's "closed".
    expect(await page.locator('#status-heading .status').textContent()).not.toMatch(/closed/i);
    expect(await page.getByText('This message could not be checked').count()).toBe(1);
    expect(await page.getByText('Second question.').count()).toBe(0);
    await context.close();
  });
});
