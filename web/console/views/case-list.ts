// Case list view: the organisation's cases, newest first or nearest deadline first, a page at a
// time (every case is reachable: "Show older cases" goes on to the end), filtered by status,
// deadline, assignee or reference on the server and by category on this device, each with its
// next deadline and each report's category and first words decrypted on this device; a summary
// of what is overdue and due this week. Cases other units offer to pass to this one come first.
import { el } from '../../ui/dom.js';
import { t, tNodes } from '../../i18n/i18n.js';
import type { CaseListQuery, CaseRow, CaseStatus, TransferRow } from '../engine-api.js';
import { categoryLabel, formatDay } from '../../i18n/labels.js';
import { REPORT_CATEGORIES, type ReportCategory } from '../../protocol/documents.js';
import { deadlineState, nextDueDay } from '../../casework/deadlines.js';
import { deletionNear, statusLabel, STATUSES } from '../labels.js';
import { alertLine, dayElement, present, whileBusy } from './parts.js';

const EXCERPT_CHARS = 80;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_CHARS ? flat : `${flat.slice(0, EXCERPT_CHARS).trimEnd()}…`;
}

export interface CaseListOptions {
  organisationName: string;
  /** null when the list could not be loaded; `error` then says why. */
  rows: CaseRow[] | null;
  /** There are older cases than these. */
  hasMore: boolean;
  query: CaseListQuery;
  /** Filtered on this device over the loaded rows: the server never sees a category. */
  category: ReportCategory | null;
  /** The unit's day, which each case's deadline state counts from. */
  today: string;
  /** Over all the unit's cases; null when the list could not be loaded. */
  summary: { overdue: number; dueThisWeek: number } | null;
  /** Members the assignee filter can name (besides "me" and "nobody"). */
  assignees: AssigneeOption[];
  transfers: TransferRow[];
  error?: string;
  notice?: string;
  open(row: CaseRow): void;
  refresh(): Promise<void>;
  filter(change: Partial<CaseListQuery>): Promise<void>;
  filterCategory(category: ReportCategory | null): void;
  more(): Promise<void>;
  accept(transfer: TransferRow): Promise<void>;
  decline(transfer: TransferRow): Promise<void>;
  /** Given to administrators only. */
  members?: () => void;
  figures?: () => void;
  /** Administrators: the organisation's settings. */
  settings?: () => void;
}

export interface AssigneeOption {
  id: string;
  name: string;
  isMe: boolean;
}

function cell(label: string, ...content: (Node | string)[]): HTMLTableCellElement {
  // data-label names the column when the table is stacked on a narrow screen (console.css).
  return el('td', { 'data-label': label }, ...content);
}

/** The case's next open deadline and whether it has passed; once none is open, "Late" if either was met late. */
function deadlineText(row: CaseRow, today: string): Node {
  const { ackDueDay, ackDay, feedbackDueDay, feedbackDay } = row.deadlines;
  if (ackDueDay === null || feedbackDueDay === null) return document.createTextNode('—');
  const next = nextDueDay({ status: row.status, ackDueDay, ackDay, feedbackDueDay, feedbackDay });
  if (next) {
    const overdue = deadlineState(next.day, null, today) === 'overdue';
    const key = next.kind === 'acknowledge' ? (overdue ? 'list.deadline.acknowledgeOverdue' : 'list.deadline.acknowledge') : (overdue ? 'list.deadline.feedbackOverdue' : 'list.deadline.feedback');
    return el('span', { class: overdue ? 'deadline overdue' : 'deadline' }, ...tNodes(key, {}, { day: () => dayElement(next.day) }));
  }
  const late = (ackDay !== null && deadlineState(ackDueDay, ackDay, today) === 'late') || (feedbackDay !== null && deadlineState(feedbackDueDay, feedbackDay, today) === 'late');
  return el('span', { class: 'deadline' }, late ? t('list.deadline.late') : t('list.deadline.none'));
}

