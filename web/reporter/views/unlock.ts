// "I have a passphrase": typed words are checked on the device first (a typo never causes a
// request), then the engine derives the keys, with visible progress, and opens the mailbox.
import { el } from '../../ui/dom.js';
import type { ReporterApp } from '../app.js';
import { formField, PRIVATE_TEXT } from '../form-fields.js';
import { timedProgress, type TimedProgress } from '../timed-progress.js';
import { problemMessage } from './problems.js';

export function unlockView(app: ReporterApp): HTMLElement {
  // A text area, not a password field: a password field invites the browser to offer to save
  // the passphrase on this device, where the person reported on could find it. It also lets
  // all nine words be seen and checked on a narrow phone screen.
  const input = el('textarea', { id: 'passphrase', name: 'passphrase', rows: '3', class: 'passphrase-input', ...PRIVATE_TEXT });
  const field = formField(input, {
    announce: true,
    label: 'Your passphrase',
    hint: 'The 9 words you were given, in order. Capital letters and spaces do not matter, and the first 4 letters of each word are enough. Make sure nobody can see your screen.',
  });
  const open = el('button', { type: 'submit' }, 'Open my report');
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to the start');
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
    let progress: TimedProgress | null = null;
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
        fail(checked.message);
        return;
      }
      progress = timedProgress('Unlocking on this device. This usually takes a few seconds.');
      progressSlot.replaceChildren(progress.element);
      await app.engine.unlock(typed);
      progress.say('Fetching your report and messages…');
      const opened = await app.engine.readMailbox();
      progress.stop();
      app.go.mailbox(opened);
    })().catch((error: unknown) => {
      setBusy(false);
      fail(problemMessage(error));
    });
  });

  return el('div', {},
    el('h1', {}, 'Open your report'),
    el('p', { class: 'lead' }, 'Type your passphrase to see your report, read the unit’s questions and answer them.'),
    form,
  );
}
