// The returning reporter's mailbox: where the report stands, the thread (their report, the
// unit's questions, their answers, the files of each) and a box to reply, with files. Every text
// from the thread is set as text, never parsed as markup; a file is decrypted on this device and
// offered to save, never opened in the page.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReportDocument } from '../../protocol/documents.js';
import type { ReporterApp } from '../app.js';
import type { AttachmentView, FileLimits, MailboxView, ThreadItem } from '../engine-api.js';
import { formField, PRIVATE_TEXT } from '../form-fields.js';
import { categoryLabel, formatDay } from '../../i18n/labels.js';
import { bytesOverLimit, charactersToCut } from '../report-draft.js';
import { statusText } from '../status-text.js';
import { problemMessage } from './problems.js';
import { lockWhenIdle } from '../idle-lock.js';
import { evidencePicker, type EvidenceFile } from './evidence.js';
import { uploadsPanel } from './uploads.js';
import { sizeText } from '../evidence-names.js';
import { isTransferNotice } from '../engine-api.js';

export function mailboxView(app: ReporterApp, opened: MailboxView): HTMLElement {
  const statusSlot = el('div', {});
  const threadSlot = el('div', {});
  let current = opened;
  const render = (view: MailboxView) => {
    current = view;
    statusSlot.replaceChildren(statusCard(view));
    threadSlot.replaceChildren(thread(app, view.items));
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
    replyForm(app, render, () => current),
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
    view.replyBy !== null && el('p', { class: 'reply-by' }, t('mailbox.status.replyBy', { day: formatDay(view.replyBy) })),
    view.deletionDay !== null && el('p', {}, t('mailbox.deletionDay', { day: formatDay(view.deletionDay) })),
  );
}

function thread(app: ReporterApp, items: ThreadItem[]): HTMLElement {
  return el('ol', { class: 'thread', 'aria-label': t('mailbox.threadLabel') }, ...items.map((item) => threadItem(app, item)));
}

function threadItem(app: ReporterApp, item: ThreadItem): HTMLElement {
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
    item.files.length > 0 && el('ul', { class: 'attachments', 'aria-label': t('files.listLabel') }, ...item.files.map((file) => attachment(app, file))),
  );
}

/** A file of a message: its name and size, and a way to save it once it is there in full. */
function attachment(app: ReporterApp, file: AttachmentView): HTMLElement {
  const nameId = `file-${file.id}`;
  const row = el('li', {}, el('span', { id: nameId, class: 'evidence-name' }, file.name), ' ', el('span', { class: 'meta' }, sizeText(file.size)));
  if (file.state !== 'ready') {
    row.append(el('p', { class: 'meta' }, file.state === 'uploading' ? t('files.uploading') : t('files.missing')));
    return row;
  }
  const download = el('button', { type: 'button', class: 'secondary', 'aria-label': t('files.downloadNamed', { name: file.name }) }, t('files.download'));
  const status = el('p', { role: 'status', class: 'meta' });
  const slot = el('div', {}, download);
  download.addEventListener('click', () => {
    if (download.disabled) return;
    download.disabled = true;
    const bar = el('progress', { max: '1', value: '0', 'aria-labelledby': nameId });
    slot.append(bar);
    status.textContent = t('files.decrypting');
    const stop = app.engine.onNotice((notice) => {
      if (isTransferNotice(notice) && notice.transfer.id === file.id && notice.transfer.direction === 'down' && notice.transfer.total > 0) bar.value = notice.transfer.done / notice.transfer.total;
    });
    app.engine.downloadFile(file.id).then(
      (blob) => {
        // Bytes to save, typed application/octet-stream by the engine: the browser offers to save them and never shows them here.
        const save = el('a', { href: URL.createObjectURL(blob), download: file.name, class: 'button' }, t('files.save', { name: file.name }));
        slot.replaceChildren(save);
        status.textContent = t('files.ready', { name: file.name });
        save.focus();
      },
      (error: unknown) => {
        bar.remove();
        download.disabled = false;
        status.textContent = t('files.notFetched', { problem: problemMessage(error) });
      },
    ).finally(stop);
  });
  row.append(slot, status);
  return row;
}

