// Evidence files end to end (issue 14), in real Chromium against `npm start`'s server as a child
// process: a reporter attaches a photo carrying a GPS position, a camera model and a marker in its
// metadata, and a text file whose content is a marker, both under names that would identify them;
// an investigator opens the case in the console and downloads both by their buttons' names.
// The downloaded text is the original; the photo has no position, camera or comment left (read
// back with exifreader, a reader that is not ours) and the same image data byte for byte; viewed,
// it shows only in a sandboxed frame the console cannot reach into. Then the database (and its
// WAL), the stored parts, the server's output and every request body either browser sent are
// searched: no marker, position, camera or original name is in any of them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExifReader from 'exifreader';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { ApiClient } from '../../web/client/api.js';
import { mailboxFileAccess, uploadFile } from '../../web/client/files.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport } from '../../web/client/reporter.js';
import { cleanFile } from '../../web/files/index.js';
import { newFileSecret } from '../../web/protocol/file-crypto.js';
import { bytesToB64, fileCipherLength, generatePassphrase, PRODUCTION_KDF } from '../../web/protocol/index.js';
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { CONSOLE_CSP, PAGE_CSP } from '../../worker/routes/pages.js';
import { totpCodeAt } from '../../worker/totp.js';
import { databaseFilesBytes, markersFound } from '../support/bytes-search.js';
import { gpsRationals, plantedJpeg, scanData, type Planted } from '../support/planted-jpeg.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { overflowsHorizontally, signInThroughPage, tabTo, waitForHeading } from './console-helpers.js';
import { firefoxAvailable, launchFirefox } from './firefox.js';
import { browserAvailable, INVESTIGATOR, relaunchingChromium, screenshot, seriousAxeViolations, type BrowserHarness, type ChromiumLauncher } from './harness.js';
import { confirmWords, EN, openReporter, shownWords } from './reporter-steps.js';

const PLANTED: Planted = {
  make: 'Parleyphone',
  model: 'PARLEY-CAM-X9-0xBEEF',
  marker: 'EXIF-MARKER-7d1c0a55',
  latitude: [53, 28, 517777],
  longitude: [2, 14, 391234],
};
const TEXT_MARKER = 'CONTENT-MARKER-3f9e2b71';
const TEXT = `Notes for the unit.\n${TEXT_MARKER}\nThe sergeant met the buyer at the garage on Tuesday.\n`;
const ORIGINAL_NAMES = ['IMG_20260301_jane-smith-home.jpg', 'jane-smith-diary.txt'];

let dir: string;
let dbPath: string;
let server: ServerProcess;
let browsers: ChromiumLauncher;
let totpSecret: string;
let lastCode = '';
const CY = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'web', 'i18n', 'console', 'cy.json'), 'utf8')) as { messages: Record<string, string> }).messages;

/** A code not used yet: the server (on the real clock) takes each code once, so a second sign-in waits for the next step. */
async function nextTotpCode(): Promise<string> {
  for (;;) {
    const code = totpCodeAt(totpSecret, Date.now());
    if (code !== lastCode) return (lastCode = code);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

beforeAll(async () => {
  if (!browserAvailable) return;
  dir = mkdtempSync(join(tmpdir(), 'parley-file-loop-'));
  dbPath = join(dir, 'parley.sqlite');
  const database = openNodeDatabase(dbPath);
  const created = await createOrganisation(database.db, {
    orgName: 'Anti-Corruption Unit', username: INVESTIGATOR.username, password: INVESTIGATOR.password, kdf: PRODUCTION_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined),
  });
  database.close();
  totpSecret = created.totpSecret;
  server = await startServerProcess(dbPath);
  browsers = await relaunchingChromium();
}, 120_000);

afterAll(async () => {
  await browsers?.close();
  await server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A context whose every request body (the page's and its engine's) is kept; third-party addresses are answered locally. */
async function recordedContext(bodies: { url: string; method: string; body: Buffer }[], viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (await browsers.live()).newContext({ viewport, acceptDownloads: true });
  context.on('request', (request) => {
    bodies.push({ url: request.url(), method: request.method(), body: request.postDataBuffer() ?? Buffer.alloc(0) });
  });
  await context.route((url) => !url.href.startsWith(server.url), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Elsewhere</title>' }));
  return { context, page: await context.newPage() };
}

/** A real JPEG, drawn and encoded by the browser, then given the planted metadata. */
async function photo(page: Page): Promise<{ original: Buffer; planted: Buffer }> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 96;
    canvas.height = 64;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2a6';
    g.fillRect(0, 0, 96, 64);
    g.fillStyle = '#c33';
    g.fillRect(20, 10, 40, 30);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  const original = Buffer.from(dataUrl.split(',')[1]!, 'base64');
  return { original, planted: plantedJpeg(original, PLANTED) };
}

async function downloadBy(page: Page, buttonName: string, press: () => Promise<void> = () => page.getByRole('button', { name: buttonName, exact: true }).click()): Promise<{ bytes: Buffer; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), press()]);
  return { bytes: readFileSync((await download.path())!), name: download.suggestedFilename() };
}

