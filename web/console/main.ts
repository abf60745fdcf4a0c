// The investigator console page: swaps views in #view and asks the engine (a Web Worker that
// holds the token and keys) for everything. The URL and title never change, nothing is
// stored, and a reload starts over at sign-in. A one-time setup or invitation link arrives
// in the fragment (never sent to the server); it is read once and wiped from the address.
import { usePageCatalogue, t } from '../i18n/i18n.js';
import { byId, el, showView } from '../ui/dom.js';
import { connectEngine } from '../ui/engine-rpc.js';
import type { Account, Assignee, CaseDetailView, CaseListQuery, CaseRow, CaseStatus, ConsoleEngine, Enrolment, MemberRow, TransferNotice, TransferRow } from './engine-api.js';
import { errorText, statusLabel } from './labels.js';
import { renderAccount } from './views/account.js';
import { enrolDoneView, enrolView, joinView, linkProblemView, setUpView } from './views/accounts.js';
import { caseErrorView, caseView } from './views/case-view.js';
import { caseListView, noAccessView, type AssigneeOption } from './views/case-list.js';
import { dayIn } from '../casework/calendar.js';
import type { ReportCategory } from '../protocol/documents.js';
import { membersView, removeConfirmView } from './views/members.js';
import { figuresView, foiView, instanceFiguresView, type FiguresSpan } from './views/figures.js';
import type { CaseFacts } from '../casework/figures.js';
import { addMonths, addDays } from '../casework/calendar.js';
import { settingsView } from './views/settings.js';
import { signInView } from './views/sign-in.js';
import { noticesView } from './views/notices.js';

// The build put this page's language's catalogue into it (/cy/console: Welsh); views read it through t().
usePageCatalogue();

const view = byId('view');
const accountArea = byId('account');
const announcer = byId('announce');

function startEngine() {
  const worker = new Worker('/static/console-engine.js', { type: 'module' });
  // Without an engine nothing can be decrypted, and its pending calls would never answer.
  worker.addEventListener('error', () => {
    showView(view, el('h1', {}, t('page.engineFailed.heading')),
      el('p', { class: 'error', role: 'alert' }, t('page.engineFailed.text')));
  });
  return connectEngine<ConsoleEngine>(worker);
}

let engine = startEngine();
let account: Account | null = null;

/** Polite announcement for things that happen without a new heading to focus (sent, refreshed). */
function announce(text: string): void {
  announcer.textContent = '';
  // A separate task, so the same words twice in a row are still announced.
  setTimeout(() => { announcer.textContent = text; }, 50);
}

function isSessionEnded(error: unknown): boolean {
  return (error as { code?: string }).code === 'unauthorised';
}

/** Back to sign-in with a fresh engine: the old one's keys are dropped with it. */
function restart(notice: string): void {
  engine.terminate();
  engine = startEngine();
  account = null;
  renderAccount(accountArea, null, signOut);
  showSignIn(notice);
}

async function signOut(): Promise<void> {
  try {
    await engine.signOut();
  } catch {
    // Signed out on this device regardless; the server's session then ends when idle.
  }
  restart(t('account.signedOut'));
}

/** Runs an engine call; a session that ended sends the person back to sign-in. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSessionEnded(error)) restart(t('error.sessionEnded'));
    throw error;
  }
}

/**
 * The "known device" token of each username signed in on this browser (the console is staff-only;
 * the reporter's pages store nothing). Without storage it is simply not kept.
 */
const knownDevice = {
  tokenFor(username: string): string | undefined {
    try {
      return localStorage.getItem(`parley.known-device.${username}`) ?? undefined;
    } catch {
      return undefined;
    }
  },
  keep(username: string, token: string): void {
    try {
      localStorage.setItem(`parley.known-device.${username}`, token);
    } catch {
      // Storage off or full: the next sign-in counts as a new device, nothing worse.
    }
  },
};

function showSignIn(notice?: string): void {
  carryLinkToken(null);
  showView(view, ...signInView({
    ...(notice ? { notice } : {}),
    async signIn(username, password, totp, stage) {
      account = await engine.signIn(username, password, totp, knownDevice.tokenFor(username));
      knownDevice.keep(username, account.deviceToken);
      stage(account.hasKeys ? t('signIn.decrypting') : t('signIn.done'));
      renderAccount(accountArea, account, signOut, () => void showNotices());
      await showList();
    },
  }));
}

