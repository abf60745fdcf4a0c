// Case view: the decrypted report, the thread with the reporter, a reply box (with an
// optional status change in the same action) and a separate status control.
import { el } from '../../ui/dom.js';
import type { ReportDocument } from '../../protocol/documents.js';
import { MAX_PLAINTEXT_BYTES } from '../../protocol/labels.js';
import type { CaseDetailView, CaseStatus, OtherOrganisation, ThreadItem } from '../engine-api.js';
import { STATUSES, UNVERIFIED_TEXT, categoryLabel, problemLabel, statusLabel } from '../labels.js';
import { alertLine, dayElement, present, whileBusy } from './parts.js';

export interface CaseViewOptions {
  detail: CaseDetailView;
  notice?: string;
  back(): void;
  /** Fetch and decrypt the case again, e.g. to see a reporter's new answer. */
  refresh(): Promise<void>;
  /** Resolve after the view has been refreshed; throw to show an error next to the form. */
  reply(text: string, status: CaseStatus | null): Promise<void>;
  setStatus(status: CaseStatus): Promise<void>;
  /** An error as words for a person. */
  describe(error: unknown): string;
  /** The organisations this case could be passed to. */
  otherOrganisations(): Promise<OtherOrganisation[]>;
  /** Resolves once the next view is shown. */
  passOn(organisation: OtherOrganisation, keepAccess: boolean): Promise<void>;
}

function unverifiedWarning(item: Extract<ThreadItem, { problem: string }>): HTMLElement {
  return el('p', { class: 'unverified' }, el('strong', {}, 'Could not be verified. '), UNVERIFIED_TEXT, ` (Reason: ${problemLabel(item.problem)}.)`);
}

function fact(term: string, ...value: (Node | string)[]): Node[] {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function reportSection(item: ThreadItem | undefined): HTMLElement {
  const section = el('section', { class: 'card', 'aria-labelledby': 'report-heading' }, el('h2', { id: 'report-heading' }, 'Report'));
  if (!item) {
    section.append(el('p', {}, 'This case has no report text.'));
    return section;
  }
  if (item.problem !== null) {
    section.append(el('p', { class: 'meta' }, 'Received ', dayElement(item.day)), unverifiedWarning(item));
    return section;
  }
  const report = item.document as ReportDocument;
  const text = (value: string) => el('p', { class: 'message-text' }, value);
  section.append(el('dl', { class: 'report' },
    ...fact('Category', categoryLabel(report.category)),
    ...fact('What happened', text(report.whatHappened)),
    ...(report.whenAndWhere ? fact('When and where', text(report.whenAndWhere)) : []),
    ...(report.anythingElse ? fact('Anything else', text(report.anythingElse)) : []),
  ));
  // Optional (docs/PROTOCOL.md §9): the reporter chose "Not sure" and the report came to the first organisation listed.
  if (report.organisationNotSure === true) {
    section.append(el('p', { class: 'notice' }, 'The reporter was not sure which organisation this concerns; it came to you as the first one listed. Consider whether to pass it on.'));
  }
  if (report.contact) {
    section.append(el('div', { class: 'contact', role: 'group', 'aria-labelledby': 'contact-heading' },
      el('h3', { id: 'contact-heading' }, 'Contact details the reporter chose to give'),
      el('p', { class: 'hint' }, 'Identifying information. Use it only as the reporter asked, and do not copy it out of Parley.'),
      text(report.contact),
    ));
  } else {
    section.append(el('p', { class: 'hint' }, 'No contact details given: reach the reporter only through the messages below.'));
  }
  return section;
}

function threadItemElement(item: ThreadItem): HTMLLIElement {
  const from = item.role === 'reporter' ? 'From the reporter' : `From ${item.organisationName ?? 'an unknown organisation'}`;
  const body =
    item.problem !== null ? unverifiedWarning(item)
    : item.document.kind === 'message' ? el('p', { class: 'message-text' }, item.document.text)
    : item.document.kind === 'status' ? el('p', { class: 'message-text' }, `Status changed to “${statusLabel(item.document.status)}”.`)
    : el('p', { class: 'message-text' }, `(A further report) ${item.document.whatHappened}`);
  return el('li', { class: item.role === 'reporter' ? 'from-reporter' : 'from-organisation' },
    el('p', { class: 'meta' }, el('strong', {}, from), ' · ', dayElement(item.day)), body);
}

function threadSection(items: ThreadItem[]): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': 'thread-heading' },
    el('h2', { id: 'thread-heading' }, 'Messages'),
    items.length === 0
      ? el('p', {}, 'No messages yet.')
      : el('ol', { class: 'thread' }, ...items.map(threadItemElement)),
  );
}

