// The passphrase, shown once: large numbered words, a copy button, and how to keep it.
// The engine makes it (CSPRNG) and starts the slow key derivation straight away, so that
// sending is quick once the reporter has confirmed it.
import { el } from '../../ui/dom.js';
import type { ReportInProgress, ReporterApp } from '../app.js';
import { loadingFailed } from './problems.js';

export function passphraseView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const body = el('div', {}, el('p', { role: 'status' }, 'Making your passphrase…'));
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
  return el('div', {}, el('h1', {}, 'Your passphrase'), body);
}

function passphraseContent(app: ReporterApp, report: ReportInProgress, words: string[]): HTMLElement {
  const copied = el('p', { class: 'copy-status', role: 'status' });
  const copy = el('button', { type: 'button', class: 'secondary' }, 'Copy the words');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(words.join(' ')).then(
      () => {
        copied.textContent = 'The words are on your clipboard. Paste them somewhere safe, then copy something else, so they do not stay on the clipboard.';
      },
      () => {
        copied.textContent = 'This browser would not copy the words. Please write them down instead.';
      },
    );
  });

  const next = el('button', { type: 'button' }, 'I have written it down');
  next.addEventListener('click', () => app.go.confirm(report));
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to my report');
  back.addEventListener('click', () => app.go.reportForm(report));

  return el('div', {},
    el('p', { class: 'lead' }, 'This is the only way back to your report. Write these words down now, in this order.'),
    el('ol', { class: 'passphrase', role: 'list', 'aria-label': 'Passphrase words, in order' }, ...words.map((word) => el('li', {}, word))),
    el('div', { class: 'actions' }, copy),
    copied,
    el('section', { class: 'card', 'aria-labelledby': 'keep-it' },
      el('h2', { id: 'keep-it' }, 'Keeping it safe'),
      el('ul', {},
        el('li', {}, 'Write the words on paper, and keep it where the person you are reporting will not find it.'),
        el('li', {}, 'A photo or screenshot can be found by anyone who looks through your phone.'),
        el('li', {}, 'Without the passphrase nobody can get back into your report — not even us. We cannot reset it or send it to you.'),
        el('li', {}, 'Capital letters and spaces do not matter when you type it, and the first 4 letters of each word are enough.'),
      ),
    ),
    el('p', { class: 'notice' }, 'Your report has not been sent yet. Next, you check three of the words, and then it is sent.'),
    el('div', { class: 'actions' }, next, back),
  );
}
