// The returning reporter's mailbox: where the report stands, the thread (their report, the
// unit's questions, their answers) and a box to reply. Every text from the thread is set as
// text, never parsed as markup.
import { el } from '../../ui/dom.js';
import type { ReportDocument } from '../../protocol/documents.js';
import type { ReporterApp } from '../app.js';
import type { MailboxView, ThreadItem } from '../engine-api.js';
import { formField, PRIVATE_TEXT } from '../form-fields.js';
import { categoryLabel, formatDay } from '../format.js';
import { bytesOverLimit, tooLongMessage } from '../report-draft.js';
import { STATUS_TEXT } from '../status-text.js';
import { problemMessage } from './problems.js';

export function mailboxView(app: ReporterApp, opened: MailboxView): HTMLElement {
  const statusSlot = el('div', {});
  const threadSlot = el('div', {});
  const render = (view: MailboxView) => {
    statusSlot.replaceChildren(statusCard(view));
    threadSlot.replaceChildren(thread(view.items));
  };
  render(opened);

  const lock = el('button', { type: 'button', class: 'secondary' }, 'Lock my report');
  lock.addEventListener('click', () => {
    void app.engine.forget();
    app.go.landing();
  });

  const root = el('div', {},
    el('h1', {}, 'Your report'),
    statusSlot,
    el('h2', {}, 'Messages'),
    threadSlot,
    replyForm(app, render),
    el('section', { class: 'card', 'aria-labelledby': 'lock-heading' },
      el('h2', { id: 'lock-heading' }, 'When you have finished'),
      el('p', {}, 'Lock your report to remove it from this page. You will need your passphrase to open it again. Or use “Quick exit” to leave at once.'),
      lock,
    ),
  );
  lockWhenIdle(app, root);
  return root;
}

/** An open report left alone is locked: someone who picks up the device later finds only the start. */
export const IDLE_LOCK_MS = 10 * 60 * 1000;
const IDLE_LOCK_NOTICE = 'Your report was locked because nothing happened for 10 minutes, so nobody else can read it on this device. Enter your passphrase to open it again.';

function lockWhenIdle(app: ReporterApp, root: HTMLElement): void {
  const listening = new AbortController();
  let timer = 0;
  const restart = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      listening.abort();
      if (!root.isConnected) return; // already left this view another way
      void app.engine.forget();
      app.go.landing(IDLE_LOCK_NOTICE);
    }, IDLE_LOCK_MS);
  };
  for (const type of ['keydown', 'pointerdown', 'input', 'scroll'] as const) document.addEventListener(type, restart, { signal: listening.signal, passive: true });
  restart();
}

function statusCard(view: MailboxView): HTMLElement {
  const status = STATUS_TEXT[view.status];
  return el('section', { class: 'card', 'aria-labelledby': 'status-heading' },
    el('h2', { id: 'status-heading' }, 'Where your report is now: ', el('span', { class: 'status' }, status.label)),
    el('p', {}, status.explanation),
    el('p', { class: 'meta' }, `Reference ${view.reference} · received ${formatDay(view.receivedDay)}`),
  );
}

function thread(items: ThreadItem[]): HTMLElement {
  return el('ol', { class: 'thread', 'aria-label': 'Messages, oldest first' }, ...items.map(threadItem));
}

function threadItem(item: ThreadItem): HTMLElement {
  const fromUnit = item.from === 'organisation';
  const doc = item.document;
  const who = fromUnit ? `From ${item.organisationName ?? 'the unit'}` : doc?.kind === 'report' ? 'Your report' : 'You wrote';
  // A message that did not verify is one message that cannot be shown, never a reason to doubt the passphrase.
  const body = doc === null
    ? el('p', { class: 'unverified' }, 'This message could not be checked: it may have been changed, or a message before it may be missing. It is not shown.')
    : doc.kind === 'report' ? reportDetails(doc)
    : doc.kind === 'status' ? el('p', { class: 'message-text' }, `The unit changed the status to “${STATUS_TEXT[doc.status].label}”.`)
    : el('p', { class: 'message-text' }, doc.text);
  return el('li', { class: fromUnit ? 'from-organisation' : 'from-reporter' },
    el('p', { class: 'meta' }, el('strong', {}, who), ` · ${formatDay(item.day)}`),
    body,
  );
}

function reportDetails(report: ReportDocument): HTMLElement {
  const rows: [string, string][] = [['What it is about', categoryLabel(report.category)], ['What happened', report.whatHappened]];
  if (report.whenAndWhere) rows.push(['When and where', report.whenAndWhere]);
  if (report.anythingElse) rows.push(['Anything else', report.anythingElse]);
  if (report.contact) rows.push(['Your contact details', report.contact]);
  if (report.organisationNotSure) rows.push(['Which unit', 'You were not sure, so it went to the first unit on the list.']);
  return el('dl', { class: 'report-fields' }, ...rows.flatMap(([term, text]) => [el('dt', {}, term), el('dd', { class: 'message-text' }, text)]));
}

function replyForm(app: ReporterApp, render: (view: MailboxView) => void): HTMLElement {
  const input = el('textarea', { id: 'reply', name: 'reply', rows: '5', ...PRIVATE_TEXT });
  const field = formField(input, { announce: true, label: 'Your message', hint: 'Answer the unit’s questions, or add something you remember. It is encrypted on this device before it is sent.' });
  const status = el('p', { role: 'status', class: 'send-status' });
  const send = el('button', { type: 'submit' }, 'Send message');
  const form = el('form', { novalidate: true, 'aria-labelledby': 'reply-heading' },
    el('h2', { id: 'reply-heading' }, 'Send a message to the unit'),
    field.element, el('div', { class: 'actions' }, send), status,
  );

  const fail = (message: string) => {
    field.showError(message);
    input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send.disabled) return;
    const text = input.value.trim();
    field.showError(null);
    status.textContent = '';
    if (text === '') return fail('Write your message first.');
    const over = bytesOverLimit({ kind: 'message', text });
    if (over > 0) return fail(tooLongMessage('Your message', over, 'You can send the rest as another message.'));
    send.disabled = true;
    status.textContent = 'Encrypting and sending…';
    void (async () => {
      try {
        await app.engine.reply(text);
      } catch (error) {
        fail(`Your message has not been sent. ${problemMessage(error)}`);
        return;
      }
      input.value = '';
      status.textContent = 'Your message has been sent.';
      try {
        render(await app.engine.readMailbox());
      } catch {
        status.textContent = 'Your message has been sent, but the list of messages could not be refreshed. Lock your report and open it again to see it.';
      }
      // The button was disabled while sending, which drops focus to the page: put it on the outcome.
      status.tabIndex = -1;
      status.focus();
    })().finally(() => {
      send.disabled = false;
    });
  });
  return form;
}
