// The public figures page (/figures, issue 15): the instance's suppressed figures per organisation
// and month for the last 12 months, as server-rendered tables. A reporter-side page: no script of
// its own (only the quick exit's bundle), no cookie, nothing from another site. English only: the
// words come from the English catalogues, so each status reads as it does everywhere else.
import consoleEn from '../web/i18n/console/en.json' with { type: 'json' };
import reporterEn from '../web/i18n/reporter/en.json' with { type: 'json' };
import { escapeHtml } from '../web/ui/escape-html.js';
import { OUTCOME_STATUSES, type ShownCount, type ShownMedian } from '../web/casework/figures.js';
import { addMonths } from '../web/casework/calendar.js';
import type { AssetSource } from './deps.js';
import type { PublishedFigures } from './routes/figures.js';

const words = { ...consoleEn.messages, ...reporterEn.messages } as Record<string, string>;
/** A message as HTML: its words and its values (plain text) escaped. */
const w = (key: string, values: Record<string, string> = {}) =>
  escapeHtml(words[key]!).replace(/\{(\w+)\}/g, (_, name: string) => escapeHtml(values[name] ?? ''));

/** The reporter's pages' neutral site (web/pages/reporter-topbar.html). */
const EXIT_URL = 'https://www.bbc.co.uk/weather';
/** The stylesheets and the quick exit's script, from /static. */
const STYLES = ['parley.css', 'reporter-styles.css'] as const;
const QUICK_EXIT = 'quick-exit.js';

/** The last 12 months, this one included: from the first of the month 11 months ago to today. */
export function lastTwelveMonths(today: string): { from: string; to: string } {
  return { from: addMonths(`${today.slice(0, 8)}01`, -11), to: today };
}

/** The build's subresource-integrity hashes (dist/web/manifest.json), when the assets are there. */
export async function assetIntegrity(assets: AssetSource | undefined): Promise<Record<string, string>> {
  const manifest = assets ? await assets.get('manifest.json') : null;
  return manifest ? ((await new Response(manifest.body as BodyInit).json()) as Record<string, string>) : {};
}

const integrityOf = (integrity: Record<string, string>, file: string) => (integrity[file] ? ` integrity="${escapeHtml(integrity[file])}"` : '');

const shown = (value: ShownCount | ShownMedian) =>
  value === 'fewer_than_5' ? w('figures.fewerThan5') : value === 'withheld' ? w('figures.withheld') : escapeHtml(String(value));

const monthName = (period: string) =>
  escapeHtml(new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${period}-01T00:00:00Z`)));

const dayName = (day: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

function organisationTable(org: PublishedFigures[number], index: number): string {
  const caption = w('figures.instance.caption', { organisation: org.name });
  if (org.months.length === 0) return `<h2>${escapeHtml(org.name)}</h2><p>${w('figures.none')}</p>`;
  const heads = [w('figures.received'), w('figures.acknowledgedWithin'), w('figures.feedbackWithin'), w('figures.medianDays'), ...OUTCOME_STATUSES.map((s) => w(`status.${s}`))];
  const rows = org.months.map((m) => `<tr><th scope="row">${monthName(m.period)}</th>${[m.received, m.acknowledgedWithin, m.feedbackWithin, m.medianDaysToFirstResponse, ...OUTCOME_STATUSES.map((s) => m.outcomes[s])].map((v) => `<td>${shown(v)}</td>`).join('')}</tr>`);
  // The region scrolls sideways on a narrow screen; focusable so a keyboard can scroll it.
  return `<h2>${escapeHtml(org.name)}</h2><div class="figures-scroll" role="region" tabindex="0" aria-labelledby="caption-${index}"><table class="figures"><caption id="caption-${index}">${caption}</caption><thead><tr><th scope="col">${w('figures.period.month')}</th>${heads.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The whole page; every value from the database is escaped. */
export function publicFiguresPage(figures: PublishedFigures, span: { from: string; to: string }, integrity: Record<string, string>): string {
  const title = w('figures.instance.heading');
  const body = figures.length === 0 ? `<p>${w('figures.none')}</p>` : figures.map(organisationTable).join('\n');
  return `<!doctype html>
<html lang="en" dir="ltr" data-exit-title="${w('page.exitTitle')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
${STYLES.map((file) => `<link rel="stylesheet" href="/static/${file}"${integrityOf(integrity, file)}>`).join('\n')}
<script type="module" src="/static/${QUICK_EXIT}"${integrityOf(integrity, QUICK_EXIT)}></script>
</head>
<body>
<a class="skip-link" href="#view">${w('page.skipLink')}</a>
<header class="topbar">
  <span class="brand">${w('page.brand')}</span>
  <a class="button quick-exit" id="quick-exit" href="${EXIT_URL}" rel="noreferrer" aria-describedby="quick-exit-hint">${w('page.quickExit')}</a>
  <span id="quick-exit-hint" class="visually-hidden">${w('page.quickExitHint')}</span>
</header>
<main id="view" class="info">
<h1>${title}</h1>
<p>${w('figures.instance.hint', { from: dayName(span.from), to: dayName(span.to) })}</p>
<p>${w('figures.foi.suppression')}</p>
${body}
</main>
</body>
</html>
`;
}
