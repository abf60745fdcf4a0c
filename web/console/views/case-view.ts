// Case view: the decrypted report, its deadlines and their state, the thread with the reporter
// (each message with its files), a reply box (with files, an optional status change in the same
// action, and a mark for feedback), a separate status control, who the case is assigned to, and
// the unit's internal notes.
import { el } from '../../ui/dom.js';
import { t, tNodes } from '../../i18n/i18n.js';
import type { ReportDocument } from '../../protocol/documents.js';
import { MAX_PLAINTEXT_BYTES } from '../../protocol/labels.js';
import type { Assignee, AttachmentView, CaseDetailView, CaseStatus, NoteView, OtherOrganisation, OutgoingFile, ThreadItem } from '../engine-api.js';
import { categoryLabel } from '../../i18n/labels.js';
import { STATUSES, deletionNear, momentLabel, problemLabel, statusLabel, unverifiedText } from '../labels.js';
import { alertLine, dayElement, present, whileBusy } from './parts.js';
import { attachmentList, transferProgress, type AttachmentActions } from './attachments.js';
import { replyFiles } from './reply-files.js';
import { deadlineState, SETTLED_STATUSES } from '../../casework/deadlines.js';

export interface CaseViewOptions {
  detail: CaseDetailView;
  /** The unit's day, which the deadlines' states count from. */
  today: string;
  notice?: string;
  back(): void;
  /** Fetch and decrypt the case again, e.g. to see a reporter's new answer. */
  refresh(): Promise<void>;
  /**
   * Resolve after the view has been refreshed; throw to show an error next to the form (code
   * 'upload_unfinished': the message went, some files did not; finishUploads resumes them).
   * `progress` gets the files' bytes sent so far.
   */
  reply(text: string, status: CaseStatus | null, files: OutgoingFile[], progress: (done: number, total: number) => void, feedback: boolean): Promise<void>;
  finishUploads(progress: (done: number, total: number) => void): Promise<void>;
  /** Decrypts an attachment into a Blob; `progress` gets the bytes done so far. */
  download(attachment: AttachmentView, progress: (done: number, total: number) => void): Promise<Blob>;
  /** Polite news for screen readers ("2 files added"). */
  announce(text: string): void;
  setStatus(status: CaseStatus): Promise<void>;
  /** An error as words for a person. */
  describe(error: unknown): string;
  /** The organisations this case could be passed to. */
  otherOrganisations(): Promise<OtherOrganisation[]>;
  /** Resolves once the next view is shown. */
  passOn(organisation: OtherOrganisation, keepAccess: boolean): Promise<void>;
  /** The members the case can be assigned to. */
  assignees: Assignee[];
  /** null: to nobody. Resolves once the view has been refreshed. */
  assign(memberId: string | null): Promise<void>;
  addNote(text: string): Promise<void>;
}

function unverifiedWarning(item: Extract<ThreadItem, { problem: string }>): HTMLElement {
  return el('p', { class: 'unverified' }, el('strong', {}, t('case.unverified')), unverifiedText(), t('case.reason', { reason: problemLabel(item.problem) }));
}

