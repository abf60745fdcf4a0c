// The static parts of the reporter's pages, made at build time in each offered language: the
// footer every reporter page carries (who runs the service, how to contact them, other ways to
// report, links to the information pages) and those pages (web/pages/info/*.html inside
// web/pages/info.html). Static HTML, so all of it shows with JavaScript off.
// Messages are formatted here as the browser formats them (intl-messageformat), then escaped;
// the operator's free text is escaped too, and marked with its language when it is not the page's.
import { IntlMessageFormat } from 'intl-messageformat';
import { escapeHtml } from '../web/ui/escape-html.js';
import { INFO_PAGES, operatorText, type InfoPage, type OperatorDetails, type OperatorText } from './operator-details.js';

export { escapeHtml };

/** One language's messages, and the values every message on its pages may take: `values` as HTML ({operator}, dates…), `choices` as they are (a select's or a plural's argument). */
export interface PageLanguage {
  language: string;
  messages: Record<string, string>;
  values: Record<string, string>;
  choices: Record<string, string | number>;
}

/** A message as HTML: formatted with the page's values (already HTML), the words around them escaped. */
export function messageHtml(page: PageLanguage, key: string, source: string): string {
  const message = page.messages[key];
  if (message === undefined) throw new Error(`${source} uses ${key}, which the ${page.language} catalogue lacks`);
  // Each value goes in as a token the words cannot contain, so only the words are escaped.
  const tokens = Object.fromEntries(Object.keys(page.values).map((name, i) => [name, `\u0000${i}\u0000`]));
  const formatted = String(new IntlMessageFormat(message, page.language === 'en' ? 'en-GB' : page.language).format({ ...page.choices, ...tokens }));
  const values = Object.values(page.values);
  return escapeHtml(formatted).replace(/\u0000(\d+)\u0000/g, (_, i: string) => values[Number(i)]!);
}

/** The operator's text as HTML for a page in `language`: marked with its own language when that differs. */
export function operatorHtml(value: OperatorText, language: string, operator: OperatorDetails): string {
  const { text, language: written } = operatorText(value, language, operator);
  return written === language ? escapeHtml(text) : `<span lang="${written}" dir="auto">${escapeHtml(text)}</span>`;
}

/** A day (YYYY-MM-DD) in the page's words, through the catalogue's own month names (date.day). */
function dayHtml(page: { language: string; messages: Record<string, string> }, isoDay: string): string {
  const [year, month, day] = isoDay.split('-').map(Number);
  return escapeHtml(String(new IntlMessageFormat(page.messages['date.day']!, page.language).format({ day: day!, month: `m${month}`, year: String(year) })));
}

/** One language's messages with the values the reporter's pages give them. */
export function pageLanguage(language: string, messages: Record<string, string>, operator: OperatorDetails): PageLanguage {
  const a11y = operator.accessibility;
  return { language, messages, values: pageValues(language, messages, operator), choices: { status: a11y.compliance, days: a11y.responseDays } };
}

function pageValues(language: string, messages: Record<string, string>, operator: OperatorDetails): Record<string, string> {
  const a11y = operator.accessibility;
  return {
    operator: operatorHtml(operator.name, language, operator),
    title: escapeHtml(messages['page.title'] ?? ''),
    prepared: dayHtml({ language, messages }, a11y.preparedOn),
    reviewed: dayHtml({ language, messages }, a11y.reviewedOn),
    tested: dayHtml({ language, messages }, a11y.testedOn),
    testedBy: operatorHtml(a11y.testedBy, language, operator),
  };
}

function list(items: string[]): string {
  return `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
}

/** How to reach the operator: e-mail and postal address, each labelled. */
function contactHtml(page: PageLanguage, operator: OperatorDetails): string {
  const items: string[] = [];
  if (operator.email) items.push(`${messageHtml(page, 'footer.email', 'the footer')} <a href="mailto:${escapeHtml(operator.email)}">${escapeHtml(operator.email)}</a>`);
  if (operator.postalAddress) items.push(`${messageHtml(page, 'footer.address', 'the footer')} ${operatorHtml(operator.postalAddress, page.language, operator)}`);
  return items.length === 0 ? '' : list(items);
}

/** The footer on every reporter page: who runs it, contact, other ways to report, the information pages. */
export function footerHtml(page: PageLanguage, operator: OperatorDetails): string {
  const t = (key: string) => messageHtml(page, key, 'the footer');
  const links: [InfoPage, string][] = [['staying-safe', t('landing.safe.heading')], ['privacy', t('footer.privacy')], ['accessibility', t('footer.accessibility')]];
  const otherWays = operator.otherWays.map((way) => operatorHtml(way, page.language, operator));
  return `<footer class="site-footer"><div class="site-footer-inner">
<p class="run-by">${t('footer.runBy')}</p>
${contactHtml(page, operator)}
${otherWays.length === 0 ? '' : `<h2 class="footer-heading">${t('footer.otherWays')}</h2>${list(otherWays)}`}
<nav aria-label="${t('footer.links')}">${list(links.map(([path, name]) => `<a href="/${page.language}/${path}">${name}</a>`))}</nav>
</div></footer>`;
}

/** The operator's free-text parts a page names as {{operator:…}}. */
function operatorPart(page: PageLanguage, operator: OperatorDetails, part: string, source: string): string {
  const text = (value: OperatorText) => `<p>${operatorHtml(value, page.language, operator)}</p>`;
  switch (part) {
    case 'privacy.lawfulBasis': return text(operator.privacy.lawfulBasis);
    case 'privacy.retention': return text(operator.privacy.retention);
    case 'privacy.contact': return text(operator.privacy.contact);
    case 'contact': return contactHtml(page, operator);
    case 'otherWays': return operator.otherWays.length === 0 ? '' : list(operator.otherWays.map((way) => operatorHtml(way, page.language, operator)));
    case 'accessibility.nonAccessible':
      return operator.accessibility.nonAccessible.length === 0
        ? `<p>${messageHtml(page, 'a11y.known.none', source)}</p>`
        : list(operator.accessibility.nonAccessible.map((item) => operatorHtml(item, page.language, operator)));
    default: throw new Error(`${source} names {{operator:${part}}}, which is not an operator detail`);
  }
}

/** Fills a page's words (t: placeholders, from the catalogue) and the operator's parts (operator: placeholders). */
export function fillWords(template: string, page: PageLanguage, operator: OperatorDetails, source: string): string {
  return template
    .replace(/\{\{t:([\w.]+)\}\}/g, (_, key: string) => messageHtml(page, key, source))
    .replace(/\{\{operator:([\w.]+)\}\}/g, (_, part: string) => operatorPart(page, operator, part, source));
}

/** One information page: its content (web/pages/info/<page>.html) in the shell (web/pages/info.html). */
export function infoPage(shell: string, content: string, name: InfoPage, page: PageLanguage & { dir: 'ltr' | 'rtl' }, operator: OperatorDetails): string {
  const headingKey = { 'staying-safe': 'landing.safe.heading', privacy: 'privacy.heading', accessibility: 'a11y.heading' }[name];
  const source = `web/pages/info/${name}.html`;
  // The footer goes in last, so nothing the operator wrote is read as a {{…}} placeholder.
  return fillWords(shell
    .replace('{{content}}', () => content)
    .replace(/\{\{lang\}\}/g, page.language)
    .replace(/\{\{dir\}\}/g, page.dir)
    .replace('{{title}}', () => messageHtml(page, headingKey, source)), page, operator, source)
    .replace('{{footer}}', () => footerHtml(page, operator));
}

export { INFO_PAGES };
