// A message's files in the case view: what each is (the sender's name, type and size), and
// Download or View. Both decrypt in the engine, streaming, into a Blob; the file is saved under a
// safe name as application/octet-stream, and an image (JPEG, PNG, WebP by its bytes) is shown only
// in a sandboxed frame, whose opaque origin shares nothing with the console's. Nothing a sender
// chose ever runs or renders in the console's own origin.
import { el } from '../../ui/dom.js';
import { t, tNodes } from '../../i18n/i18n.js';
import type { AttachmentView } from '../engine-api.js';
import { fileSizeLabel } from '../labels.js';
import { mayBeViewable, safeDownloadName, sniffImageType, SNIFF_BYTES } from '../attachment-safety.js';
import { alertLine, whileBusy } from './parts.js';

export interface AttachmentActions {
  /** Decrypts the file; `progress` gets the bytes done so far. */
  download(attachment: AttachmentView, progress: (done: number, total: number) => void): Promise<Blob>;
  describe(error: unknown): string;
}

/** How long a saved file's blob: URL stays, so the browser has taken the file before it is revoked. */
const DOWNLOAD_URL_LIFETIME_MS = 10_000;

let nextId = 0;

/** A labelled <progress> with its percentage as text, for a file being moved. */
export function transferProgress(label: string): { element: HTMLElement; update(done: number, total: number): void } {
  const id = `transfer-${++nextId}`;
  const bar = el('progress', { id, max: '100', value: '0' });
  const percent = el('span', { class: 'percent' }, t('case.files.percent', { fraction: 0 }));
  const element = el('div', { class: 'transfer' }, el('label', { for: id }, label), bar, percent);
  return {
    element,
    update(done, total) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      bar.value = Math.round(fraction * 100);
      percent.textContent = t('case.files.percent', { fraction });
    },
  };
}

/** Decrypts with a progress bar shown in `place` while it runs. */
async function decryptShowingProgress(actions: AttachmentActions, attachment: AttachmentView, place: HTMLElement): Promise<Blob> {
  const progress = transferProgress(t('case.files.decrypting', { name: attachment.name }));
  place.replaceChildren(progress.element);
  try {
    return await actions.download(attachment, progress.update);
  } finally {
    progress.element.remove();
  }
}

async function sniffed(blob: Blob) {
  return sniffImageType(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
}

function failureText(actions: AttachmentActions, failure: unknown): string {
  // A file that does not decrypt whole was altered, cut short, or is not the one described.
  return (failure as { name?: string }).name === 'ProtocolError' ? t('case.files.failedCheck') : actions.describe(failure);
}

function attachmentItem(attachment: AttachmentView, actions: AttachmentActions): HTMLLIElement {
  const hidden = (chunks: string[]) => el('span', { class: 'visually-hidden' }, ...chunks);
  const about = el('p', { class: 'file-about' },
    el('span', { class: 'file-name' }, attachment.name), ' ',
    el('span', { class: 'hint' }, t('case.files.typeAndSize', { type: attachment.type || t('case.files.unknownType'), size: fileSizeLabel(attachment.size) })));
  const item = el('li', { class: 'attachment' }, about);
  if (attachment.state !== 'ready') {
    item.append(el('p', { class: 'hint' }, attachment.state === 'uploading' ? t('case.files.stillUploading') : t('case.files.notReceived')));
    return item;
  }
  const transfer = el('div', {});
  const notice = el('p', { class: 'notice', role: 'status' });
  const error = alertLine(`file-error-${++nextId}`);
  const frameArea = el('div', {});
  // One decryption per item: the Blob is kept for the item's life, so View after Download (or
  // the other way round) does not decrypt the file again.
  let decrypted: Promise<Blob> | null = null;
  const decryptOnce = () => {
    decrypted ??= decryptShowingProgress(actions, attachment, transfer).catch((failure: unknown) => {
      decrypted = null;
      throw failure;
    });
    return decrypted;
  };
  /** A button that decrypts (once), then hands the Blob and its sniffed image type to `use`; a failure is put into words. */
  const decryptingButton = (label: (string | Node)[], use: (blob: Blob, type: Awaited<ReturnType<typeof sniffed>>, button: HTMLButtonElement) => void) => {
    const button = el('button', { type: 'button', class: 'secondary' }, ...label);
    button.addEventListener('click', () => void whileBusy(button, t('case.files.working'), async () => {
      error.textContent = '';
      notice.textContent = '';
      try {
        const blob = await decryptOnce();
        use(blob, await sniffed(blob), button);
      } catch (failure) {
        error.textContent = failureText(actions, failure);
      }
    }));
    return button;
  };
  const buttons = el('div', { class: 'actions' }, decryptingButton(tNodes('case.files.download', { name: attachment.name }, { hidden }), (blob, type) => {
    const name = safeDownloadName(attachment.name, type);
    saveAs(blob, name);
    notice.textContent = t('case.files.saved', { name });
  }));
  if (mayBeViewable(attachment.type)) {
    buttons.append(decryptingButton(tNodes('case.files.view', { name: attachment.name }, { hidden }), (blob, type, button) => {
      if (!type) {
        error.textContent = t('case.files.notAnImage');
        return;
      }
      frameArea.replaceChildren(...imageFrame(attachment.name, new Blob([blob], { type }), () => button.focus()));
    }));
  }
  item.append(buttons, transfer, notice, error, frameArea);
  return item;
}

/** Offers the bytes as a download: typed application/octet-stream, so the browser never opens or renders them itself. */
export function saveAs(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob.type === 'application/octet-stream' ? blob : new Blob([blob], { type: 'application/octet-stream' }));
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/**
 * The image in an <iframe sandbox="">: no scripts, no forms, no plugins, and an opaque origin,
 * so even a browser's image decoder bug cannot reach the console's page or its engine. The
 * blob: URL is revoked once the frame has loaded it.
 */
function imageFrame(name: string, image: Blob, closed: () => void): Node[] {
  const url = URL.createObjectURL(image);
  const frame = el('iframe', { sandbox: '', src: url, title: t('case.files.frameTitle', { name }), class: 'attachment-frame', referrerpolicy: 'no-referrer' });
  frame.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
  const close = el('button', { type: 'button', class: 'secondary' }, ...tNodes('case.files.closeImage', { name }, { hidden: (chunks) => el('span', { class: 'visually-hidden' }, ...chunks) }));
  close.addEventListener('click', () => {
    URL.revokeObjectURL(url);
    frame.remove();
    close.remove();
    closed();
  });
  return [frame, el('div', { class: 'actions' }, close)];
}

/** The files of one message, or nothing when it has none. */
export function attachmentList(attachments: readonly AttachmentView[], actions: AttachmentActions): HTMLElement | null {
  if (attachments.length === 0) return null;
  const id = `files-${++nextId}`;
  return el('div', { class: 'attachments' },
    el('p', { id, class: 'attachments-heading' }, t('case.files.heading', { count: attachments.length })),
    el('ul', { 'aria-labelledby': id }, ...attachments.map((a) => attachmentItem(a, actions))));
}
