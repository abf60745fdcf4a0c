// Case list view: the organisation's cases, newest first, a page at a time (every case is
// reachable: "Show older cases" goes on to the end), filtered by status if chosen, each
// report's category and first words decrypted on this device. Cases other units offer to
// pass to this one come first, to accept or decline.
import { el } from '../../ui/dom.js';
import { t, tNodes } from '../../i18n/i18n.js';
import type { CaseRow, CaseStatus, TransferRow } from '../engine-api.js';
import { categoryLabel } from '../../i18n/labels.js';
import { statusLabel, STATUSES } from '../labels.js';
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
  const button = el('button', { type: 'button', class: 'case-link' }, el('span', { class: 'visually-hidden' }, t('list.openCase')), row.reference);
  button.addEventListener('click', () => open(row));
  const unverified = () => el('strong', { class: 'unverified' }, t('list.unverified'));
  // In words, not colour alone: read out with the reference.
  const news = row.unread ? el('strong', { class: 'new-message' }, t('list.newMessage')) : null;
  return el('tr', {},
    el('th', { scope: 'row', 'data-label': t('list.col.reference') }, button, ...(news ? [' ', news] : [])),
    cell(t('list.col.status'), el('span', { class: 'status' }, statusLabel(row.status))),
    cell(t('list.col.assignee'), row.assigneeName ?? (row.assignedTo ? t('case.assign.former') : '—')),
    cell(t('list.col.category'), row.report ? categoryLabel(row.report.category) : row.reportProblem ? unverified() : '—'),
    cell(t('list.col.received'), dayElement(row.receivedDay)),
    cell(t('list.col.lastActivity'), dayElement(row.lastReporterDay)),
    cell(t('list.col.whatHappened'), row.report ? el('span', { class: 'excerpt' }, excerpt(row.report.whatHappened)) : row.reportProblem ? unverified() : '—'),
  );
}

function caseTable(rows: CaseRow[], options: CaseListOptions): HTMLTableElement {
  const headings = [t('list.col.reference'), t('list.col.status'), t('list.col.assignee'), t('list.col.category'), t('list.col.received'), t('list.col.lastActivity'), t('list.col.whatHappened')];
  return el('table', { class: 'cases' },
    el('caption', {}, options.status
      ? t('list.captionStatus', { organisation: options.organisationName, status: statusLabel(options.status) })
      : t('list.caption', { organisation: options.organisationName })),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((row) => caseRowElement(row, options.open))),
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

function statusFilter(options: CaseListOptions): HTMLElement {
  const select = el('select', { id: 'status-filter' },
    el('option', { value: '' }, t('list.filter.all')),
    ...STATUSES.map((s) => el('option', { value: s }, statusLabel(s))),
  );
  select.value = options.status ?? '';
  select.addEventListener('change', () => void options.filter((select.value || null) as CaseStatus | null));
  return el('div', { class: 'field inline' }, el('label', { for: 'status-filter' }, t('list.filter.label')), select);
}

export function caseListView(options: CaseListOptions): Node[] {
  const refresh = el('button', { type: 'button', class: 'secondary' }, t('list.refresh'));
  refresh.addEventListener('click', () => void whileBusy(refresh, t('list.refreshing'), options.refresh));
  const more = options.hasMore ? el('button', { type: 'button', class: 'secondary' }, t('list.more')) : null;
  if (more) more.addEventListener('click', () => void whileBusy(more, t('list.loading'), options.more));
  const members = options.members ? el('button', { type: 'button', class: 'secondary' }, t('list.members')) : null;
  if (members) members.addEventListener('click', () => options.members?.());
  const error = alertLine('case-list-error');
  if (options.error) error.textContent = options.error;
  const { rows } = options;
  const count = !rows || rows.length === 0 ? '' : t('list.count', { count: rows.length, more: options.hasMore ? 'yes' : 'no' });
  const unread = rows?.filter((row) => row.unread).length ?? 0;
  return present(
    el('h1', {}, t('list.heading')),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('p', { class: 'hint' },
      t('list.hint')),
    transfersSection(options),
    el('div', { class: 'actions list-actions' }, refresh, members ?? '', statusFilter(options), el('span', {}, count)),
    unread > 0 ? el('p', { class: 'new-count' }, t('list.newCount', { count: unread })) : null,
    error,
    rows && rows.length === 0
      ? el('p', { class: 'empty' }, options.status
        ? t('list.emptyStatus', { status: statusLabel(options.status) })
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
