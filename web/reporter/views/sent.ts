// After sending: the report was received, its reference (which is not the passphrase),
// what happens next, and a way to leave at once.
import { el } from '../../ui/dom.js';
import type { ReporterApp } from '../app.js';
import { formatDay } from '../format.js';

export function sentView(app: ReporterApp, result: { reference: string; receivedDay: string }): HTMLElement {
  const leave = el('button', { type: 'button', class: 'quick-exit' }, 'Leave this page');
  leave.addEventListener('click', () => app.exit());
  const start = el('button', { type: 'button', class: 'secondary' }, 'Back to the start');
  start.addEventListener('click', () => app.go.landing());

  return el('div', {},
    el('h1', {}, 'Your report has been received'),
    el('p', { class: 'lead' }, `It arrived on ${formatDay(result.receivedDay)}, encrypted. Only the unit can read it.`),
    el('section', { class: 'card', 'aria-labelledby': 'reference-heading' },
      el('h2', { id: 'reference-heading' }, 'Your reference'),
      el('p', { class: 'reference' }, result.reference),
      el('p', {}, 'This is not your passphrase, and it cannot open your report. You can quote it if you contact the unit or the charity about this report.'),
    ),
    el('section', { class: 'card', 'aria-labelledby': 'next-heading' },
      el('h2', { id: 'next-heading' }, 'What happens next'),
      el('ul', {},
        el('li', {}, 'The unit will confirm they have your report within 7 days.'),
        el('li', {}, 'They may have questions. We will not contact you, so come back to this website, choose “I have a passphrase” and type your words to see them and answer.'),
        el('li', {}, 'You should hear what is happening with your report within 3 months.'),
      ),
    ),
    el('div', { class: 'actions' }, leave, start),
  );
}