/** The needles that must be nowhere: markers, camera, original names as text; the GPS position as EXIF writes it. */
function leaks(haystack: Buffer): string[] {
  const text = markersFound(haystack, [TEXT_MARKER, PLANTED.marker, PLANTED.model, PLANTED.make, ...ORIGINAL_NAMES]);
  const gps = [PLANTED.latitude, PLANTED.longitude].filter((c) => haystack.includes(gpsRationals(c))).map((c) => `GPS ${c.join(',')}`);
  return [...text, ...gps];
}

describe.skipIf(!browserAvailable)('evidence files, reporter to investigator (issue 14)', () => {
  it('arrive cleaned and whole, are viewed only sandboxed, and leave no marker, position, camera or name anywhere on the server or the wire', async () => {
    const sent: { url: string; method: string; body: Buffer }[] = [];
    const reporter = await recordedContext(sent, { width: 360, height: 800 });
    const investigator = await recordedContext(sent);
    const harness = { server: { url: server.url }, totpCode: () => (lastCode = totpCodeAt(totpSecret, Date.now())) } as unknown as BrowserHarness;

    // The fixture itself carries everything the test looks for, so each search below can find it.
    const { original, planted } = await photo(reporter.page);
    const tags = ExifReader.load(planted, { expanded: true });
    expect(tags.gps?.Latitude).toBeCloseTo(53.481, 3);
    expect(tags.exif?.Model?.description).toBe(PLANTED.model);
    expect(leaks(Buffer.concat([planted, Buffer.from(TEXT), Buffer.from(ORIGINAL_NAMES.join())]))).toHaveLength(8);

    // The reporter: a report with both files, through the page by its labels.
    const rp = reporter.page;
    await openReporter(harness, rp);
    await rp.getByRole('button', { name: EN.m('landing.makeReport') }).click();
    await rp.getByRole('combobox', { name: EN.m('form.organisation.label') }).selectOption({ label: 'Anti-Corruption Unit' });
    await rp.getByRole('radio', { name: EN.m('category.bribery') }).check();
    await rp.getByLabel(EN.m('form.whatHappened.label'), { exact: true }).fill('Custody records sold; photo and notes attached.');
    await rp.getByLabel(EN.m('evidence.label'), { exact: true }).setInputFiles([
      { name: ORIGINAL_NAMES[0]!, mimeType: 'image/jpeg', buffer: planted },
      { name: ORIGINAL_NAMES[1]!, mimeType: 'text/plain', buffer: Buffer.from(TEXT) },
    ]);
    const chosen = rp.getByRole('list', { name: EN.m('evidence.listLabel') });
    await chosen.getByText(EN.m('evidence.removed.location'), { exact: true }).waitFor({ timeout: 30_000 });
    await chosen.getByText(EN.m('evidence.removed.camera'), { exact: true }).waitFor();
    await chosen.getByText(EN.m('evidence.sentAs', { original: ORIGINAL_NAMES[1]!, name: 'evidence-2.txt' }), { exact: true }).waitFor();
    await rp.getByRole('button', { name: EN.m('form.continue') }).click();
    const words = await shownWords(rp);
    await rp.getByRole('button', { name: EN.m('passphrase.writtenDown') }).click();
    await confirmWords(rp, words);
    await rp.getByRole('button', { name: EN.m('confirm.send') }).click();
    await rp.getByText(EN.m('uploads.done')).waitFor({ timeout: 120_000 });
    const reference = /[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await rp.getByRole('region', { name: EN.m('sent.reference.heading') }).textContent()) ?? '')?.[0] ?? '';
    expect(reference).not.toBe('');

    // The investigator: open the case, see both files under their neutral names, download each.
    const page = investigator.page;
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: `Open case ${reference}` }).click();
    await waitForHeading(page, `Case ${reference}`);
    const files = page.locator('#view li.attachment');
    await expect.poll(() => files.count()).toBe(2);
    expect(await page.locator('#view').textContent()).not.toContain('jane-smith');

    // By keyboard: Tab to the button, Enter.
    await tabTo(page, 'button', 'Download evidence-2.txt', 80);
    const text = await downloadBy(page, 'Download evidence-2.txt', () => page.keyboard.press('Enter'));
    expect(text.bytes.toString('utf8')).toBe(TEXT);
    expect(text.name).toBe('evidence-2.txt');

    const image = await downloadBy(page, 'Download evidence-1.jpg');
    expect(image.name).toBe('evidence-1.jpg');
    const cleaned = ExifReader.load(image.bytes, { expanded: true });
    expect(cleaned.gps).toBeUndefined();
    expect(cleaned.exif?.Make).toBeUndefined();
    expect(cleaned.exif?.Model).toBeUndefined();
    expect(cleaned.exif?.UserComment).toBeUndefined();
    expect(cleaned.xmp).toBeUndefined();
    expect(leaks(image.bytes)).toEqual([]);
    // The same image: its entropy-coded data is the original's, byte for byte.
    expect(scanData(image.bytes).equals(scanData(original))).toBe(true);
    expect(scanData(planted).equals(scanData(original))).toBe(true);

    // Only the console may frame, and only blob: URLs; the reporter's page frames nothing.
    expect((await fetch(`${server.url}/console`)).headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toBe(`${PAGE_CSP}; frame-src blob:`);
    expect((await fetch(`${server.url}/`)).headers.get('content-security-policy')).toBe(PAGE_CSP);
    // Viewed: inside an <iframe sandbox=""> from a blob: URL; the console cannot reach its document (an opaque origin).
    await page.getByRole('button', { name: 'View image evidence-1.jpg', exact: true }).click();
    const frame = page.locator('iframe.attachment-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    expect(await frame.evaluate((f: HTMLIFrameElement) => {
      try {
        return f.contentWindow!.document ? 'reachable' : 'no document';
      } catch (error) {
        return (error as Error).name;
      }
    })).toBe('SecurityError');
    // It did show the image: the frame holds an image document of the photo's size.
    // The element is there before its frame has navigated to the blob: URL (a loaded machine shows the gap): wait for the frame.
    const blobFrame = () => page.frames().find((f) => f.url().startsWith('blob:'));
    await expect.poll(() => blobFrame() !== undefined, { timeout: 30_000 }).toBe(true);
    const shown = blobFrame();
    expect(await shown!.evaluate(() => [document.images[0]?.naturalWidth, document.images[0]?.naturalHeight, document.domain, origin])).toEqual([96, 64, '', 'null']);

    // Viewing the photo after downloading it did not fetch or decrypt it again: one content request per file.
    expect(sent.filter((r) => r.method === 'GET' && /\/api\/investigator\/cases\/[^/]+\/files\/[^/]+\/content$/.test(new URL(r.url).pathname))).toHaveLength(2);

    // The view with its files (and the image shown) is accessible, and fits 360 px.
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-case-files');
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'console-case-files');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The unit answers with a photo of its own: cleaned on this device too, sent as document-1.jpg, uploaded with progress.
    await page.getByLabel('Message to the reporter').fill('Thank you. Is this the garage?');
    await page.getByLabel('Attach files (optional)').setInputFiles([{ name: 'DSC_0042_inspector-jones.jpg', mimeType: 'image/jpeg', buffer: planted }]);
    await page.getByText('Removed: location, camera').waitFor({ timeout: 30_000 });
    // The first part is refused once: the message stands, and the upload is finished by its own button (never by sending twice).
    let refused = 0;
    await investigator.context.route((url) => url.pathname.includes('/files/') && url.pathname.includes('/parts/'), (route) =>
      refused++ === 0 ? route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":{"code":"invalid_body","message":"refused by the test"}}' }) : route.continue());
    await page.getByRole('button', { name: 'Send to the reporter' }).click();
    await page.getByText('The message was sent, but its files did not all finish uploading.', { exact: false }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Send to the reporter' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Finish uploading the files' }).click();
    await page.locator('#view .notice', { hasText: 'The files are uploaded.' }).waitFor({ timeout: 60_000 });
    expect(refused).toBe(2);
    expect(await page.locator('ol.thread li.from-organisation').count()).toBe(1);
    const reply = page.locator('ol.thread li.from-organisation').last();
    expect(await reply.textContent()).toContain('document-1.jpg');
    const sentBack = await downloadBy(page, 'Download document-1.jpg');
    expect(ExifReader.load(sentBack.bytes, { expanded: true }).gps).toBeUndefined();
    expect(scanData(sentBack.bytes).equals(scanData(original))).toBe(true);
    expect(leaks(sentBack.bytes)).toEqual([]);

    // Nothing the server holds, printed or was sent carries what the files gave away.
    const partRows = storedParts();
    expect(partRows.count).toBeGreaterThan(0);
    expect(leaks(partRows.bytes)).toEqual([]);
    expect(leaks(databaseFilesBytes(dbPath))).toEqual([]);
    expect(leaks(Buffer.from(server.output()))).toEqual([]);
    const partUploads = sent.filter((r) => r.method === 'PUT' && r.url.includes('/files/'));
    expect(partUploads.length).toBeGreaterThanOrEqual(2);
    expect(partUploads.every((r) => r.body.length > 0)).toBe(true);
    expect(leaks(Buffer.concat(sent.map((r) => r.body)))).toEqual([]);
    // And the names, which might survive in any other field: not in a URL either.
    expect(sent.filter((r) => [...ORIGINAL_NAMES, 'inspector-jones'].some((n) => r.url.includes(n)))).toEqual([]);
    expect(leaks(Buffer.concat(sent.map((r) => Buffer.from(r.url))))).toEqual([]);
    expect(markersFound(Buffer.concat([databaseFilesBytes(dbPath), Buffer.from(server.output()), ...sent.map((r) => r.body)]), ['inspector-jones'])).toEqual([]);

    // In Welsh, the same case's files are named, accessible and fit 360 px.
    await page.goto(`${server.url}/cy/console`);
    await page.getByLabel('Enw defnyddiwr').waitFor();
    await page.getByLabel('Enw defnyddiwr').fill(INVESTIGATOR.username);
    await page.getByLabel('Cyfrinair', { exact: true }).fill(INVESTIGATOR.password);
    await page.getByLabel(CY['signIn.totp']!).fill(await nextTotpCode());
    await page.getByRole('button', { name: CY['signIn.submit'] }).click();
    await page.getByRole('button', { name: new RegExp(reference) }).click();
    await page.getByRole('button', { name: 'Lawrlwytho evidence-1.jpg', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Gweld y ddelwedd evidence-1.jpg', exact: true }).click();
    await page.locator('iframe.attachment-frame').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);

    await reporter.context.close();
    await investigator.context.close();
  }, 300_000);
});

