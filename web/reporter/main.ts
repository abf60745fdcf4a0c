// The reporter's page: talks to the engine (a Web Worker, started by engine-start.ts), installs the quick exit and swaps
// views inside <main>. It never touches the URL, the title or history, so there is nothing
// to go back to and the passphrase can never appear in an address bar or a tab title.
// Its language is the one its address names (/cy/ → Welsh): the build made one page per offered
// language, each with its own catalogue inside, so this page never fetches another's.
import { connectEngine } from '../ui/engine-rpc.js';
import { byId, el, showView } from '../ui/dom.js';
import { installQuickExit } from '../ui/quick-exit.js';
import { t, usePageCatalogue } from '../i18n/i18n.js';
import type { ReporterApp } from './app.js';
import type { ReporterEngine } from './engine-api.js';
import { landingView } from './views/landing.js';
import { reportFormView } from './views/report-form.js';
import { passphraseView } from './views/passphrase.js';
import { confirmView } from './views/confirm.js';
import { sentView } from './views/sent.js';
import { unlockView } from './views/unlock.js';
import { mailboxView } from './views/mailbox.js';
// The engine was started by the page's other script (engine-start.ts, run as soon as it arrived): in the page build this
// import is that file, /static/reporter-start.js, not a copy of it.
import { engineFailed, engineWorker } from './engine-start.js';

usePageCatalogue();
const engine = connectEngine<ReporterEngine>(engineWorker);
const view = byId('view');
const quickExitButton = byId('quick-exit');

// Ending the worker drops every key it holds; quick-exit.ts then blanks the page and leaves.
installQuickExit({ button: quickExitButton, onExit: () => engine.terminate(), exitTitle: t('page.exitTitle') });

// The links to the other languages load another page, which would lose a report being written or
// an open mailbox: they are offered on the first view only.
// The footer's links to the information pages likewise; who runs the service and the other ways to
// report stay on every view.
const languages = document.getElementById('languages');
const footerLinks = document.querySelector<HTMLElement>('footer nav');
const show = (content: HTMLElement, isLanding = false) => {
  if (languages) languages.hidden = !isLanding;
  if (footerLinks) footerLinks.hidden = !isLanding;
  showView(view, content);
};

const app: ReporterApp = {
  engine,
  timers: { setTimeout: (run, ms) => window.setTimeout(run, ms), clearTimeout: (id) => window.clearTimeout(id) },
  exit: () => quickExitButton.click(),
  go: {
    landing: () => show(landingView(app), true),
    reportForm: (report) => show(reportFormView(app, report)),
    passphrase: (report) => show(passphraseView(app, report)),
    confirm: (report) => show(confirmView(app, report)),
    sent: (result) => show(sentView(app, result)),
    unlock: (notice?: string) => show(unlockView(app, notice)),
    mailbox: (opened) => show(mailboxView(app, opened)),
  },
};

// Leaving the page by any other way also drops the keys and the view. Should the browser
// keep the page in its back-forward cache anyway, coming back starts afresh.
window.addEventListener('pagehide', () => {
  engine.terminate();
  view.replaceChildren();
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) window.location.reload();
});

// If the engine cannot start or breaks, nothing can be encrypted: say so rather than wait for ever.
void engineFailed.then(() => {
  show(el('section', { class: 'card' },
    el('h1', {}, t('page.stopped.heading')),
    el('p', {}, t('page.stopped.text'))));
});

app.go.landing();
