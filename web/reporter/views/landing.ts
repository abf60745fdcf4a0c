// The first view: what happens to what they write, what is never collected, how to stay
// safe, and the two ways in.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { emptyDraft, type ReporterApp } from '../app.js';

export function landingView(app: ReporterApp): HTMLElement {
  const makeReport = el('button', { type: 'button' }, t('landing.makeReport'));
  const havePassphrase = el('button', { type: 'button', class: 'secondary' }, t('landing.havePassphrase'));
  makeReport.addEventListener('click', () => app.go.reportForm({ draft: emptyDraft(), words: null, evidence: [] }));
  havePassphrase.addEventListener('click', () => app.go.unlock());

  return el('div', { class: 'landing' },
    el('h1', {}, t('landing.heading')),
    el('p', { class: 'lead' }, t('landing.lead')),
    el('div', { class: 'actions' }, makeReport, havePassphrase),

    el('section', { class: 'card', 'aria-labelledby': 'what-happens' },
      el('h2', { id: 'what-happens' }, t('landing.whatHappens.heading')),
      el('ul', {},
        el('li', {}, t('landing.whatHappens.encrypted')),
        el('li', {}, t('landing.whatHappens.onlyUnit')),
        el('li', {}, t('landing.whatHappens.notUs')),
        el('li', {}, t('landing.whatHappens.passphrase')),
      ),
    ),

    el('section', { class: 'card', 'aria-labelledby': 'never-collected' },
      el('h2', { id: 'never-collected' }, t('landing.never.heading')),
      el('ul', {},
        el('li', {}, t('landing.never.name')),
        el('li', {}, t('landing.never.ip')),
        el('li', {}, t('landing.never.cookies')),
        el('li', {}, t('landing.never.contact')),
      ),
    ),

    el('section', { class: 'card', 'aria-labelledby': 'stay-safe' },
      el('h2', { id: 'stay-safe' }, t('landing.safe.heading')),
      el('ul', {},
        el('li', {}, t('landing.safe.device')),
        el('li', {}, t('landing.safe.quickExit')),
        el('li', {}, t('landing.safe.danger')),
      ),
      // Before anything is written: the page that explains history, private windows and the quick exit.
      el('p', {}, el('a', { href: `/${document.documentElement.lang}/staying-safe` }, t('landing.safe.more'))),
    ),
  );
}