describe.skipIf(!browserAvailable || !firefoxAvailable)('evidence files in the console in Firefox ESR', () => {
  it('downloads and decrypts both files to disk under their safe names, and shows the photo only in a sandboxed frame', async () => {
    const downloads = join(dir, 'firefox-downloads');
    mkdirSync(downloads);
    const firefox = await launchFirefox({
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
    });
    try {
      const page = await firefox.newPage();
      await page.goto(`${server.url}/console`);
      const dataUrl = await page.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.width = 96;
        canvas.height = 64;
        canvas.getContext('2d')!.fillRect(10, 10, 50, 30);
        return canvas.toDataURL('image/jpeg', 0.9);
      });
      const original = Buffer.from(dataUrl.split(',')[1]!, 'base64');
      const reference = await reportFromNode(plantedJpeg(original, PLANTED));

      const aria = (role: string, name: string) => `::-p-aria([name=${JSON.stringify(name)}][role="${role}"])`;
      await (await page.waitForSelector(aria('textbox', 'Username')))!.type(INVESTIGATOR.username);
      // A password field has no ARIA role: found by its name alone.
      await page.type(`::-p-aria(${JSON.stringify('Password')})`, INVESTIGATOR.password);
      await page.type(aria('textbox', 'Code from your authenticator app'), await nextTotpCode());
      await page.click(aria('button', 'Sign in'));
      await (await page.waitForSelector(aria('button', `Open case ${reference}`), { timeout: 60_000 }))!.click();

      await (await page.waitForSelector(aria('button', 'Download evidence-2.txt')))!.click();
      const third = await page.waitForSelector('::-p-text(evidence-3.txt)');
      expect(await third!.evaluate((name) => name.closest('li')!.textContent)).toContain('Still uploading');
      await (await page.waitForSelector(aria('button', 'Download evidence-1.jpg')))!.click();
      const saved = async (name: string) => {
        await expect.poll(() => existsSync(join(downloads, name)) && readFileSync(join(downloads, name)).length > 0, { timeout: 30_000 }).toBe(true);
        return readFileSync(join(downloads, name));
      };
      expect((await saved('evidence-2.txt')).toString('utf8')).toBe(TEXT);
      const image = await saved('evidence-1.jpg');
      expect(ExifReader.load(image, { expanded: true }).gps).toBeUndefined();
      expect(leaks(image)).toEqual([]);
      expect(scanData(image).equals(scanData(original))).toBe(true);

      await page.click(aria('button', 'View image evidence-1.jpg'));
      const frame = await page.waitForSelector('iframe.attachment-frame');
      expect(await frame!.evaluate((f) => [f.getAttribute('sandbox'), (f as HTMLIFrameElement).src.startsWith('blob:')])).toEqual(['', true]);
      expect(await frame!.evaluate((f) => {
        try {
          return (f as HTMLIFrameElement).contentWindow!.document ? 'reachable' : 'no document';
        } catch (error) {
          return (error as Error).name;
        }
      })).toBe('SecurityError');
    } finally {
      await firefox.close();
    }
  }, 300_000);
});

