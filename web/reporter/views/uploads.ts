// Sending the files of a message that has been received: a bar and a percentage per file, the
// engine's own figures (TransferNotice). A file the service lacks parts of is sent again from where
// it stopped — the engine retries by itself, and if the link keeps failing the reporter can try
// again; nothing starts from zero, and what was written is not at risk: it was received first.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReporterApp } from '../app.js';
import { isTransferNotice, type UploadItem } from '../engine-api.js';
import { sizeText } from '../evidence-names.js';

let panels = 0;

/** Starts sending at once; `onSent` runs when every file is there in full. */
export function uploadsPanel(app: ReporterApp, uploads: UploadItem[], onSent?: () => void): HTMLElement {
  const prefix = `uploads-${++panels}`;
  const status = el('p', { role: 'status', class: 'uploads-status' }, t('uploads.sending'));
  const again = el('button', { type: 'button', hidden: true }, t('uploads.tryAgain'));
  const rows = new Map(uploads.map((upload, i) => {
    const nameId = `${prefix}-file-${i}`;
    const bar = el('progress', { max: '1', value: '0', 'aria-labelledby': nameId });
    const percent = el('span', { class: 'meta' }, t('uploads.percent', { percent: 0 }));
    const row = el('li', {}, el('p', { id: nameId, class: 'evidence-name' }, t('uploads.fileName', { name: upload.name, size: sizeText(upload.size) })), bar, percent);
    return [upload.id, { row, bar, percent }] as const;
  }));
  const show = (id: string, fraction: number) => {
    const row = rows.get(id);
    if (!row) return;
    row.bar.value = fraction;
    row.percent.textContent = t('uploads.percent', { percent: Math.floor(fraction * 100) });
  };
  const stopListening = app.engine.onNotice((notice) => {
    if (isTransferNotice(notice) && notice.transfer.direction === 'up' && notice.transfer.total > 0) show(notice.transfer.id, notice.transfer.done / notice.transfer.total);
  });

  const send = async () => {
    let outcome;
    try {
      outcome = await app.engine.sendFiles();
    } catch {
      outcome = { sent: [], notSent: uploads.map((u) => u.id) };
    }
    for (const id of outcome.sent) show(id, 1);
    if (outcome.notSent.length === 0) {
      stopListening();
      again.hidden = true;
      status.textContent = t('uploads.done');
      onSent?.();
      return;
    }
    status.textContent = t('uploads.notSent');
    again.hidden = false;
  };
  again.addEventListener('click', () => {
    // The button goes while sending: focus goes to the words saying what happens now.
    status.tabIndex = -1;
    status.focus();
    again.hidden = true;
    status.textContent = t('uploads.sending');
    void send();
  });
  void send();

  return el('section', { class: 'card uploads', 'aria-labelledby': `${prefix}-heading` },
    el('h2', { id: `${prefix}-heading` }, t('uploads.heading')),
    status,
    el('ul', { class: 'evidence-list' }, ...[...rows.values()].map((r) => r.row)),
    again,
  );
}