function reportDetails(report: ReportDocument): HTMLElement {
  const rows: [string, string][] = [[t('mailbox.field.category'), categoryLabel(report.category)], [t('mailbox.field.whatHappened'), report.whatHappened]];
  if (report.whenAndWhere) rows.push([t('mailbox.field.whenAndWhere'), report.whenAndWhere]);
  if (report.anythingElse) rows.push([t('mailbox.field.anythingElse'), report.anythingElse]);
  if (report.contact) rows.push([t('mailbox.field.contact'), report.contact]);
  if (report.organisationNotSure) rows.push([t('mailbox.field.unit'), t('mailbox.field.notSure')]);
  return el('dl', { class: 'report-fields' }, ...rows.flatMap(([term, text]) => [el('dt', {}, term), el('dd', { class: 'message-text' }, text)]));
}

function replyForm(app: ReporterApp, render: (view: MailboxView) => void, current: () => MailboxView): HTMLElement {
  const input = el('textarea', { id: 'reply', name: 'reply', rows: '5', ...PRIVATE_TEXT });
  const field = formField(input, { announce: true, label: t('mailbox.reply.label'), hint: t('mailbox.reply.hint') });
  const status = el('p', { role: 'status', class: 'send-status' });
  const send = el('button', { type: 'submit' }, t('mailbox.reply.send'));
  const files: EvidenceFile[] = [];
  const evidenceSlot = el('div', {});
  const uploadsSlot = el('div', {});
  let evidence: ReturnType<typeof evidencePicker> | null = null;
  // The reporter's files are numbered on through the thread: evidence-3.jpg after two sent with the report.
  const sentSoFar = () => current().items.filter((item) => item.from === 'reporter').reduce((n, item) => n + item.files.length, 0);
  const showPicker = (limits: FileLimits) => {
    evidence = evidencePicker(app, { files, limits, id: 'reply-evidence', firstNumber: sentSoFar() + 1, announce: true });
    evidenceSlot.replaceChildren(evidence.element);
  };
  app.engine.loadConfig().then(({ limits }) => showPicker(limits), () => undefined);
  const form = el('form', { novalidate: true, 'aria-labelledby': 'reply-heading' },
    el('h2', { id: 'reply-heading' }, t('mailbox.reply.heading')),
    field.element, evidenceSlot, el('div', { class: 'actions' }, send), status, uploadsSlot,
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
    const choices = evidence ? evidence.choices() : [];
    evidence?.showError(choices === null ? t('evidence.stillCleaning') : null);
    if (choices === null) return evidence?.control.focus();
    // Disabling the button drops focus to the page body: it goes to the words saying what is happening
    // now, and stays there through sending and the thread's refresh (seconds without WebAssembly).
    send.disabled = true;
    status.textContent = t('mailbox.reply.sending');
    status.tabIndex = -1;
    status.focus();
    void (async () => {
      let uploads;
      try {
        ({ uploads } = await app.engine.reply(text, choices));
      } catch (error) {
        fail(t('mailbox.reply.notSent', { problem: problemMessage(error) }));
        status.textContent = '';
        return;
      }
      input.value = '';
      status.textContent = t('mailbox.reply.sent');
      const refresh = async () => {
        try {
          render(await app.engine.readMailbox());
        } catch {
          status.textContent = t('mailbox.reply.sentNotRefreshed');
        }
      };
      if (uploads.length > 0) {
        evidence?.clear();
        // Once every file is there, the thread is fetched again so they show as ready.
        uploadsSlot.replaceChildren(uploadsPanel(app, uploads, () => void refresh()));
      }
      await refresh();
    })().finally(() => {
      send.disabled = false;
    });
  });
  return form;
}
