// The returning reporter's mailbox: where the report stands, the thread (their report, the
// unit's questions, their answers) and a box to reply. Every text from the thread is set as
// text, never parsed as markup.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReportDocument } from '../../protocol/documents.js';
import type { ReporterApp } from '../app.js';
import type { MailboxView, ThreadItem } from '../engine-api.js';
import { formField, PRIVATE_TEXT } from '../form-fields.js';
import { categoryLabel, formatDay } from '../../i18n/labels.js';
import { bytesOverLimit, charactersToCut } from '../report-draft.js';
import { statusText } from '../status-text.js';
import { problemMessage } from './problems.js';
import { lockWhenIdle } from '../idle-lock.js';

export function mailboxView(app: ReporterApp, opened: MailboxView): HTMLElement {
  const statusSlot = el('div', {});
  const threadSlot = el('div', {});
  const render = (view: MailboxView) => {
    statusSlot.replaceChildren(statusCard(view));
    threadSlot.replaceChildren(thread(view.items));
  };
  render(opened);

  const lock = el('button', { type: 'button', class: 'secondary' }, t('mailbox.lock'));
  lock.addEventListener('click', () => {
    void app.engine.forget();
    app.go.landing();
  });

  const root = el('div', {},
    el('h1', {}, t('mailbox.heading')),
    statusSlot,
    el('h2', {}, t('mailbox.messages')),
    threadSlot,
    replyForm(app, render),
    el('section', { class: 'card', 'aria-labelledby': 'lock-heading' },
      el('h2', { id: 'lock-heading' }, t('mailbox.finished.heading')),
      el('p', {}, t('mailbox.finished.text')),
      lock,
    ),
  );
  lockAfterIdle(app, root);
  return root;
}

/**
 * An open report left alone is locked: someone who picks up the device later finds only the
 * passphrase box. Ten minutes is longer than reading a long thread or writing an answer takes
 * between two key presses (typing, scrolling and touching all count as use), and short enough
 * that a phone put down in a shared home is not left open for long.
 */
export const IDLE_LOCK_MS = 10 * 60 * 1000;

function lockAfterIdle(app: ReporterApp, root: HTMLElement): void {
  lockWhenIdle({
    idleMs: IDLE_LOCK_MS,
    activity: document,
    timers: app.timers,
    onIdle: () => {
      if (!root.isConnected) return; // already left this view another way
      void app.engine.forget();
      app.go.unlock(t('mailbox.idleLocked', { minutes: IDLE_LOCK_MS / 60_000 }));
    },
  });
}

function statusCard(view: MailboxView): HTMLElement {
  const status = statusText(view.status);
  return el('section', { class: 'card', 'aria-labelledby': 'status-heading' },
    el('h2', { id: 'status-heading' }, t('mailbox.status.heading'), el('span', { class: 'status' }, status.label)),
    el('p', {}, status.explanation),
    el('p', { class: 'meta' }, t('mailbox.status.meta', { reference: view.reference, day: formatDay(view.receivedDay) })),
  );
}

function thread(items: ThreadItem[]): HTMLElement {
  return el('ol', { class: 'thread', 'aria-label': t('mailbox.threadLabel') }, ...items.map(threadItem));
}

function threadItem(item: ThreadItem): HTMLElement {
  const fromUnit = item.from === 'organisation';
  const doc = item.document;
  const who = fromUnit ? (item.organisationName === null ? t('mailbox.from.unitFallback') : t('mailbox.from.unit', { unit: item.organisationName })) : doc?.kind === 'report' ? t('mailbox.from.yourReport') : t('mailbox.from.you');
  // A message that did not verify is one message that cannot be shown, never a reason to doubt the passphrase.
  const body = doc === null
    ? el('p', { class: 'unverified' }, t('mailbox.unverified'))
    : doc.kind === 'report' ? reportDetails(doc)
    : doc.kind === 'status' ? el('p', { class: 'message-text' }, t('mailbox.statusChanged', { status: statusText(doc.status).label }))
    : el('p', { class: 'message-text' }, doc.text);
  return el('li', { class: fromUnit ? 'from-organisation' : 'from-reporter' },
    el('p', { class: 'meta' }, el('strong', {}, who), ` · ${formatDay(item.day)}`),
    body,
  );
}

function reportDetails(report: ReportDocument): HTMLElement {
  const rows: [string, string][] = [[t('mailbox.field.category'), categoryLabel(report.category)], [t('mailbox.field.whatHappened'), report.whatHappened]];
  if (report.whenAndWhere) rows.push([t('mailbox.field.whenAndWhere'), report.whenAndWhere]);
  if (report.anythingElse) rows.push([t('mailbox.field.anythingElse'), report.anythingElse]);
  if (report.contact) rows.push([t('mailbox.field.contact'), report.contact]);
  if (report.organisationNotSure) rows.push([t('mailbox.field.unit'), t('mailbox.field.notSure')]);
  return el('dl', { class: 'report-fields' }, ...rows.flatMap(([term, text]) => [el('dt', {}, term), el('dd', { class: 'message-text' }, text)]));
}

function replyForm(app: ReporterApp, render: (view: MailboxView) => void): HTMLElement {
  const input = el('textarea', { id: 'reply', name: 'reply', rows: '5', ...PRIVATE_TEXT });
  const field = formField(input, { announce: true, label: t('mailbox.reply.label'), hint: t('mailbox.reply.hint') });
  const status = el('p', { role: 'status', class: 'send-status' });
  const send = el('button', { type: 'submit' }, t('mailbox.reply.send'));
  const form = el('form', { novalidate: true, 'aria-labelledby': 'reply-heading' },
    el('h2', { id: 'reply-heading' }, t('mailbox.reply.heading')),
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
    if (text === '') return fail(t('mailbox.reply.empty'));
    const over = bytesOverLimit({ kind: 'message', text });
    if (over > 0) return fail(t('mailbox.reply.tooLong', { characters: charactersToCut(over) }));
    // Disabling the button drops focus to the page body: it goes to the words saying what is happening
    // now, and stays there through sending and the thread's refresh (seconds without WebAssembly).
    send.disabled = true;
    status.textContent = t('mailbox.reply.sending');
    status.tabIndex = -1;
    status.focus();
    void (async () => {
      try {
        await app.engine.reply(text);
      } catch (error) {
        fail(t('mailbox.reply.notSent', { problem: problemMessage(error) }));
        status.textContent = '';
        return;
      }
      input.value = '';
      status.textContent = t('mailbox.reply.sent');
      try {
        render(await app.engine.readMailbox());
      } catch {
        status.textContent = t('mailbox.reply.sentNotRefreshed');
      }
    })().finally(() => {
      send.disabled = false;
    });
  });
  return form;
}
