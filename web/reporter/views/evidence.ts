// Evidence files, where a report or an answer is written: the reporter adds files, each is cleaned
// in the engine (hidden details out: where, when, on what device), and the list shows what each is
// sent as, its size and what was removed. A file that cannot be cleaned is left out unless the
// reporter chooses to send it anyway. The same part serves the report form and the mailbox's answer.
import { el } from '../../ui/dom.js';
import { t, type MessageKey } from '../../i18n/i18n.js';
import type { ReporterApp } from '../app.js';
import type { FileChoice, FileLimits, Finding, PreparedFile } from '../engine-api.js';
import { neutralName, sizeText } from '../evidence-names.js';

/** A file the engine holds, and the reporter's choice for one that cannot be cleaned. */
export type EvidenceFile = PreparedFile & { sendAnyway: boolean };

/** Written out, so the catalogue tests see each key used. */
const FINDING_KEYS: Record<Finding, MessageKey> = {
  location: 'evidence.removed.location',
  camera: 'evidence.removed.camera',
  date: 'evidence.removed.date',
  author: 'evidence.removed.author',
  software: 'evidence.removed.software',
  thumbnail: 'evidence.removed.thumbnail',
  comments: 'evidence.removed.comments',
  editing: 'evidence.removed.editing',
  other: 'evidence.removed.other',
};

export interface EvidencePicker {
  element: HTMLElement;
  /** The file input: what gets focus when the files have a problem. */
  control: HTMLInputElement;
  /** The files to send under their neutral names; null while a file is still being cleaned. */
  choices(): FileChoice[] | null;
  showError(message: string | null): void;
  /** After sending: the engine has taken the files, so the list starts afresh. */
  clear(): void;
}

function willSend(file: EvidenceFile): boolean {
  return !file.tooBig && ('removed' in file.cleaning || file.sendAnyway);
}

/** The files that will be sent, each under its neutral name, numbered from `firstNumber`. */
export function evidenceChoices(files: readonly EvidenceFile[], firstNumber = 1): FileChoice[] {
  let position = firstNumber;
  return files.filter(willSend).map((file) => ({ handle: file.handle, name: neutralName(position++, file.type, file.originalName) }));
}

/**
 * `files`: the list kept by the caller (the report in progress keeps it across views); `id`: the
 * input's id; `firstNumber`: the number the first file sent is named after (evidence-3.jpg when the
 * thread already has two); `announce`: a form with one field announces its own error.
 */
export function evidencePicker(app: ReporterApp, options: { files: EvidenceFile[]; limits: FileLimits; id: string; firstNumber?: number; announce?: boolean }): EvidencePicker {
  const { files, limits, id } = options;
  const firstNumber = options.firstNumber ?? 1;
  const input = el('input', { type: 'file', id, name: id, multiple: true });
  const hint = el('span', { class: 'hint', id: `${id}-hint` }, t('evidence.hint', { count: limits.maxFiles, size: sizeText(limits.maxFileBytes) }));
  const error = el('p', { class: 'error field-error', id: `${id}-error`, role: options.announce ? 'alert' : undefined });
  // What is happening to the files, said politely; focus stays where the reporter is.
  const status = el('p', { class: 'evidence-status', role: 'status' });
  const list = el('ul', { class: 'evidence-list', 'aria-label': t('evidence.listLabel') });
  input.setAttribute('aria-describedby', hint.id);
  let cleaning = 0;

  const render = () => {
    const names = new Map(evidenceChoices(files, firstNumber).map((choice) => [choice.handle, choice.name]));
    list.replaceChildren(...files.map((file) => fileItem(file, names.get(file.handle) ?? null)));
    list.hidden = files.length === 0;
  };

  const fileItem = (file: EvidenceFile, sentAs: string | null): HTMLElement => {
    const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': t('evidence.removeNamed', { name: file.originalName }) }, t('evidence.remove'));
    remove.addEventListener('click', () => {
      files.splice(files.indexOf(file), 1);
      void app.engine.dropFile(file.handle);
      render();
      status.textContent = t('evidence.removedFile', { name: file.originalName });
      input.focus();
    });
    const details: (HTMLElement | null)[] = [];
    if ('removed' in file.cleaning) {
      details.push(file.cleaning.removed.length === 0
        ? el('p', { class: 'evidence-found' }, t('evidence.nothingFound'))
        : el('ul', { class: 'evidence-found' }, ...file.cleaning.removed.map((finding) => el('li', {}, t(FINDING_KEYS[finding] ?? 'evidence.removed.other')))));
    } else if (!file.tooBig) {
      const anyway = el('input', { type: 'checkbox', id: `${id}-anyway-${file.handle}`, checked: file.sendAnyway });
      anyway.addEventListener('change', () => {
        file.sendAnyway = anyway.checked;
        render();
        document.getElementById(anyway.id)?.focus(); // the list was drawn again: keep the reporter on their choice
      });
      details.push(el('div', { class: 'evidence-warning' },
        el('p', {}, t('evidence.cannotClean')),
        el('label', { class: 'choice', for: anyway.id }, anyway, el('span', {}, t('evidence.sendAnyway')))));
    }
    if (file.tooBig) details.push(el('p', { class: 'error' }, t('evidence.tooBig', { size: sizeText(limits.maxFileBytes) })));
    return el('li', {},
      el('p', { class: 'evidence-name' }, sentAs === null ? t('evidence.leftOut', { original: file.originalName }) : t('evidence.sentAs', { original: file.originalName, name: sentAs })),
      el('p', { class: 'meta' }, sizeText(file.size)),
      ...details,
      remove,
    );
  };

  input.addEventListener('change', () => {
    const picked = [...(input.files ?? [])];
    input.value = ''; // the same file can be added again after it was removed
    void (async () => {
      for (const file of picked) {
        if (files.length + cleaning >= limits.maxFiles) {
          status.textContent = t('evidence.tooMany', { count: limits.maxFiles });
          return;
        }
        cleaning++;
        status.textContent = t('evidence.cleaning', { name: file.name });
        try {
          files.push({ ...(await app.engine.prepareFile(file)), sendAnyway: false });
          status.textContent = t('evidence.ready', { name: file.name });
        } catch {
          status.textContent = t('evidence.unreadable', { name: file.name });
        } finally {
          cleaning--;
          render();
        }
      }
    })();
  });

  render();
  const element = el('fieldset', { class: 'field evidence' },
    el('legend', {}, t('evidence.legend')),
    el('p', {}, t('evidence.intro')),
    el('label', { for: id }, t('evidence.label')), hint, error, input, status, list);
  return {
    element,
    control: input,
    choices() {
      return cleaning > 0 ? null : evidenceChoices(files, firstNumber);
    },
    showError(message) {
      error.textContent = message ?? '';
      input.setAttribute('aria-describedby', message === null ? hint.id : `${hint.id} ${error.id}`);
    },
    clear() {
      files.length = 0;
      status.textContent = '';
      render();
    },
  };
}
