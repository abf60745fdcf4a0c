// "I have a passphrase": typed words are checked on the device first (a typo never causes a
// request), then the engine derives the keys, with visible progress, and opens the mailbox.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReporterApp } from '../app.js';
import { formField, PRIVATE_TEXT } from '../form-fields.js';
import { derivationProgress, type DerivationProgress } from '../timed-progress.js';
import { problemMessage } from './problems.js';
import { passphraseProblemMessage } from '../passphrase-problems.js';

export function unlockView(app: ReporterApp, notice?: string): HTMLElement {
  // A text area, not a password field: a password field invites the browser to offer to save
  // the passphrase on this device, where the person reported on could find it. It also lets
  // all nine words be seen and checked on a narrow phone screen.
  const input = el('textarea', { id: 'passphrase', name: 'passphrase', rows: '3', class: 'passphrase-input', ...PRIVATE_TEXT });
  const field = formField(input, {
    announce: true,
    label: t('unlock.label'),
    hint: `${t('unlock.hint')} ${t('unlock.englishWords')}`,
  });
  const open = el('button', { type: 'submit' }, t('unlock.open'));
  const back = el('button', { type: 'button', class: 'secondary' }, t('unlock.backToStart'));
  back.addEventListener('click', () => app.go.landing());
  const progressSlot = el('div', {});
  const form = el('form', { novalidate: true }, field.element, el('div', { class: 'actions' }, open, back), progressSlot);

  // The passphrase has no line breaks: Enter opens, as in a one-line field.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const fail = (message: string) => {
    field.showError(message);
    input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (open.disabled) return;
    field.showError(null);
    const typed = input.value;
    let progress: DerivationProgress | null = null;
    const setBusy = (busy: boolean) => {
      open.disabled = busy;
      back.disabled = busy;
      input.readOnly = busy;
      if (!busy) {
        progress?.stop();
        progressSlot.replaceChildren();
      }
    };
    setBusy(true);
    void (async () => {
      // On the device only: no request is made for a passphrase that cannot be right.
      const checked = await app.engine.checkPassphrase(typed);
      if (!checked.ok) {
        setBusy(false);
        fail(passphraseProblemMessage(checked.problem, typed));
        return;
      }
      progress = derivationProgress(app.engine, t('unlock.unlocking'));
      progressSlot.replaceChildren(progress.element);
      await app.engine.unlock(typed);
      progress.say(t('unlock.fetching'));
      const opened = await app.engine.readMailbox();
      progress.stop();
      app.go.mailbox(opened);
    })().catch((error: unknown) => {
      setBusy(false);
      fail(problemMessage(error));
    });
  });

  return el('div', {},
    el('h1', {}, t('unlock.heading')),
    notice ? el('p', { class: 'notice', role: 'status' }, notice) : '',
    el('p', { class: 'lead' }, t('unlock.lead')),
    form,
  );
}