async function showList(notice?: string): Promise<void> {
  if (!account) return;
  if (!account.hasKeys) {
    showView(view, ...noAccessView(account.organisationName));
    return;
  }
  const query = listQuery;
  const loaded = await loadForView(async () => {
    const [page, transfers, assignees] = await Promise.all([engine.listCases(query, null), engine.listTransfers(), knownMembers()]);
    return { page, transfers, assignees };
  });
  if (!loaded) return;
  const { value, error } = loaded;
  if (value) listDay = { today: value.page.today, summary: value.page.summary };
  renderList({ rows: value?.page.rows ?? null, nextCursor: value?.page.nextCursor ?? null, transfers: value?.transfers ?? [], assignees: value?.assignees ?? [], ...(error ? { error } : {}), ...(notice ? { notice } : {}) });
}

/** What the case list asks the server for, and the category it filters by on this device; kept while the person moves between views. */
let listQuery: CaseListQuery = { status: null, sort: 'received', due: null, assignee: null, reference: null };
let listCategory: ReportCategory | null = null;
/** The unit's day and its deadline counts, as the last list gave them (the case view's deadlines count from that day). */
let listDay: { today: string; summary: { overdue: number; dueThisWeek: number } } | null = null;
/** The unit's day; UTC's only if no list has loaded yet. */
const unitToday = () => listDay?.today ?? dayIn(Date.now(), 'UTC');

/** The members the assignee filter offers by name: the unit's current members, for every member (GET …/cases/assignees). */
async function knownMembers(): Promise<AssigneeOption[]> {
  return (await engine.assignees()).map((m) => ({ id: m.id, name: m.username, isMe: m.username === account?.username }));
}

function renderList(state: { rows: CaseRow[] | null; nextCursor: string | null; transfers: TransferRow[]; assignees: AssigneeOption[]; error?: string; notice?: string }): void {
  if (!account) return;
  showView(view, ...caseListView({
    organisationName: account.organisationName,
    rows: state.rows,
    hasMore: state.nextCursor !== null,
    query: listQuery,
    category: listCategory,
    today: unitToday(),
    summary: listDay?.summary ?? null,
    assignees: state.assignees,
    transfers: state.transfers,
    ...(state.error ? { error: state.error } : {}),
    ...(state.notice ? { notice: state.notice } : {}),
    open: (row) => void showCase(row),
    refresh: async () => {
      await showList();
      announce(t('list.refreshed'));
    },
    filter: async (change) => {
      const statusChanged = change.status !== undefined && change.status !== listQuery.status;
      listQuery = { ...listQuery, ...change };
      await showList();
      if (change.reference) announce(t('list.search.showing', { reference: change.reference }));
      else if (statusChanged) announce(listQuery.status ? t('list.filter.showing', { status: statusLabel(listQuery.status) }) : t('list.filter.showingAll'));
      else announce(t('list.refreshed'));
    },
    filterCategory: (category) => {
      listCategory = category;
      renderList(state);
      const shown = (state.rows ?? []).filter((row) => category === null || row.report?.category === category).length;
      announce(t('list.filtered.showing', { count: shown }));
    },
    more: async () => {
      const next = await loadForView(() => engine.listCases(listQuery, state.nextCursor));
      if (!next) return;
      const rows = [...(state.rows ?? []), ...(next.value?.rows ?? [])];
      renderList({ ...state, rows, nextCursor: next.value?.nextCursor ?? null, ...(next.error ? { error: next.error } : {}) });
      announce(t('list.moreShown', { count: next.value?.rows.length ?? 0 }));
    },
    accept: async (transfer) => {
      const result = await loadForView(() => engine.acceptTransfer(transfer.caseId));
      if (!result) return;
      const notice = result.error ?? (result.value?.accepted
        ? t('list.transfers.accepted', { reference: transfer.reference })
        : t('list.transfers.keyDidNotOpen', { reference: transfer.reference }));
      await showList(notice);
    },
    decline: async (transfer) => {
      const result = await loadForView(() => engine.declineTransfer(transfer.caseId));
      if (!result) return;
      await showList(result.error ?? t('list.transfers.declined', { reference: transfer.reference }));
    },
    figures: () => void showFigures(),
    ...(account.role === 'admin' ? { members: () => void showMembers(), settings: () => void showSettings() } : {}),
  }));
}