function statusOptions(current: CaseStatus, noChange: string | null): HTMLOptionElement[] {
  const options = STATUSES.map((s) => el('option', { value: s, selected: noChange === null && s === current }, statusLabel(s)));
  return noChange === null ? options : [el('option', { value: '', selected: true }, noChange), ...options];
}

function replySection(options: CaseViewOptions): HTMLElement {
  const { detail } = options;
  const message = el('textarea', { id: 'reply-text', name: 'text', required: true, 'aria-describedby': 'reply-hint' });
  const status = el('select', { id: 'reply-status', name: 'status' }, ...statusOptions(detail.status, `No change (now: ${statusLabel(detail.status)})`));
  const send = el('button', { type: 'submit' }, 'Send to the reporter');
  const error = alertLine('reply-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'reply-text' }, 'Message to the reporter'),
    el('span', { id: 'reply-hint', class: 'hint' },
      'Encrypted on this device and signed by your unit. The reporter sees it only when they next come back with their passphrase: they get no notification.'),
    message,
    el('label', { for: 'reply-status' }, 'Status after sending (optional)'),
    status,
    error,
    el('div', { class: 'actions' }, send),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    error.textContent = '';
    message.removeAttribute('aria-invalid');
    // Checked here so a too-long message gets plain words, not an encryption error.
    const tooLong = new TextEncoder().encode(JSON.stringify({ kind: 'message', text: message.value })).length > MAX_PLAINTEXT_BYTES;
    const problem = !message.value.trim() ? 'Write a message first.' : tooLong ? 'This message is too long to send. Shorten it or split it into two.' : null;
    if (problem) {
      error.textContent = problem;
      message.setAttribute('aria-invalid', 'true');
      message.focus();
      return;
    }
    try {
      await whileBusy(send, 'Sending…', () => options.reply(message.value, (status.value || null) as CaseStatus | null));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'reply-heading' }, el('h2', { id: 'reply-heading' }, 'Write to the reporter'), form);
}

function statusSection(options: CaseViewOptions): HTMLElement {
  const { detail } = options;
  const status = el('select', { id: 'new-status', name: 'status' }, ...statusOptions(detail.status, null));
  const change = el('button', { type: 'submit', class: 'secondary' }, 'Change status');
  const error = alertLine('status-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'new-status' }, 'Status'),
    el('span', { class: 'hint', id: 'status-hint' }, 'The reporter sees the status when they next come back.'),
    status, error, el('div', { class: 'actions' }, change),
  );
  status.setAttribute('aria-describedby', 'status-hint');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (change.disabled) return;
    error.textContent = '';
    const chosen = status.value as CaseStatus;
    if (chosen === detail.status) {
      error.textContent = `The case is already “${statusLabel(chosen)}”. Choose another status.`;
      status.focus();
      return;
    }
    try {
      await whileBusy(change, 'Changing…', () => options.setStatus(chosen));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'status-heading' }, el('h2', { id: 'status-heading' }, 'Change status'), form);
}