function fact(term: string, ...value: (Node | string)[]): Node[] {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function reportSection(item: ThreadItem | undefined, files: AttachmentActions): HTMLElement {
  const section = el('section', { class: 'card', 'aria-labelledby': 'report-heading' }, el('h2', { id: 'report-heading' }, t('case.report.heading')));
  if (!item) {
    section.append(el('p', {}, t('case.report.none')));
    return section;
  }
  if (item.problem !== null) {
    section.append(el('p', { class: 'meta' }, t('case.report.receivedOn'), dayElement(item.day)), unverifiedWarning(item));
    return section;
  }
  const report = item.document as ReportDocument;
  const text = (value: string) => el('p', { class: 'message-text' }, value);
  section.append(el('dl', { class: 'report' },
    ...fact(t('case.report.category'), categoryLabel(report.category)),
    ...fact(t('case.report.whatHappened'), text(report.whatHappened)),
    ...(report.whenAndWhere ? fact(t('case.report.whenAndWhere'), text(report.whenAndWhere)) : []),
    ...(report.anythingElse ? fact(t('case.report.anythingElse'), text(report.anythingElse)) : []),
  ));
  // Optional (docs/PROTOCOL.md §9): the reporter chose "Not sure" and the report came to the first organisation listed.
  if (report.organisationNotSure === true) {
    section.append(el('p', { class: 'notice' }, t('case.report.notSure')));
  }
  if (report.contact) {
    section.append(el('div', { class: 'contact', role: 'group', 'aria-labelledby': 'contact-heading' },
      el('h3', { id: 'contact-heading' }, t('case.report.contactHeading')),
      el('p', { class: 'hint' }, t('case.report.contactHint')),
      text(report.contact),
    ));
  } else {
    section.append(el('p', { class: 'hint' }, t('case.report.noContact')));
  }
  const attachments = attachmentList(item.attachments, files);
  if (attachments) section.append(attachments);
  return section;
}

function threadItemElement(item: ThreadItem, files: AttachmentActions): HTMLLIElement {
  const from = item.role === 'reporter' ? t('case.thread.fromReporter') : t('case.thread.fromOrganisation', { organisation: item.organisationName ?? t('case.thread.unknownOrganisation') });
  const body =
    item.problem !== null ? unverifiedWarning(item)
    : item.document.kind === 'message' ? el('p', { class: 'message-text' }, item.document.text)
    : item.document.kind === 'status' ? el('p', { class: 'message-text' }, t('case.thread.statusChanged', { status: statusLabel(item.document.status) }))
    : el('p', { class: 'message-text' }, t('case.thread.furtherReport', { text: item.document.whatHappened }));
  return el('li', { class: item.role === 'reporter' ? 'from-reporter' : 'from-organisation' },
    el('p', { class: 'meta' }, el('strong', {}, from), ' · ', dayElement(item.day)), body, attachmentList(item.attachments, files));
}

function threadSection(items: ThreadItem[], files: AttachmentActions): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': 'thread-heading' },
    el('h2', { id: 'thread-heading' }, t('case.thread.heading')),
    items.length === 0
      ? el('p', {}, t('case.thread.none'))
      : el('ol', { class: 'thread' }, ...items.map((item) => threadItemElement(item, files))),
  );
}

function statusOptions(current: CaseStatus, noChange: string | null): HTMLOptionElement[] {
  const options = STATUSES.map((s) => el('option', { value: s, selected: noChange === null && s === current }, statusLabel(s)));
  return noChange === null ? options : [el('option', { value: '', selected: true }, noChange), ...options];
}

/** One deadline: due or overdue while open; met or late once given; not owed once the case is settled. */
function deadlineFact(term: string, dueDay: string | null, doneDay: string | null, settled: boolean, today: string): Node[] {
  if (dueDay === null) return fact(term, '—');
  const day = () => dayElement(dueDay);
  if (doneDay === null && settled) return fact(term, t('case.deadlines.settled'));
  const state = deadlineState(dueDay, doneDay, today);
  const key = state === 'met' ? 'case.deadlines.met' : state === 'late' ? 'case.deadlines.late' : state === 'overdue' ? 'case.deadlines.overdue' : 'case.deadlines.due';
  return fact(term, el('span', { class: `deadline ${state}` }, ...tNodes(key, {}, { day, done: () => dayElement(doneDay ?? dueDay) })));
}

function deadlinesSection(detail: CaseDetailView, today: string): HTMLElement {
  const { ackDueDay, ackDay, feedbackDueDay, feedbackDay } = detail.deadlines;
  const settled = (SETTLED_STATUSES as readonly string[]).includes(detail.status);
  return el('section', { class: 'card', 'aria-labelledby': 'deadlines-heading' },
    el('h2', { id: 'deadlines-heading' }, t('case.deadlines.heading')),
    el('dl', { class: 'deadline-facts' },
      ...deadlineFact(t('case.deadlines.acknowledge'), ackDueDay, ackDay, settled, today),
      ...deadlineFact(t('case.deadlines.feedback'), feedbackDueDay, feedbackDay, settled, today),
    ),
    el('p', { class: 'hint' }, t('case.deadlines.hint')),
  );
}