/** Loads what a view lists: the value, or an error to show in the view; null once the session has ended (sign-in is shown). */
async function loadForView<T>(load: () => Promise<T>): Promise<{ value: T | null; error?: string } | null> {
  try {
    return { value: await guarded(load) };
  } catch (failure) {
    if (isSessionEnded(failure)) return null;
    return { value: null, error: errorText(failure, 'other') };
  }
}

/** The members a case can be assigned to, fetched as a case is opened. */
let caseAssignees: Assignee[] = [];

async function showCase(row: Pick<CaseRow, 'id' | 'reference'>): Promise<void> {
  announce(t('case.opening', { reference: row.reference }));
  try {
    const [detail, members] = await guarded(() => Promise.all([engine.openCase(row.id), engine.assignees()]));
    caseAssignees = members;
    renderCase(detail);
  } catch (failure) {
    if (isSessionEnded(failure)) return;
    showView(view, ...caseErrorView(row.reference, errorText(failure, 'other'), () => void showList()));
  }
}

/** Runs an engine call while its transfer notices go to `listener`. */
async function whileNoticed<T>(listener: (notice: TransferNotice) => void, work: () => Promise<T>): Promise<T> {
  const stop = engine.onNotice((notice) => listener(notice as TransferNotice));
  try {
    return await work();
  } finally {
    stop();
  }
}

function uploadsOf(caseId: string, progress: (done: number, total: number) => void): (notice: TransferNotice) => void {
  return (notice) => {
    if (notice.kind === 'upload' && notice.caseId === caseId) progress(notice.done, notice.total);
  };
}

function renderCase(detail: CaseDetailView, notice?: string): void {
  showView(view, ...caseView({
    detail,
    today: unitToday(),
    ...(notice ? { notice } : {}),
    back: () => void showList(),
    refresh: async () => {
      try {
        renderCase(await guarded(() => engine.openCase(detail.id)));
        announce(t('case.refreshed'));
      } catch (failure) {
        if (!isSessionEnded(failure)) showView(view, ...caseErrorView(detail.reference, errorText(failure, 'other'), () => void showList()));
      }
    },
    describe: (error) => errorText(error, 'other'),
    // After either action the engine re-opens the case, so the view shows what the server now holds.
    reply: async (text, status, files, progress, feedback) => {
      const updated = await whileNoticed(uploadsOf(detail.id, progress), () => guarded(() => engine.reply(detail.id, text, status, files, feedback)));
      const done = status ? t('case.reply.sentStatus', { status: statusLabel(status) }) : t('case.reply.sent');
      renderCase(updated, done);
      announce(done);
    },
    finishUploads: async (progress) => {
      const updated = await whileNoticed(uploadsOf(detail.id, progress), () => guarded(() => engine.finishUploads(detail.id)));
      renderCase(updated, t('case.files.uploaded'));
      announce(t('case.files.uploaded'));
    },
    download: (attachment, progress) =>
      whileNoticed((notice) => {
        if (notice.kind === 'download' && notice.fileId === attachment.id) progress(notice.done, notice.total);
      }, () => guarded(() => engine.downloadAttachment(detail.id, attachment.id))),
    announce,
    setStatus: async (status: CaseStatus) => {
      const updated = await guarded(() => engine.setStatus(detail.id, status));
      const done = t('case.status.now', { status: statusLabel(status) });
      renderCase(updated, done);
      announce(done);
    },
    assignees: caseAssignees,
    assign: async (memberId) => {
      const updated = await guarded(() => engine.assignCase(detail.id, memberId));
      const name = caseAssignees.find((m) => m.id === memberId)?.username;
      const done = name ? t('case.assign.done', { username: name }) : t('case.assign.cleared');
      renderCase(updated, done);
      announce(done);
    },
    addNote: async (text) => {
      const updated = await guarded(() => engine.addNote(detail.id, text));
      renderCase(updated, t('case.notes.added'));
      announce(t('case.notes.added'));
    },
    otherOrganisations: () => guarded(() => engine.otherOrganisations()),
    passOn: async (organisation, keepAccess) => {
      await guarded(() => engine.passOn(detail.id, organisation.id, keepAccess));
      await showList(keepAccess
        ? t('case.passOn.offeredKeep', { reference: detail.reference, organisation: organisation.name })
        : t('case.passOn.offeredMove', { reference: detail.reference, organisation: organisation.name }));
    },
  }));
}

