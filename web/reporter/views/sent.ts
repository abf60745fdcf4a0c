// After sending: the report was received, its reference (which is not the passphrase), its
// files being sent (if any), what happens next, and a way to leave at once.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReporterApp } from '../app.js';
import type { SentReport } from '../engine-api.js';
import { uploadsPanel } from './uploads.js';
import { formatDay } from '../../i18n/labels.js';

/** Who runs the service, as the build wrote it on the page (config/operator.json, in this page's language). */
function operatorName(): string {
  return document.documentElement.dataset.operator ?? '';
}

export function sentView(app: ReporterApp, result: SentReport): HTMLElement {
  const leave = el('button', { type: 'button', class: 'quick-exit' }, t('sent.leave'));
  leave.addEventListener('click', () => app.exit());
  const start = el('button', { type: 'button', class: 'secondary' }, t('sent.backToStart'));
  start.addEventListener('click', () => {
    void app.engine.forget(); // files not yet sent go with it
    app.go.landing();
  });

  return el('div', {},
    el('h1', {}, t('sent.heading')),
    el('p', { class: 'lead' }, t('sent.lead', { day: formatDay(result.receivedDay) })),
    result.uploads.length > 0 && uploadsPanel(app, result.uploads),
    el('section', { class: 'card', 'aria-labelledby': 'reference-heading' },
      el('h2', { id: 'reference-heading' }, t('sent.reference.heading')),
      el('p', { class: 'reference' }, result.reference),
      el('p', {}, t('sent.reference.notPassphrase', { operator: operatorName() })),
    ),
    el('section', { class: 'card', 'aria-labelledby': 'next-heading' },
      el('h2', { id: 'next-heading' }, t('sent.next.heading')),
      el('ul', {},
        el('li', {}, t('sent.next.confirm')),
        el('li', {}, t('sent.next.questions')),
        el('li', {}, t('sent.next.hear')),
      ),
    ),
    el('div', { class: 'actions' }, leave, start),
  );
}