function caseRowElement(row: CaseRow, today: string, open: (row: CaseRow) => void): HTMLTableRowElement {
  const button = el('button', { type: 'button', class: 'case-link' }, el('span', { class: 'visually-hidden' }, t('list.openCase')), row.reference);
  button.addEventListener('click', () => open(row));
  const unverified = () => el('strong', { class: 'unverified' }, t('list.unverified'));
  // In words, not colour alone: read out with the reference.
  const news = row.unread ? el('strong', { class: 'new-message' }, t('list.newMessage')) : null;
  return el('tr', {},
    el('th', { scope: 'row', 'data-label': t('list.col.reference') }, button, ...(news ? [' ', news] : [])),
    cell(t('list.col.status'), el('span', { class: 'status' }, statusLabel(row.status)), deletionNear(row.deletionDay) ? el('strong', { class: 'warning' }, ' ', t('retention.soon', { day: formatDay(row.deletionDay) })) : ''),
    cell(t('list.col.deadline'), deadlineText(row, today)),
    cell(t('list.col.assignee'), row.assigneeName ?? (row.assignedTo ? t('case.assign.former') : '—')),
    cell(t('list.col.category'), row.report ? categoryLabel(row.report.category) : row.reportProblem ? unverified() : '—'),
    cell(t('list.col.received'), dayElement(row.receivedDay)),
    cell(t('list.col.lastActivity'), dayElement(row.lastReporterDay)),
    cell(t('list.col.whatHappened'), row.report ? el('span', { class: 'excerpt' }, excerpt(row.report.whatHappened)) : row.reportProblem ? unverified() : '—'),
  );
}

function caseTable(rows: CaseRow[], options: CaseListOptions): HTMLTableElement {
  const headings = [t('list.col.reference'), t('list.col.status'), t('list.col.deadline'), t('list.col.assignee'), t('list.col.category'), t('list.col.received'), t('list.col.lastActivity'), t('list.col.whatHappened')];
  return el('table', { class: 'cases' },
    el('caption', {}, options.query.status
      ? t('list.captionStatus', { organisation: options.organisationName, status: statusLabel(options.query.status) })
      : t('list.caption', { organisation: options.organisationName })),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((row) => caseRowElement(row, options.today, options.open))),
  );
}

function transfersSection(options: CaseListOptions): Node | null {
  if (options.transfers.length === 0) return null;
  const item = (offer: TransferRow) => {
    const accept = el('button', { type: 'button' }, el('span', { class: 'visually-hidden' }, t('list.transfers.casePrefix', { reference: offer.reference })), t('list.transfers.accept'));
    const decline = el('button', { type: 'button', class: 'secondary' }, el('span', { class: 'visually-hidden' }, t('list.transfers.casePrefix', { reference: offer.reference })), t('list.transfers.decline'));
    accept.addEventListener('click', () => void whileBusy(accept, t('list.transfers.checking'), () => options.accept(offer)));
    decline.addEventListener('click', () => void whileBusy(decline, t('list.transfers.declining'), () => options.decline(offer)));
    return el('li', {}, el('p', {}, ...tNodes('list.transfers.item', { reference: offer.reference, from: offer.fromOrgName ?? t('list.transfers.anotherUnit') }, { day: () => dayElement(offer.receivedDay) })), el('div', { class: 'actions' }, accept, decline));
  };
  return el('section', { 'aria-labelledby': 'transfers-heading', class: 'transfers' },
    el('h2', { id: 'transfers-heading' }, t('list.transfers.heading')),
    el('p', { class: 'hint' }, t('list.transfers.hint')),
    el('ul', {}, ...options.transfers.map(item)),
  );
}

/** A labelled select whose choice ('' for the first option) goes to `choose`. */
function choice(id: string, label: string, value: string, options: [string, string][], choose: (value: string) => void): HTMLElement {
  const select = el('select', { id }, ...options.map(([optionValue, text]) => el('option', { value: optionValue }, text)));
  select.value = value;
  select.addEventListener('change', () => choose(select.value));
  return el('div', { class: 'field inline' }, el('label', { for: id }, label), select);
}