/**
 * The figures' span, kept while the person moves between views: by default the twelve months to
 * the unit's day as the case list gave it (not the device's clock, nor UTC's date).
 */
let figuresSpan: FiguresSpan | null = null;
let figuresFacts: CaseFacts[] | null = null;

function shownSpan(): FiguresSpan {
  const day = unitToday();
  return (figuresSpan ??= { from: addDays(addMonths(day, -12), 1), to: day, period: 'month' });
}

function renderFigures(error?: string): void {
  if (!account) return;
  const signedIn = account;
  const span = shownSpan();
  showView(view, ...figuresView({
    organisationName: signedIn.organisationName,
    span,
    facts: figuresFacts,
    ...(error ? { error } : {}),
    show: async (asked) => {
      const loaded = await loadForView(() => engine.figureFacts(asked.from, asked.to));
      if (!loaded) return;
      figuresSpan = asked;
      figuresFacts = loaded.value;
      renderFigures(loaded.error);
      if (!loaded.error) announce(t('figures.heading'));
    },
    print: (figures) => showView(view, ...foiView({ organisationName: signedIn.organisationName, span, figures, back: () => renderFigures() })),
    back: () => void showList(),
    announce,
    ...(signedIn.instanceAdmin ? { instance: () => void showInstanceFigures() } : {}),
  }));
}

async function showInstanceFigures(): Promise<void> {
  const span = shownSpan();
  const loaded = await loadForView(() => engine.instanceFigures(span.from, span.to));
  if (!loaded) return;
  showView(view, ...instanceFiguresView({ span, organisations: loaded.value, ...(loaded.error ? { error: loaded.error } : {}), back: () => renderFigures() }));
}

function showFigures(): void {
  figuresFacts = null;
  renderFigures();
}

// The link opens the console in the language it was made in (/console or /cy/console); its page links to the other.
const inviteLink = (token: string) => `${location.origin}${location.pathname}#invite=${encodeURIComponent(token)}`;

/** The member's own e-mail notices (views/notices.ts). */
async function showNotices(notice?: string): Promise<void> {
  if (!account) return;
  const loaded = await loadForView(() => engine.noticeAddress());
  if (!loaded) return;
  showView(view, ...noticesView({
    email: loaded.value,
    ...(loaded.error ? { error: loaded.error } : {}),
    ...(notice ? { notice } : {}),
    back: () => void showList(),
    save: async (email) => {
      const saved = await guarded(() => engine.setNoticeAddress(email));
      await showNotices(t('notices.saved', { email: saved ?? email }));
    },
    stop: async () => {
      await guarded(() => engine.setNoticeAddress(null));
      await showNotices(t('notices.stopped'));
    },
    describe: (failure) => errorText(failure, 'other'),
  }));
}

async function showMembers(notice?: string): Promise<void> {
  if (!account) return;
  const signedIn = account;
  const loaded = await loadForView(() => Promise.all([engine.listMembers(), engine.listInvites()]));
  if (!loaded) return;
  const { value, error } = loaded;
  showView(view, ...membersView({
    organisationName: signedIn.organisationName,
    members: value?.[0] ?? null,
    invites: value?.[1] ?? [],
    ...(error ? { error } : {}),
    ...(notice ? { notice } : {}),
    instanceAdmin: signedIn.instanceAdmin,
    back: () => void showList(),
    inviteMember: async (role) => inviteLink(await guarded(() => engine.inviteMember(role))),
    inviteOrganisation: async (name) => inviteLink(await guarded(() => engine.inviteOrganisation(name))),
    grant: async (member) => {
      await guarded(() => engine.grantAccess(member.id));
      await showMembers(t('members.granted', { username: member.username }));
    },
    remove: (member) => showRemoveConfirm(member),
    revokeInvite: async (invite) => {
      await guarded(() => engine.revokeInvite(invite.id));
      await showMembers(t('members.invites.withdrawn'));
    },
    endSessions: async (member) => {
      await guarded(() => engine.endSessions(member.id));
      announce(t('members.sessionsEnded', { username: member.username }));
    },
    copied: () => announce(t('members.copied')),
    describe: (failure) => errorText(failure, 'other'),
  }));
}

