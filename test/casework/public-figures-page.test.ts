// The public figures page (/figures), on Node and on workerd + D1: when the operator publishes
// figures, a page with the suppressed figures per organisation and month, every organisation name
// escaped, small counts in words and never as numbers, under the pages' CSP, no-store and no
// cookie; when not, the same 404 as a page that does not exist.
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/reports.js';
import { API_TARGETS, useTarget, type ApiTarget } from '../support/targets.js';
import { makeTestApp, TEST_CONFIG } from '../support/test-app.js';
import { PAGE_CSP } from '../../worker/routes/pages.js';
import { FIGURES_LANGUAGES, figuresLanguages, publicFiguresPage } from '../../worker/public-figures-page.js';
import type { PublishedFigures } from '../../worker/routes/figures.js';
import { catalogueLanguages, CONSOLE_CATALOGUES } from '../../scripts/build-web.js';

const HOSTILE_NAME = 'Unit <script>alert(1)</script> & "Co"';

/** The cells of the row for a month in the page's HTML (its first cell is the month). */
function monthRow(html: string, month: string): string[] {
  const row = new RegExp(`<tr><th scope="row">${month}</th>(.*?)</tr>`).exec(html);
  if (!row) throw new Error(`no row for ${month}`);
  return [...row[1]!.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!);
}

describe.each(API_TARGETS)('the public figures page on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  it('shows the suppressed figures per organisation and month, names escaped, small counts in words', async () => {
    // Three reports in March 2026: a count of 3 the page must never show.
    for (let i = 0; i < 3; i++) {
      const filed = await fileReport(t.api, 'MARKER-PUBLIC-FIGURES');
      t.sql("UPDATE cases SET received_day = '2026-03-02', status = 'investigating', ack_due_day = '2026-03-09', ack_day = '2026-03-04' WHERE id = ?", filed.submission.caseId);
    }
    t.sql('UPDATE organisations SET name = ?', HOSTILE_NAME);

    const res = await t.request('/figures');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();

    expect(html).not.toContain('<script>alert');
    expect(html).toContain('<span class="brand">Report in confidence</span>');
    expect(html).toContain('<h2>Unit &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;</h2>');
    expect(html).toContain('<caption id="caption-0">Figures per month for Unit &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;</caption>');
    // Received, acknowledged within, feedback within, median days, then the five outcomes.
    expect(monthRow(html, 'March 2026')).toEqual(['fewer than 5', 'fewer than 5', '0', 'withheld', 'fewer than 5', '0', '0', '0', '0']);
    expect(html).not.toMatch(/<td>3<\/td>/);
    expect(html).toContain('Counts from 1 to 4 are shown as “fewer than 5”');
    // The quick exit, as on the reporter's pages; nothing from another site but its link.
    expect(html).toMatch(/<a class="button quick-exit" id="quick-exit" href="https:\/\/www\.bbc\.co\.uk\/weather" rel="noreferrer"[^>]*>Quick exit<\/a>/);
    expect(html.match(/(?:src|href)="https?:[^"]*"/g)).toEqual(['href="https://www.bbc.co.uk/weather"']);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=/);
  });
});

describe('the public figures page in another language', () => {
  const march: PublishedFigures = [{
    name: HOSTILE_NAME,
    months: [{ period: '2026-03', received: 'fewer_than_5', acknowledgedWithin: 'fewer_than_5', feedbackWithin: 0, medianDaysToFirstResponse: 'withheld', outcomes: { investigating: 'fewer_than_5', intelligence_recorded: 0, passed_on: 0, no_further_action: 0, closed: 0 } }],
  }];
  const span = { from: '2025-04-01', to: '2026-03-31' };

  it('has words in every language the console has them in', () => {
    expect([...FIGURES_LANGUAGES].sort()).toEqual(catalogueLanguages(CONSOLE_CATALOGUES));
  });

  it('is in Welsh at /cy/figures: lang on the page, its words, months and days, and a link to the English page named in English', () => {
    const html = publicFiguresPage(march, span, {}, 'cy', ['en', 'cy']);
    expect(html).toContain('<html lang="cy" dir="ltr"');
    expect(html).toContain('<h1>Ffigurau ar gyfer yr holl wasanaeth</h1>');
    expect(html).toContain('<a class="button quick-exit" id="quick-exit" href="https://www.bbc.co.uk/weather" rel="noreferrer" aria-describedby="quick-exit-hint">Gadael yn gyflym</a>');
    expect(monthRow(html, 'Mawrth 2026')).toEqual(['llai na 5', 'llai na 5', '0', 'wedi’i atal', 'llai na 5', '0', '0', '0', '0']);
    expect(html).toContain('<caption id="caption-0">Ffigurau fesul mis ar gyfer Unit &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;</caption>');
    expect(html).toContain('1 Ebrill 2025');
    expect(html).toContain('<nav id="languages" class="languages" aria-label="Ieithoedd eraill"><ul><li><a href="/figures" lang="en" hreflang="en" dir="ltr">English</a></li></ul></nav>');
    // In English, the link goes the other way; with one language, there is none.
    expect(publicFiguresPage(march, span, {}, 'en', ['en', 'cy'])).toContain('<li><a href="/cy/figures" lang="cy" hreflang="cy" dir="ltr">Cymraeg</a></li>');
    expect(publicFiguresPage(march, span, {}, 'en')).not.toContain('id="languages"');
  });

  it('is in a language only when the build made its reporter page (the operator offers it); English always', () => {
    expect(figuresLanguages({})).toEqual(['en']);
    expect(figuresLanguages({ 'cy/index.html': 'sha384-x', 'pl/index.html': 'sha384-y' })).toEqual(['en', 'cy']);
  });

  it('is not there in a language the instance does not have it in: the same 404 as a page that does not exist', async () => {
    const app = makeTestApp(TEST_CONFIG);
    try {
      // No build here: the Welsh reporter page is not served either.
      const welsh = await app.fetch('http://parley.test/cy/figures', {});
      const unknown = await app.fetch('http://parley.test/no-such-page', {});
      expect(welsh.status).toBe(404);
      expect(await welsh.json()).toEqual(await unknown.json());
      expect((await app.fetch('http://parley.test/figures', {})).status).toBe(200);
    } finally {
      app.close();
    }
  });
});

describe('the public figures page when the operator has not turned it on', () => {
  it('is not there: the same 404 as a page that does not exist', async () => {
    const app = makeTestApp({ ...TEST_CONFIG, publicFigures: false });
    try {
      const res = await app.fetch('http://parley.test/figures', {});
      const unknown = await app.fetch('http://parley.test/no-such-page', {});
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(await unknown.json());
      expect(res.headers.get('set-cookie')).toBeNull();
    } finally {
      app.close();
    }
  });
});
