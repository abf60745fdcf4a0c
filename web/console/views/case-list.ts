// Case list view: the organisation's cases, newest first, each report's category and first
// words decrypted on this device. Each reference is a button that opens the case.
import { el } from '../../ui/dom.js';
import type { CaseRow } from '../engine-api.js';
import { categoryLabel, statusLabel } from '../labels.js';
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
  error?: string;
  notice?: string;
  open(row: CaseRow): void;
  refresh(): Promise<void>;
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
    el('caption', {}, `Reports to ${options.organisationName}, newest first`),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((row) => caseRowElement(row, options.open))),
  );
}

export function caseListView(options: CaseListOptions): Node[] {
  const refresh = el('button', { type: 'button', class: 'secondary' }, 'Refresh list');
  refresh.addEventListener('click', () => void whileBusy(refresh, 'Refreshing…', options.refresh));
  const members = options.members ? el('button', { type: 'button', class: 'secondary' }, 'Members') : null;
  if (members) members.addEventListener('click', () => options.members?.());
  const error = alertLine('case-list-error');
  if (options.error) error.textContent = options.error;
  const { rows } = options;
  const count = !rows || rows.length === 0 ? '' : rows.length === 1 ? '1 case.' : `${rows.length} cases.`;
  return present(
    el('h1', {}, 'Cases'),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('p', { class: 'hint' },
      'Reports are decrypted on this device. Dates are days only: reporter activity is kept to the day by design, so its timing cannot help identify anyone.'),
    el('div', { class: 'actions list-actions' }, refresh, members ?? '', el('span', {}, count)),
    error,
    rows && rows.length === 0
      ? el('p', { class: 'empty' }, 'No reports yet. New reports appear here once a reporter sends one; use Refresh list to check.')
      : null,
    rows && rows.length > 0 ? caseTable(rows, options) : null,
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
