// Case list view: the organisation's cases, newest first, a page at a time (every case is
// reachable: "Show older cases" goes on to the end), filtered by status if chosen, each
// report's category and first words decrypted on this device. Cases other units offer to
// pass to this one come first, to accept or decline.
import { el } from '../../ui/dom.js';
import type { CaseRow, CaseStatus, TransferRow } from '../engine-api.js';
import { categoryLabel, statusLabel, STATUSES } from '../labels.js';
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
  status: CaseStatus | null;
  transfers: TransferRow[];
  error?: string;
  notice?: string;
  open(row: CaseRow): void;
  refresh(): Promise<void>;
  filter(status: CaseStatus | null): Promise<void>;
  more(): Promise<void>;
  accept(transfer: TransferRow): Promise<void>;
  decline(transfer: TransferRow): Promise<void>;
  /** Given to administrators only. */
  members?: () => void;
}

function cell(label: string, ...content: (Node | string)[]): HTMLTableCellElement {
  // data-label names the column when the table is stacked on a narrow screen (console.css).
  return el('td', { 'data-label': label }, ...content);
}

function caseRowElement(row: CaseRow, open: (row: CaseRow) => void): HTMLTableRowElement {
  const button = el('button', { type: 'button', class: 'case-link' }, el('span', { class: 'visually-hidden' }, 'Open case '), row.reference);
  button.addEventListener('click', () => open(row));
  const unverified = () => el('strong', { class: 'unverified' }, 'Could not be verified');
  return el('tr', {},
    el('th', { scope: 'row', 'data-label': 'Reference' }, button),
    cell('Status', el('span', { class: 'status' }, statusLabel(row.status))),
    cell('Category', row.report ? categoryLabel(row.report.category) : row.reportProblem ? unverified() : '—'),
    cell('Received', dayElement(row.receivedDay)),
    cell('Last reporter activity', dayElement(row.lastReporterDay)),
    cell('What happened', row.report ? el('span', { class: 'excerpt' }, excerpt(row.report.whatHappened)) : row.reportProblem ? unverified() : '—'),
  );
}

function caseTable(rows: CaseRow[], options: CaseListOptions): HTMLTableElement {
  const headings = ['Reference', 'Status', 'Category', 'Received', 'Last reporter activity', 'What happened'];
  return el('table', { class: 'cases' },
    el('caption', {}, `Reports to ${options.organisationName}${options.status ? ` with the status “${statusLabel(options.status)}”` : ''}, newest first`),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((row) => caseRowElement(row, options.open))),
  );
}

function transfersSection(options: CaseListOptions): Node | null {
  if (options.transfers.length === 0) return null;
  const item = (t: TransferRow) => {
    const accept = el('button', { type: 'button' }, el('span', { class: 'visually-hidden' }, `Case ${t.reference}: `), 'Accept');
    const decline = el('button', { type: 'button', class: 'secondary' }, el('span', { class: 'visually-hidden' }, `Case ${t.reference}: `), 'Decline');
    accept.addEventListener('click', () => void whileBusy(accept, 'Checking…', () => options.accept(t)));
    decline.addEventListener('click', () => void whileBusy(decline, 'Declining…', () => options.decline(t)));
    return el('li', {}, el('p', {}, `Case ${t.reference} from ${t.fromOrgName ?? 'another unit'}, received `, dayElement(t.receivedDay), '.'), el('div', { class: 'actions' }, accept, decline));
  };
  return el('section', { 'aria-labelledby': 'transfers-heading', class: 'transfers' },
    el('h2', { id: 'transfers-heading' }, 'Offered to your unit'),
    el('p', { class: 'hint' }, 'Accepting opens the report on this device first: a case whose key does not open is declined, and stays with the unit that offered it.'),
    el('ul', {}, ...options.transfers.map(item)),
  );
}

function statusFilter(options: CaseListOptions): HTMLElement {
  const select = el('select', { id: 'status-filter' },
    el('option', { value: '' }, 'All statuses'),
    ...STATUSES.map((s) => el('option', { value: s }, statusLabel(s))),
  );
  select.value = options.status ?? '';
  select.addEventListener('change', () => void options.filter((select.value || null) as CaseStatus | null));
  return el('div', { class: 'field inline' }, el('label', { for: 'status-filter' }, 'Show'), select);
}

export function caseListView(options: CaseListOptions): Node[] {
  const refresh = el('button', { type: 'button', class: 'secondary' }, 'Refresh list');
  refresh.addEventListener('click', () => void whileBusy(refresh, 'Refreshing…', options.refresh));
  const more = options.hasMore ? el('button', { type: 'button', class: 'secondary' }, 'Show older cases') : null;
  if (more) more.addEventListener('click', () => void whileBusy(more, 'Loading…', options.more));
  const members = options.members ? el('button', { type: 'button', class: 'secondary' }, 'Members') : null;
  if (members) members.addEventListener('click', () => options.members?.());
  const error = alertLine('case-list-error');
  if (options.error) error.textContent = options.error;
  const { rows } = options;
  const shown = !rows || rows.length === 0 ? '' : rows.length === 1 ? '1 case' : `${rows.length} cases`;
  const count = shown && `${shown}${options.hasMore ? ' shown; there are older ones.' : '.'}`;
  return present(
    el('h1', {}, 'Cases'),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('p', { class: 'hint' },
      'Reports are decrypted on this device. Dates are days only: reporter activity is kept to the day by design, so its timing cannot help identify anyone.'),
    transfersSection(options),
    el('div', { class: 'actions list-actions' }, refresh, members ?? '', statusFilter(options), el('span', {}, count)),
    error,
    rows && rows.length === 0
      ? el('p', { class: 'empty' }, options.status
        ? `No cases with the status “${statusLabel(options.status)}”.`
        : 'No reports yet. New reports appear here once a reporter sends one; use Refresh list to check.')
      : null,
    rows && rows.length > 0 ? caseTable(rows, options) : null,
    more,
  );
}

/** Signed in, but no administrator has given this member the organisation's keys yet. */
export function noAccessView(organisationName: string): Node[] {
  return [
    el('h1', {}, 'No access to reports yet'),
    el('p', {}, `You are a member of ${organisationName}, but an administrator has not yet given you the organisation’s keys, so you cannot read its reports.`),
    el('p', {}, 'Ask an administrator to choose “Give access to reports” next to your name under Members. Then sign out and sign in again.'),
  ];
}
