// The files a reply carries: chosen by the investigator, cleaned on this device of what could
// identify someone (a colleague's name as a document's author, a phone's position in a photo),
// listed with what was removed, and each given a neutral name ("document-1.pdf") so the original
// name, which may say who wrote it, does not travel.
import { el } from '../../ui/dom.js';
import { t, tNodes, type MessageKey } from '../../i18n/i18n.js';
import type { OutgoingFile } from '../engine-api.js';
import { fileSizeLabel } from '../labels.js';
import type { Cleaned, Finding } from '../../files/index.js';
import { loadFileCleaner } from '../../files/load-page.js';
// documents.ts itself, not the protocol index: the page bundle stays free of libsodium.
import { isAttachmentType, MAX_ATTACHMENTS } from '../../protocol/documents.js';

const FINDING_KEYS: Record<Finding, MessageKey> = {
  location: 'case.files.finding.location',
  camera: 'case.files.finding.camera',
  date: 'case.files.finding.date',
  author: 'case.files.finding.author',
  software: 'case.files.finding.software',
  thumbnail: 'case.files.finding.thumbnail',
  comments: 'case.files.finding.comments',
  editing: 'case.files.finding.editing',
  other: 'case.files.finding.other',
};

const TYPE_EXTENSIONS: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'application/pdf': '.pdf' };

interface Chosen {
  original: string;
  cleaned: Cleaned;
  source: File;
}

/** ".pdf" from the original name when it has a plain extension; none otherwise. */
function extensionOf(name: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}

function findingsText(cleaned: Cleaned): string {
  if (cleaned.outcome === 'cannot_clean') return cleaned.reason === 'unreadable' ? t('case.files.unreadable') : t('case.files.cannotClean');
  if (cleaned.removed.length === 0) return t('case.files.nothingFound');
  return t('case.files.removed', { list: cleaned.removed.map((f) => t(FINDING_KEYS[f])).join(', ') });
}

export interface ReplyFiles {
  element: HTMLElement;
  /** The files to send, cleaned where they could be, under neutral names. */
  files(): OutgoingFile[];
  /** True while chosen files are still being cleaned. */
  busy(): boolean;
}

export function replyFiles(announce: (text: string) => void): ReplyFiles {
  const chosen: Chosen[] = [];
  let cleaning = 0;
  const input = el('input', { type: 'file', id: 'reply-files', name: 'files', multiple: true, 'aria-describedby': 'reply-files-hint' });
  const list = el('ul', { class: 'chosen-files' });
  const problem = el('p', { class: 'error', role: 'alert' });
  const neutralName = (index: number) => `document-${index + 1}`;
  // A cleaner may change the type (a photo re-encoded as JPEG): the name follows what is sent.
  const nameOf = (c: Chosen, index: number) =>
    neutralName(index) + ((c.cleaned.outcome === 'cleaned' ? TYPE_EXTENSIONS[c.cleaned.type] : undefined) ?? extensionOf(c.original));

  function render(): void {
    list.replaceChildren(...chosen.map((c, index) => {
      const name = nameOf(c, index);
      const remove = el('button', { type: 'button', class: 'secondary' }, ...tNodes('case.files.remove', { name }, { hidden: (chunks) => el('span', { class: 'visually-hidden' }, ...chunks) }));
      remove.addEventListener('click', () => {
        chosen.splice(index, 1);
        render();
        announce(t('case.files.removedFromReply', { name }));
        input.focus();
      });
      const size = c.cleaned.outcome === 'cleaned' ? c.cleaned.bytes.size : c.source.size;
      return el('li', { class: c.cleaned.outcome === 'cleaned' ? 'chosen-file' : 'chosen-file not-cleaned' },
        el('p', { class: 'file-about' }, el('span', { class: 'file-name' }, name), ' ', el('span', { class: 'hint' }, t('case.files.chosenFrom', { original: c.original, size: fileSizeLabel(size) }))),
        el('p', { class: c.cleaned.outcome === 'cleaned' ? 'hint' : 'warning' }, findingsText(c.cleaned)),
        el('div', { class: 'actions' }, remove));
    }));
  }

  input.addEventListener('change', async () => {
    problem.textContent = '';
    const picked = [...(input.files ?? [])];
    input.value = '';
    if (chosen.length + picked.length > MAX_ATTACHMENTS) {
      problem.textContent = t('case.files.tooMany', { count: MAX_ATTACHMENTS });
      return;
    }
    cleaning++;
    try {
      for (const file of picked) {
        let cleaned: Cleaned;
        try {
          cleaned = await (await loadFileCleaner()).cleanFile(file, file.type);
        } catch {
          cleaned = { outcome: 'cannot_clean', reason: 'unreadable' };
        }
        chosen.push({ original: file.name, cleaned, source: file });
      }
    } finally {
      cleaning--;
    }
    render();
    announce(t('case.files.added', { count: picked.length }));
  });

  const element = el('div', { class: 'reply-files' },
    el('label', { for: 'reply-files' }, t('case.files.attachLabel')),
    el('span', { id: 'reply-files-hint', class: 'hint' }, t('case.files.attachHint')),
    input, problem, list);
  return {
    element,
    busy: () => cleaning > 0,
    files: () => chosen.map((c, index) => c.cleaned.outcome === 'cleaned'
      ? { bytes: c.cleaned.bytes, name: nameOf(c, index), type: c.cleaned.type }
      // A type that cannot be cleaned goes as it is, as the list warned; its type is the browser's guess, if the protocol takes it.
      : { bytes: c.source, name: nameOf(c, index), type: isAttachmentType(c.source.type) ? c.source.type : 'application/octet-stream' }),
  };
}
