// The first view: what happens to what they write, what is never collected, how to stay
// safe, and the two ways in.
import { el } from '../../ui/dom.js';
import { emptyDraft, type ReporterApp } from '../app.js';

export function landingView(app: ReporterApp, notice?: string): HTMLElement {
  const makeReport = el('button', { type: 'button' }, 'Make a report');
  const havePassphrase = el('button', { type: 'button', class: 'secondary' }, 'I have a passphrase');
  makeReport.addEventListener('click', () => app.go.reportForm({ draft: emptyDraft(), words: null }));
  havePassphrase.addEventListener('click', () => app.go.unlock());

  return el('div', { class: 'landing' },
    el('h1', {}, 'Report a police officer or member of police staff, in confidence'),
    notice ? el('p', { class: 'notice', role: 'status' }, notice) : '',
    el('p', { class: 'lead' }, 'You can tell an anti-corruption unit about corruption or abuse by someone in the police without giving your name.'),
    el('div', { class: 'actions' }, makeReport, havePassphrase),

    el('section', { class: 'card', 'aria-labelledby': 'what-happens' },
      el('h2', { id: 'what-happens' }, 'What happens to what you write'),
      el('ul', {},
        el('li', {}, 'It is locked (encrypted) on this device before it is sent.'),
        el('li', {}, 'Only the anti-corruption unit you choose can unlock and read it.'),
        el('li', {}, 'The people who run this website cannot read it.'),
        el('li', {}, 'You get a passphrase: a list of words. With it, and only with it, you can come back to read the unit’s questions and answer them.'),
      ),
    ),

    el('section', { class: 'card', 'aria-labelledby': 'never-collected' },
      el('h2', { id: 'never-collected' }, 'What we never collect'),
      el('ul', {},
        el('li', {}, 'We do not ask for your name, e-mail address or phone number.'),
        el('li', {}, 'We do not keep your IP address (the address of your internet connection).'),
        el('li', {}, 'We use no cookies, and nothing is saved on this device.'),
        el('li', {}, 'We will never e-mail you or send you a text message.'),
      ),
    ),

    el('section', { class: 'card', 'aria-labelledby': 'stay-safe' },
      el('h2', { id: 'stay-safe' }, 'Staying safe'),
      el('ul', {},
        el('li', {}, 'Use a phone or computer that the person you are reporting cannot check.'),
        el('li', {}, 'To leave quickly, press “Quick exit” at the top, or press the Shift key three times. This page is replaced by a weather page.'),
        el('li', {}, 'If you are in danger now, call 999.'),
      ),
    ),
  );
}
