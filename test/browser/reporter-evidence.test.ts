// Evidence files on the reporter's page (issue 14), in real Chromium against the Node server, by
// accessible names only: a photo with a planted GPS position and camera is added to the report,
// the page says what was taken out and what it is sent as; a file that cannot be cleaned is left
// out unless chosen; the report is sent, the file follows with a progress bar to 100 %; the unit
// reads the neutral name; the reporter comes back, sees the file in the thread and saves it
// (decrypted on the device, without the planted details); an answer carries a file the same way.
// A link that drops the file's parts: the report is received all the same, "Try again" carries on
// from the parts the service has, and nothing is sent twice.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from './harness.js';
import { checkView, confirmWords, EN, EVIDENCE_PHOTO, NARROW, openReporter, shownWords, useReporterHarness } from './reporter-steps.js';

const UNIT = 'Anti-Corruption Unit';
const m = EN.m;
const PHOTO = EVIDENCE_PHOTO;
/** What the fixture's EXIF carries (test/files/fixtures/make.sh): none of it may leave the device. */
const PLANTED = ['MarkerCam', 'MARKER-MODEL-X1', 'MARKER-ARTIST', 'MARKER-SOFTWARE', 'MARKER-XMP', 'MARKER-IPTC', 'MARKER-COMMENT'];

/** From the landing view to a filled report form. */
async function writeReport(page: Page, whatHappened: string): Promise<void> {
  await page.getByRole('button', { name: m('landing.makeReport') }).click();
  await page.getByRole('combobox', { name: m('form.organisation.label') }).selectOption({ label: UNIT });
  await page.getByRole('radio', { name: m('category.bribery') }).check();
  await page.getByLabel(m('form.whatHappened.label'), { exact: true }).fill(whatHappened);
}

/** From the filled form to the sent view, confirming the words. */
async function sendIt(page: Page): Promise<{ words: string[]; reference: string }> {
  await page.getByRole('button', { name: m('form.continue') }).click();
  const words = await shownWords(page);
  await page.getByRole('button', { name: m('passphrase.writtenDown') }).click();
  await confirmWords(page, words);
  await page.getByRole('button', { name: m('confirm.send') }).click();
  await page.getByRole('heading', { name: m('sent.heading') }).waitFor({ timeout: 60_000 });
  const reference = /[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await page.getByRole('region', { name: m('sent.reference.heading') }).textContent()) ?? '')?.[0] ?? '';
  return { words, reference };
}

async function unlock(page: Page, words: string[]): Promise<void> {
  await page.getByRole('button', { name: m('landing.havePassphrase') }).click();
  await page.getByLabel(m('unlock.label'), { exact: true }).fill(words.join(' '));
  await page.getByRole('button', { name: m('unlock.open') }).click();
  await page.getByRole('heading', { level: 1, name: m('mailbox.heading'), exact: true }).waitFor({ timeout: 60_000 });
}