function listControls(options: CaseListOptions): HTMLElement {
  const { query } = options;
  const members = options.assignees.filter((m) => !m.isMe).map((m): [string, string] => [m.id, m.name]);
  const search = el('input', { id: 'reference-search', type: 'search', autocomplete: 'off', spellcheck: 'false', value: query.reference ?? '' });
  const find = el('button', { type: 'submit', class: 'secondary' }, t('list.search.submit'));
  const searchForm = el('form', { role: 'search', class: 'field inline' }, el('label', { for: 'reference-search' }, t('list.search.label')), search, find);
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileBusy(find, t('list.loading'), () => options.filter({ reference: search.value.trim() || null }));
  });
  const clear = query.reference ? el('button', { type: 'button', class: 'secondary' }, t('list.search.clear')) : null;
  if (clear) clear.addEventListener('click', () => void whileBusy(clear, t('list.loading'), () => options.filter({ reference: null })));
  return el('div', { role: 'group', 'aria-label': t('list.filters'), class: 'actions list-controls' },
    choice('sort-order', t('list.sort.label'), query.sort, [['received', t('list.sort.received')], ['due', t('list.sort.due')]],
      (value) => void options.filter({ sort: value === 'due' ? 'due' : 'received' })),
    choice('status-filter', t('list.filter.label'), query.status ?? '', [['', t('list.filter.all')], ...STATUSES.map((s): [string, string] => [s, statusLabel(s)])],
      (value) => void options.filter({ status: (value || null) as CaseStatus | null })),
    choice('due-filter', t('list.due.label'), query.due ?? '', [['', t('list.due.any')], ['overdue', t('list.due.overdue')], ['week', t('list.due.week')]],
      (value) => void options.filter({ due: value === 'overdue' || value === 'week' ? value : null })),
    choice('assignee-filter', t('list.assignee.label'), query.assignee ?? '', [['', t('list.assignee.anyone')], ['me', t('list.assignee.me')], ['none', t('list.assignee.none')], ...members],
      (value) => void options.filter({ assignee: value || null })),
    choice('category-filter', t('list.category.label'), options.category ?? '', [['', t('list.category.any')], ...REPORT_CATEGORIES.map((c): [string, string] => [c.id, categoryLabel(c.id)])],
      (value) => options.filterCategory((value || null) as ReportCategory | null)),
    searchForm,
    clear ?? '',
  );
}

export function caseListView(options: CaseListOptions): Node[] {
  const refresh = el('button', { type: 'button', class: 'secondary' }, t('list.refresh'));
  refresh.addEventListener('click', () => void whileBusy(refresh, t('list.refreshing'), options.refresh));
  const more = options.hasMore ? el('button', { type: 'button', class: 'secondary' }, t('list.more')) : null;
  if (more) more.addEventListener('click', () => void whileBusy(more, t('list.loading'), options.more));
  const members = options.members ? el('button', { type: 'button', class: 'secondary' }, t('list.members')) : null;
  if (members) members.addEventListener('click', () => options.members?.());
  const figures = options.figures ? el('button', { type: 'button', class: 'secondary' }, t('figures.open')) : null;
  if (figures) figures.addEventListener('click', () => options.figures?.());
  const settings = options.settings ? el('button', { type: 'button', class: 'secondary' }, t('settings.open')) : null;
  if (settings) settings.addEventListener('click', () => options.settings?.());
  const error = alertLine('case-list-error');
  if (options.error) error.textContent = options.error;
  const rows = options.rows && options.category ? options.rows.filter((row) => row.report?.category === options.category) : options.rows;
  const count = !rows || rows.length === 0 ? '' : t('list.count', { count: rows.length, more: options.hasMore ? 'yes' : 'no' });
  const { status, due, assignee, reference } = options.query;
  const filtered = due !== null || assignee !== null || reference !== null || options.category !== null;
  const deletingSoon = rows?.filter((row) => deletionNear(row.deletionDay)).length ?? 0;
  const unread = rows?.filter((row) => row.unread).length ?? 0;
  return present(
    el('h1', {}, t('list.heading')),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('p', { class: 'hint' },
      t('list.hint')),
    transfersSection(options),
    options.summary ? el('p', { class: 'summary' }, t('list.summary', { overdue: options.summary.overdue, week: options.summary.dueThisWeek })) : null,
    el('div', { class: 'actions list-actions' }, refresh, members ?? '', settings ?? '', figures ?? '', el('span', {}, count)),
    listControls(options),
    unread > 0 ? el('p', { class: 'new-count' }, t('list.newCount', { count: unread })) : null,
    error,
    deletingSoon > 0 ? el('p', { class: 'warning' }, t('retention.soonCount', { count: deletingSoon })) : null,
    rows && rows.length === 0
      ? el('p', { class: 'empty' }, filtered ? t('list.filtered.empty')
        : status ? t('list.emptyStatus', { status: statusLabel(status) })
        : t('list.empty'))
      : null,
    rows && rows.length > 0 ? caseTable(rows, options) : null,
    more,
  );
}

/** Signed in, but no administrator has given this member the organisation's keys yet. */
export function noAccessView(organisationName: string): Node[] {
  return [
    el('h1', {}, t('list.noAccess.heading')),
    el('p', {}, t('list.noAccess.text', { organisation: organisationName })),
    el('p', {}, t('list.noAccess.ask')),
  ];
}