/** A report with the two files sent from Node with the client libraries, as the reporter's engine sends them (cleaned, neutral names, declared, uploaded), and a third declared but never uploaded. */
async function reportFromNode(planted: Buffer): Promise<string> {
  const api = new ApiClient(server.url);
  const config = await fetchInstanceConfig(api);
  const keys = deriveKeysForInstance(generatePassphrase(), config);
  const photo = await cleanFile(new Blob([new Uint8Array(planted)]), 'image/jpeg');
  if (photo.outcome !== 'cleaned') throw new Error(`the photo was not cleaned: ${photo.reason}`);
  const files = [
    { name: 'evidence-1.jpg', type: 'image/jpeg', bytes: new Uint8Array(await photo.bytes.arrayBuffer()) },
    { name: 'evidence-2.txt', type: 'text/plain', bytes: new TextEncoder().encode(TEXT) },
    // Declared, never uploaded: the console says it is still on its way.
    { name: 'evidence-3.txt', type: 'text/plain', bytes: new TextEncoder().encode('never sent') },
  ].map((f) => ({ ...f, secret: newFileSecret(f.bytes.length) }));
  const attachments = files.map((f) => ({ id: bytesToB64(f.secret.id), key: bytesToB64(f.secret.key), name: f.name, type: f.type, size: f.bytes.length }));
  const report = { kind: 'report' as const, category: 'bribery' as const, whatHappened: 'Custody records sold; photo and notes attached.', attachments };
  const submission = buildReportSubmission(keys, config.organisations[0]!, report, attachments.map((a) => ({ id: a.id, bytes: fileCipherLength(a.size) })));
  const { reference } = await submitReport(api, submission);
  for (const f of files.slice(0, 2)) await uploadFile(api, mailboxFileAccess(keys), f.secret, async (start, end) => f.bytes.slice(start, end));
  return reference;
}

/** Every row of the file tables (the stored parts among them), as read from the database the server wrote (a second reader: WAL mode allows it). */
function storedParts(): { count: number; bytes: Buffer } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'file%'").all() as { name: string }[]).map((t) => t.name);
    const rows = tables.flatMap((table) => db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]);
    const values = rows.flatMap((row) => Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v)))));
    const blobs = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'file_blobs'").get() as { n: number };
    return { count: blobs.n === 1 ? (db.prepare('SELECT count(*) AS n FROM file_blobs').get() as { n: number }).n : 0, bytes: Buffer.concat(values) };
  } finally {
    db.close();
  }
}
