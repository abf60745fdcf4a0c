// The public figures page (/figures, issue 15): the instance's suppressed figures per organisation
// and month for the last 12 months, as server-rendered tables. A reporter-side page: no script of
// its own (only the quick exit's bundle), no cookie, nothing from another site. In each language
// that has the console's words (the figures') and a reporter's page in the build: English at
// /figures, Welsh at /cy/figures. The words come from those catalogues, so each status reads as it
// does everywhere else.
import consoleCy from '../web/i18n/console/cy.json' with { type: 'json' };
import consoleEn from '../web/i18n/console/en.json' with { type: 'json' };
import reporterCy from '../web/i18n/reporter/cy.json' with { type: 'json' };
import reporterEn from '../web/i18n/reporter/en.json' with { type: 'json' };
import { escapeHtml } from '../web/ui/escape-html.js';
import { OUTCOME_STATUSES, type ShownCount, type ShownMedian } from '../web/casework/figures.js';
import { addMonths } from '../web/casework/calendar.js';
import type { AssetSource } from './deps.js';
import type { PublishedFigures } from './routes/figures.js';

interface Catalogue {
  meta: { language: string; name: string; dir: string };
  messages: Record<string, string>;
}

/** The languages the page has words for (a test holds this to the console's catalogues), English first. */
const CATALOGUES: Record<string, readonly [Catalogue, Catalogue]> = { en: [consoleEn, reporterEn], cy: [consoleCy, reporterCy] };
export const FIGURES_LANGUAGES = Object.keys(CATALOGUES);

/** Where the page is in a language: English at /figures, as it always was. */
export const figuresAddress = (language: string) => (language === 'en' ? '/figures' : `/${language}/figures`);

/**
 * The languages the page is in on this instance: those it has words for whose reporter's page
 * the build made (the operator offers them), English always.
 */
export function figuresLanguages(integrity: Record<string, string>): string[] {
  return FIGURES_LANGUAGES.filter((language) => language === 'en' || integrity[`${language}/index.html`] !== undefined);
}

/** One language's words and dates for the page. */
function wordsFor(language: string) {
  const [consoleWords, reporter] = CATALOGUES[language]!;
  const words = { ...consoleWords.messages, ...reporter.messages };
  const locale = language === 'en' ? 'en-GB' : language;
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const dayFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  /** A message as HTML: its words and its values (plain text) escaped. */
  const w = (key: string, values: Record<string, string> = {}) =>
    escapeHtml(words[key]!).replace(/\{(\w+)\}/g, (_, name: string) => escapeHtml(values[name] ?? ''));
  return {
    meta: reporter.meta,
    w,
    monthName: (period: string) => escapeHtml(monthFormat.format(new Date(`${period}-01T00:00:00Z`))),
    dayName: (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
  };
}
type Words = ReturnType<typeof wordsFor>;

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

const shown = ({ w }: Words, value: ShownCount | ShownMedian) =>
  value === 'fewer_than_5' ? w('figures.fewerThan5') : value === 'withheld' ? w('figures.withheld') : escapeHtml(String(value));

function organisationTable(words: Words, org: PublishedFigures[number], index: number): string {
  const { w, monthName } = words;
  const caption = w('figures.instance.caption', { organisation: org.name });
  if (org.months.length === 0) return `<h2>${escapeHtml(org.name)}</h2><p>${w('figures.none')}</p>`;
  const heads = [w('figures.received'), w('figures.acknowledgedWithin'), w('figures.feedbackWithin'), w('figures.medianDays'), ...OUTCOME_STATUSES.map((s) => w(`status.${s}`))];
  const rows = org.months.map((m) => `<tr><th scope="row">${monthName(m.period)}</th>${[m.received, m.acknowledgedWithin, m.feedbackWithin, m.medianDaysToFirstResponse, ...OUTCOME_STATUSES.map((s) => m.outcomes[s])].map((v) => `<td>${shown(words, v)}</td>`).join('')}</tr>`);
  // The region scrolls sideways on a narrow screen; focusable so a keyboard can scroll it.
  return `<h2>${escapeHtml(org.name)}</h2><div class="figures-scroll" role="region" tabindex="0" aria-labelledby="caption-${index}"><table class="figures"><caption id="caption-${index}">${caption}</caption><thead><tr><th scope="col">${w('figures.period.month')}</th>${heads.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The other languages' pages, each named in itself (as on the reporter's page). */
function languageLinks({ w }: Words, others: readonly string[]): string {
  if (others.length === 0) return '';
  const links = others.map((language) => {
    const { meta } = CATALOGUES[language]![1];
    return `<li><a href="${figuresAddress(language)}" lang="${meta.language}" hreflang="${meta.language}" dir="${meta.dir}">${escapeHtml(meta.name)}</a></li>`;
  });
  return `<nav id="languages" class="languages" aria-label="${w('page.languages')}"><ul>${links.join('')}</ul></nav>`;
}

/**
 * The whole page in `language` (one of `languages`, the ones this instance has it in); every
 * value from the database is escaped.
 */
export function publicFiguresPage(figures: PublishedFigures, span: { from: string; to: string }, integrity: Record<string, string>, language = 'en', languages: readonly string[] = [language]): string {
  const words = wordsFor(language);
  const { w, dayName, meta } = words;
  const title = w('figures.instance.heading');
  const body = figures.length === 0 ? `<p>${w('figures.none')}</p>` : figures.map((org, index) => organisationTable(words, org, index)).join('\n');
  return `<!doctype html>
<html lang="${meta.language}" dir="${meta.dir}" data-exit-title="${w('page.exitTitle')}">
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
${languageLinks(words, languages.filter((other) => other !== language))}
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
