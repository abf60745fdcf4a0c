// The passphrase, shown once: large numbered words, a copy button, and how to keep it.
// The engine makes it (CSPRNG) and starts the slow key derivation straight away, so that
// sending is quick once the reporter has confirmed it.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReportInProgress, ReporterApp } from '../app.js';
import { loadingFailed } from './problems.js';

export function passphraseView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const body = el('div', {}, el('p', { role: 'status' }, t('passphrase.making')));
  const make = () =>
    app.engine.newPassphrase().then(
      ({ words }) => {
        report.words = words;
        body.replaceChildren(passphraseContent(app, report, words));
      },
      () => body.replaceChildren(loadingFailed(make)),
    );
  // Going back to the form and on again keeps the same words: they may be written down already.
  if (report.words) body.replaceChildren(passphraseContent(app, report, report.words));
  else void make();
  return el('div', {}, el('h1', {}, t('passphrase.heading')), body);
}

function passphraseContent(app: ReporterApp, report: ReportInProgress, words: string[]): HTMLElement {
  const copied = el('p', { class: 'copy-status', role: 'status' });
  const copy = el('button', { type: 'button', class: 'secondary' }, t('passphrase.copy'));
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(words.join(' ')).then(
      () => {
        copied.textContent = t('passphrase.copied');
      },
      () => {
        copied.textContent = t('passphrase.copyFailed');
      },
    );
  });

  const next = el('button', { type: 'button' }, t('passphrase.writtenDown'));
  next.addEventListener('click', () => app.go.confirm(report));
  const back = el('button', { type: 'button', class: 'secondary' }, t('passphrase.backToReport'));
  back.addEventListener('click', () => app.go.reportForm(report));

  return el('div', {},
    el('p', { class: 'lead' }, t('passphrase.lead')),
    // The words are English in every language (one word list, so a passphrase opens the report from any
    // language's page): marked lang="en" so screen readers say them as English, and the page says so.
    el('ol', { class: 'passphrase', role: 'list', lang: 'en', dir: 'ltr', 'aria-label': t('passphrase.wordsLabel') }, ...words.map((word) => el('li', {}, word))),
    el('p', { class: 'hint passphrase-language' }, t('passphrase.englishWords')),
    el('div', { class: 'actions' }, copy),
    copied,
    el('section', { class: 'card', 'aria-labelledby': 'keep-it' },
      el('h2', { id: 'keep-it' }, t('passphrase.keep.heading')),
      el('ul', {},
        el('li', {}, t('passphrase.keep.paper')),
        el('li', {}, t('passphrase.keep.photo')),
        el('li', {}, t('passphrase.keep.noReset')),
        el('li', {}, t('passphrase.keep.typing')),
      ),
    ),
    el('p', { class: 'notice' }, t('passphrase.notSentYet')),
    el('div', { class: 'actions' }, next, back),
  );
}