/** Two steps: choose, then confirm in words that say what happens to this organisation's access. */
function passOnSection(options: CaseViewOptions): HTMLElement {
  const section = el('section', { class: 'card', 'aria-labelledby': 'pass-on-heading' }, el('h2', { id: 'pass-on-heading' }, 'Pass to another organisation'));
  const start = el('button', { type: 'button', class: 'secondary' }, 'Choose an organisation…');
  const error = alertLine('pass-on-error');
  const body = el('div', {}, el('p', { class: 'hint' }, 'For a report that another organisation should handle. They get the case key, sealed on this device to their key.'), error, el('div', { class: 'actions' }, start));
  section.append(body);
  start.addEventListener('click', async () => {
    error.textContent = '';
    let organisations: OtherOrganisation[];
    try {
      organisations = await whileBusy(start, 'Loading…', options.otherOrganisations);
    } catch (failure) {
      error.textContent = options.describe(failure);
      return;
    }
    if (organisations.length === 0) {
      error.textContent = 'There is no other organisation on this Parley to pass the case to.';
      return;
    }
    const target = el('select', { id: 'pass-on-to', name: 'organisation' }, ...organisations.map((o) => el('option', { value: o.id }, o.name)));
    const keep = el('input', { id: 'pass-on-keep', name: 'keepAccess', type: 'checkbox' });
    const submit = el('button', { type: 'submit' }, 'Pass the case on');
    const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const formError = alertLine('pass-on-form-error');
    const form = el('form', { method: 'post', novalidate: true },
      el('label', { for: 'pass-on-to' }, 'Organisation'), target,
      el('div', { class: 'checkbox' }, keep, el('label', { for: 'pass-on-keep' }, 'Keep access to this case in ', el('strong', {}, 'our'), ' organisation too')),
      el('p', { class: 'hint', id: 'pass-on-hint' }, 'The other organisation is offered the case; it moves once a member there has opened it and accepted. Without “keep access”, it then leaves your list. The reporter keeps the same reference and sees the new organisation’s replies.'),
      formError,
      el('div', { class: 'actions' }, submit, cancel),
    );
    submit.setAttribute('aria-describedby', 'pass-on-hint');
    cancel.addEventListener('click', () => {
      form.replaceWith(body);
      start.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      formError.textContent = '';
      const chosen = organisations.find((o) => o.id === target.value)!;
      try {
        await whileBusy(submit, 'Passing on…', () => options.passOn(chosen, keep.checked));
      } catch (failure) {
        formError.textContent = options.describe(failure);
      }
    });
    body.replaceWith(form);
    target.focus();
  });
  return section;
}

export function caseView(options: CaseViewOptions): Node[] {
  const { detail } = options;
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to cases');
  back.addEventListener('click', () => options.back());
  const refresh = el('button', { type: 'button', class: 'secondary' }, 'Refresh case');
  refresh.addEventListener('click', () => void whileBusy(refresh, 'Refreshing…', options.refresh));
  const [first, ...rest] = detail.thread;
  const firstIsReport = first !== undefined && first.role === 'reporter' && (first.problem !== null || first.document.kind === 'report');
  return present(
    el('div', { class: 'actions back' }, back, refresh),
    el('h1', {}, `Case ${detail.reference}`),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('dl', { class: 'case-facts' },
      ...fact('Status', el('span', { class: 'status' }, statusLabel(detail.status))),
      ...fact('Received', dayElement(detail.receivedDay)),
      ...fact('Last reporter activity', dayElement(detail.lastReporterDay), el('span', { class: 'hint' }, 'Day only, by design.')),
    ),
    reportSection(firstIsReport ? first : undefined),
    threadSection(firstIsReport ? rest : detail.thread),
    replySection(options),
    statusSection(options),
    passOnSection(options),
  );
}

/** Shown when a case cannot be opened at all (its key does not open, or the server refused). */
export function caseErrorView(reference: string, message: string, back: () => void): Node[] {
  const button = el('button', { type: 'button', class: 'secondary' }, 'Back to cases');
  button.addEventListener('click', back);
  return [
    el('div', { class: 'actions back' }, button),
    el('h1', {}, `Case ${reference}`),
    el('p', { class: 'error', role: 'alert' }, message),
  ];
}