describe.skipIf(!browserAvailable)('evidence files on the reporter page', () => {
  const setup = useReporterHarness(UNIT);

  it('cleans a photo on the device, says what was removed, sends it with progress, and the mailbox lists and saves it', async () => {
    const { page, context, requests } = await setup.harness.newPage(NARROW);
    await openReporter(setup.harness, page);
    await writeReport(page, 'The sergeant took the money in the car park; the photo shows the car.');

    // The photo: cleaned in the engine; the page says what it is sent as and what came out.
    await page.getByLabel(m('evidence.label'), { exact: true }).setInputFiles(PHOTO);
    const files = page.getByRole('list', { name: m('evidence.listLabel') });
    await files.getByText(m('evidence.removed.location'), { exact: true }).waitFor();
    await files.getByText(m('evidence.removed.camera'), { exact: true }).waitFor();
    await files.getByText(m('evidence.sentAs', { original: 'photo.jpg', name: 'evidence-1.jpg' }), { exact: true }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: m('evidence.ready', { name: 'photo.jpg' }) }).count()).toBe(1);

    // A file nothing can clean: a warning, left out unless chosen, and it can be removed.
    await page.getByLabel(m('evidence.label'), { exact: true }).setInputFiles({ name: 'voice-note.xyz', mimeType: 'application/x-unknown', buffer: Buffer.from('not a format anyone knows') });
    await files.getByText(m('evidence.cannotClean'), { exact: true }).waitFor();
    await files.getByText(m('evidence.leftOut', { original: 'voice-note.xyz' }), { exact: true }).waitFor();
    const anyway = page.getByRole('checkbox', { name: m('evidence.sendAnyway') });
    expect(await anyway.isChecked()).toBe(false);
    await anyway.check();
    await files.getByText(m('evidence.sentAs', { original: 'voice-note.xyz', name: 'evidence-2.xyz' }), { exact: true }).waitFor();
    await checkView(page, 'report-form-evidence');
    await page.getByRole('button', { name: m('evidence.removeNamed', { name: 'voice-note.xyz' }) }).click();
    await expect.poll(() => files.getByText(/voice-note\.xyz/).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('file'); // focus back on the picker

    // Sent: the report first, then the file, with a named bar that reaches 100 %.
    const { words, reference } = await sendIt(page);
    await page.getByRole('heading', { name: m('uploads.heading') }).waitFor();
    // Named by the file and its size once cleaned (smaller than the photo: the metadata is gone).
    const bar = page.getByRole('progressbar', { name: /^evidence-1\.jpg \(\d+ KB\)$/ });
    await bar.waitFor();
    await page.getByText(m('uploads.done'), { exact: true }).waitFor({ timeout: 60_000 });
    expect(await bar.evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    await page.getByText(m('uploads.percent', { percent: 100 }), { exact: true }).waitFor();
    await checkView(page, 'sent-evidence');

    // The unit reads the neutral name and type; nothing of the file's original name or metadata crossed the wire.
    const report = await setup.desk.reportFor(reference);
    expect(report?.attachments?.map(({ name, type }) => ({ name, type }))).toEqual([{ name: 'evidence-1.jpg', type: 'image/jpeg' }]);
    for (const request of requests) {
      const body = request.postDataBuffer()?.toString('latin1') ?? '';
      for (const text of ['photo.jpg', ...PLANTED]) expect(body, request.url()).not.toContain(text);
    }

    // Back with the passphrase: the thread lists the file; saving it decrypts it here, without what was planted.
    await page.getByRole('button', { name: m('sent.backToStart') }).click();
    await unlock(page, words);
    const listed = page.getByRole('list', { name: m('files.listLabel') });
    expect(await listed.textContent()).toContain('evidence-1.jpg');
    await page.getByRole('button', { name: m('files.downloadNamed', { name: 'evidence-1.jpg' }) }).click();
    const save = page.getByRole('link', { name: m('files.save', { name: 'evidence-1.jpg' }) });
    await save.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toBe('evidence-1.jpg');
    const saved = readFileSync((await download.path())!);
    expect([...saved.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    for (const text of PLANTED) expect(saved.toString('latin1')).not.toContain(text);
    await checkView(page, 'mailbox-evidence');

    // An answer carries a file the same way; it is numbered on from the report's.
    await page.getByLabel(m('mailbox.reply.label'), { exact: true }).fill('Here is another photo, from the next day.');
    await page.getByLabel(m('evidence.label'), { exact: true }).setInputFiles(PHOTO);
    await page.getByText(m('evidence.sentAs', { original: 'photo.jpg', name: 'evidence-2.jpg' }), { exact: true }).waitFor();
    await page.getByRole('button', { name: m('mailbox.reply.send') }).click();
    await page.getByText(m('uploads.done'), { exact: true }).waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await page.getByRole('list', { name: m('mailbox.threadLabel') }).textContent()) ?? '', { timeout: 30_000 }).toContain('evidence-2.jpg');
    await expect.poll(() => page.getByRole('button', { name: m('files.downloadNamed', { name: 'evidence-2.jpg' }) }).count()).toBe(1);
    await context.close();
  }, 300_000);

  it('a link that drops the file: the report is received, "Try again" carries on from where it stopped, no part is sent twice', async () => {
    const { page, context } = await setup.harness.newPage(NARROW);
    await openReporter(setup.harness, page);
    await writeReport(page, 'A report whose photo meets a bad connection.');
    await page.getByLabel(m('evidence.label'), { exact: true }).setInputFiles(PHOTO);
    await page.getByText(m('evidence.removed.location'), { exact: true }).waitFor();

    // Every part is refused by the network until the test lets them through.
    let dropping = true;
    const puts: string[] = [];
    await page.route(/\/api\/mailbox\/files\/[^/]+\/parts\/\d+$/, async (route) => {
      if (dropping) return route.abort('connectionreset');
      puts.push(new URL(route.request().url()).pathname);
      return route.continue();
    });
    const { reference } = await sendIt(page);
    expect(reference).not.toBe('');
    const tryAgain = page.getByRole('button', { name: m('uploads.tryAgain') });
    await tryAgain.waitFor({ timeout: 240_000 });
    await page.getByText(m('uploads.notSent'), { exact: true }).waitFor();
    await checkView(page, 'sent-evidence-not-sent');
    expect((await setup.desk.reportFor(reference))?.attachments).toHaveLength(1); // the report itself was received

    dropping = false;
    await tryAgain.click();
    await page.getByText(m('uploads.done'), { exact: true }).waitFor({ timeout: 60_000 });
    expect(puts).toHaveLength(1); // one part, sent once
    await context.close();
  }, 300_000);
});