function replySection(options: CaseViewOptions): HTMLElement {
  const { detail } = options;
  const message = el('textarea', { id: 'reply-text', name: 'text', required: true, 'aria-describedby': 'reply-hint' });
  const status = el('select', { id: 'reply-status', name: 'status' }, ...statusOptions(detail.status, t('case.reply.noChange', { status: statusLabel(detail.status) })));
  const feedback = el('input', { id: 'reply-feedback', type: 'checkbox', name: 'feedback' });
  const send = el('button', { type: 'submit' }, t('case.reply.send'));
  const error = alertLine('reply-error');
  const files = replyFiles(options.announce);
  const progressArea = el('div', {});
  // Shown in place of Send once the message went but its files did not all: sending again would send the message twice.
  const finish = el('button', { type: 'button' }, t('case.files.finishUpload'));
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'reply-text' }, t('case.reply.label')),
    el('span', { id: 'reply-hint', class: 'hint' },
      t('case.reply.hint')),
    message,
    files.element,
    el('label', { for: 'reply-status' }, t('case.reply.statusLabel')),
    status,
    el('div', { class: 'checkbox' }, feedback, el('label', { for: 'reply-feedback' }, t('case.reply.feedback'))),
    progressArea,
    error,
    el('div', { class: 'actions' }, send),
  );
  /** Runs an upload with its progress shown; a failure after the message went offers to finish it. */
  const uploading = async (work: (progress: (done: number, total: number) => void) => Promise<void>) => {
    const progress = transferProgress(t('case.files.uploading'));
    progressArea.replaceChildren(progress.element);
    try {
      await work(progress.update);
    } catch (failure) {
      const unfinished = (failure as { code?: string }).code === 'upload_unfinished';
      error.textContent = unfinished ? t('case.files.uploadUnfinished') : options.describe(failure);
      if (unfinished && send.isConnected) send.replaceWith(finish);
    } finally {
      progress.element.remove();
    }
  };
  finish.addEventListener('click', () => void whileBusy(finish, t('case.files.finishing'), async () => {
    error.textContent = '';
    await uploading((progress) => options.finishUploads(progress));
  }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    error.textContent = '';
    message.removeAttribute('aria-invalid');
    const outgoing = files.files();
    // Checked here so a too-long message gets plain words, not an encryption error (a descriptor's id and key as long as real ones).
    const attachments = outgoing.map((f) => ({ id: 'i'.repeat(22), key: 'k'.repeat(43), name: f.name, type: f.type, size: f.bytes.size }));
    const tooLong = new TextEncoder().encode(JSON.stringify({ kind: 'message', text: message.value, attachments })).length > MAX_PLAINTEXT_BYTES;
    // Files may go without words; words are needed when there are none.
    const problem = files.busy() ? t('case.files.stillCleaning') : !message.value.trim() && outgoing.length === 0 ? t('case.reply.empty') : tooLong ? t('case.reply.tooLong') : null;
    if (problem) {
      error.textContent = problem;
      message.setAttribute('aria-invalid', 'true');
      message.focus();
      return;
    }
    await whileBusy(send, t('case.reply.sending'), () =>
      uploading((progress) => options.reply(message.value, (status.value || null) as CaseStatus | null, outgoing, progress, feedback.checked)));
  });
  return el('section', { class: 'card', 'aria-labelledby': 'reply-heading' }, el('h2', { id: 'reply-heading' }, t('case.reply.heading')), form);
}