async function showSettings(notice?: string): Promise<void> {
  if (!account) return;
  const signedIn = account;
  const loaded = await loadForView(() => engine.organisationSettings());
  if (!loaded) return;
  showView(view, ...settingsView({
    organisationName: signedIn.organisationName,
    settings: loaded.value,
    ...(loaded.error ? { error: loaded.error } : {}),
    ...(notice ? { notice } : {}),
    back: () => void showList(),
    save: async (settings) => {
      await guarded(() => engine.saveOrganisationSettings(settings));
      await showSettings(t('settings.saved'));
      announce(t('settings.saved'));
    },
    describe: (failure) => errorText(failure, 'other'),
  }));
}

function showRemoveConfirm(member: MemberRow): void {
  showView(view, ...removeConfirmView({
    member,
    confirm: async () => {
      const { keysActive } = await guarded(() => engine.removeMember(member.id));
      await showMembers(keysActive
        ? t('members.removed', { username: member.username })
        : t('members.removedPending', { username: member.username }));
    },
    cancel: () => void showMembers(),
    describe: (failure) => errorText(failure, 'other'),
  }));
}

function showEnrol(enrolment: Enrolment): void {
  carryLinkToken(null);
  showView(view, ...enrolView({
    enrolment,
    confirm: async (code) => {
      await engine.confirmTotp(code);
      showView(view, ...enrolDoneView(() => showSignIn()));
    },
    describe: (failure) => errorText(failure, 'account'),
  }));
}

function showSetUp(token: string): void {
  showView(view, ...setUpView({
    submit: async ({ orgName, username, password }) => showEnrol(await engine.setUpFirstOrganisation(token, orgName, username, password)),
    describe: (failure) => errorText(failure, 'account'),
  }));
}

async function showJoin(token: string): Promise<void> {
  try {
    const invite = await engine.inspectInvite(token);
    showView(view, ...joinView({
      invite,
      submit: async ({ username, password }) => showEnrol(await engine.acceptInvite(token, username, password)),
      describe: (failure) => errorText(failure, 'account'),
    }));
  } catch (failure) {
    showView(view, ...linkProblemView(errorText(failure, 'account'), () => showSignIn()));
  }
}

/** Reads a setup or invitation token from the fragment, then removes it so it stays out of history. */
function takeLinkToken(): { kind: 'setup' | 'invite'; token: string } | null {
  const match = /^#(setup|invite)=(.+)$/.exec(location.hash);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  if (!match) return null;
  try {
    return { kind: match[1] as 'setup' | 'invite', token: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}

/**
 * While a setup or invitation link is being used, the links to the other languages carry it, so
 * an invitee can switch to Welsh (or English) without losing it; the next page wipes it from the
 * address again. Once the account is made (or the link is left for sign-in) they go back to plain.
 */
function carryLinkToken(link: { kind: 'setup' | 'invite'; token: string } | null): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#languages a')) {
    const plain = a.getAttribute('href')!.replace(/#.*$/, '');
    a.setAttribute('href', link ? `${plain}#${link.kind}=${encodeURIComponent(link.token)}` : plain);
  }
}

function followLink(link: { kind: 'setup' | 'invite'; token: string }): void {
  carryLinkToken(link);
  if (link.kind === 'setup') showSetUp(link.token);
  else void showJoin(link.token);
}

// A link pasted into an open console changes only the fragment, so the page does not reload.
window.addEventListener('hashchange', () => {
  const link = takeLinkToken();
  if (link) followLink(link);
});

const linkToken = takeLinkToken();
if (linkToken) followLink(linkToken);
else showSignIn();