function statusSection(options: CaseViewOptions): HTMLElement {
  const { detail } = options;
  const status = el('select', { id: 'new-status', name: 'status' }, ...statusOptions(detail.status, null));
  const change = el('button', { type: 'submit', class: 'secondary' }, t('case.status.submit'));
  const error = alertLine('status-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'new-status' }, t('case.status.label')),
    el('span', { class: 'hint', id: 'status-hint' }, t('case.status.hint')),
    status, error, el('div', { class: 'actions' }, change),
  );
  status.setAttribute('aria-describedby', 'status-hint');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (change.disabled) return;
    error.textContent = '';
    const chosen = status.value as CaseStatus;
    if (chosen === detail.status) {
      error.textContent = t('case.status.same', { status: statusLabel(chosen) });
      status.focus();
      return;
    }
    try {
      await whileBusy(change, t('case.status.changing'), () => options.setStatus(chosen));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'status-heading' }, el('h2', { id: 'status-heading' }, t('case.status.heading')), form);
}

/** Who the case is assigned to: a select of the unit's members (and nobody), and a button. */
function assignmentForm(options: CaseViewOptions): HTMLElement {
  const { detail } = options;
  const known = options.assignees.some((m) => m.id === detail.assignedTo);
  const select = el('select', { id: 'assignee', name: 'assignee' },
    el('option', { value: '', selected: detail.assignedTo === null }, t('case.assign.nobody')),
    // Assigned to someone no longer a member: said so, until someone else is chosen.
    ...(detail.assignedTo !== null && !known ? [el('option', { value: detail.assignedTo, selected: true }, t('case.assign.former'))] : []),
    ...options.assignees.map((m) => el('option', { value: m.id, selected: m.id === detail.assignedTo }, m.username)),
  );
  const submit = el('button', { type: 'submit', class: 'secondary' }, t('case.assign.submit'));
  const error = alertLine('assign-error');
  const form = el('form', { method: 'post', novalidate: true, class: 'assignment' },
    el('label', { for: 'assignee' }, t('case.assign.label')), select, error, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    try {
      await whileBusy(submit, t('case.assign.saving'), () => options.assign(select.value || null));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return form;
}

function noteElement(note: NoteView): HTMLLIElement {
  return el('li', {},
    el('p', { class: 'meta' }, t('case.notes.by', { author: note.authorName, moment: momentLabel(note.createdAt) })),
    note.text !== null
      ? el('p', { class: 'message-text' }, note.text)
      : el('p', { class: 'unverified' }, el('strong', {}, t('case.notes.unverified')), t('case.reason', { reason: problemLabel(note.problem ?? 'malformed') })));
}

/** The unit's internal notes and a form to add one; the reporter never sees them. */
function notesSection(options: CaseViewOptions): HTMLElement {
  const { notes } = options.detail;
  const text = el('textarea', { id: 'note-text', name: 'note', required: true, 'aria-describedby': 'notes-hint' });
  const add = el('button', { type: 'submit' }, t('case.notes.submit'));
  const error = alertLine('note-error');
  const form = el('form', { method: 'post', novalidate: true }, el('label', { for: 'note-text' }, t('case.notes.label')), text, error, el('div', { class: 'actions' }, add));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (add.disabled) return;
    error.textContent = '';
    const tooLong = new TextEncoder().encode(JSON.stringify({ kind: 'note', text: text.value })).length > MAX_PLAINTEXT_BYTES;
    const problem = !text.value.trim() ? t('case.notes.empty') : tooLong ? t('case.notes.tooLong') : null;
    if (problem) {
      error.textContent = problem;
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    try {
      await whileBusy(add, t('case.notes.adding'), () => options.addNote(text.value));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card notes', 'aria-labelledby': 'notes-heading' },
    el('h2', { id: 'notes-heading' }, t('case.notes.heading')),
    el('p', { class: 'hint', id: 'notes-hint' }, t('case.notes.hint')),
    notes.length === 0 ? el('p', {}, t('case.notes.none')) : el('ol', { class: 'notes' }, ...notes.map(noteElement)),
    form,
  );
}

/** Two steps: choose, then confirm in words that say what happens to this organisation's access. */
function passOnSection(options: CaseViewOptions): HTMLElement {
  const section = el('section', { class: 'card', 'aria-labelledby': 'pass-on-heading' }, el('h2', { id: 'pass-on-heading' }, t('case.passOn.heading')));
  const start = el('button', { type: 'button', class: 'secondary' }, t('case.passOn.start'));
  const error = alertLine('pass-on-error');
  const body = el('div', {}, el('p', { class: 'hint' }, t('case.passOn.hint')), error, el('div', { class: 'actions' }, start));
  section.append(body);
  start.addEventListener('click', async () => {
    error.textContent = '';
    let organisations: OtherOrganisation[];
    try {
      organisations = await whileBusy(start, t('case.passOn.loading'), options.otherOrganisations);
    } catch (failure) {
      error.textContent = options.describe(failure);
      return;
    }
    if (organisations.length === 0) {
      error.textContent = t('case.passOn.none');
      return;
    }
    const target = el('select', { id: 'pass-on-to', name: 'organisation' }, ...organisations.map((o) => el('option', { value: o.id }, o.name)));
    const keep = el('input', { id: 'pass-on-keep', name: 'keepAccess', type: 'checkbox' });
    const submit = el('button', { type: 'submit' }, t('case.passOn.submit'));
    const cancel = el('button', { type: 'button', class: 'secondary' }, t('case.passOn.cancel'));
    const formError = alertLine('pass-on-form-error');
    const form = el('form', { method: 'post', novalidate: true },
      el('label', { for: 'pass-on-to' }, t('case.passOn.organisation')), target,
      el('div', { class: 'checkbox' }, keep, el('label', { for: 'pass-on-keep' }, ...tNodes('case.passOn.keep', {}, { strong: (chunks) => el('strong', {}, ...chunks) }))),
      el('p', { class: 'hint', id: 'pass-on-hint' }, t('case.passOn.explain')),
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
        await whileBusy(submit, t('case.passOn.passing'), () => options.passOn(chosen, keep.checked));
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
  const back = el('button', { type: 'button', class: 'secondary' }, t('case.back'));
  back.addEventListener('click', () => options.back());
  const refresh = el('button', { type: 'button', class: 'secondary' }, t('case.refresh'));
  refresh.addEventListener('click', () => void whileBusy(refresh, t('case.refreshing'), options.refresh));
  const [first, ...rest] = detail.thread;
  const firstIsReport = first !== undefined && first.role === 'reporter' && (first.problem !== null || first.document.kind === 'report');
  const files: AttachmentActions = { download: options.download, describe: options.describe };
  return present(
    el('div', { class: 'actions back' }, back, refresh),
    el('h1', {}, t('case.heading', { reference: detail.reference })),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('dl', { class: 'case-facts' },
      ...fact(t('case.status'), el('span', { class: 'status' }, statusLabel(detail.status))),
      ...fact(t('case.received'), dayElement(detail.receivedDay)),
      ...fact(t('case.lastActivity'), dayElement(detail.lastReporterDay), el('span', { class: 'hint' }, t('case.dayOnly'))),
      ...fact(t('retention.deletionDay'), deletionNear(detail.deletionDay) ? el('strong', { class: 'warning' }, dayElement(detail.deletionDay)) : dayElement(detail.deletionDay)),
    ),
    deadlinesSection(detail, options.today),
    assignmentForm(options),
    reportSection(firstIsReport ? first : undefined, files),
    threadSection(firstIsReport ? rest : detail.thread, files),
    replySection(options),
    notesSection(options),
    statusSection(options),
    passOnSection(options),
  );
}

/** Shown when a case cannot be opened at all (its key does not open, or the server refused). */
export function caseErrorView(reference: string, message: string, back: () => void): Node[] {
  const button = el('button', { type: 'button', class: 'secondary' }, t('case.back'));
  button.addEventListener('click', back);
  return [
    el('div', { class: 'actions back' }, button),
    el('h1', {}, t('case.heading', { reference })),
    el('p', { class: 'error', role: 'alert' }, message),
  ];
}
