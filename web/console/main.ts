// The investigator console page: swaps views in #view and asks the engine (a Web Worker that
// holds the token and keys) for everything. The URL and title never change, nothing is
// stored, and a reload starts over at sign-in. A one-time setup or invitation link arrives
// in the fragment (never sent to the server); it is read once and wiped from the address.
import { byId, el, showView } from '../ui/dom.js';
import { connectEngine } from '../ui/engine-rpc.js';
import type { Account, CaseDetailView, CaseRow, CaseStatus, ConsoleEngine, Enrolment, MemberRow } from './engine-api.js';
import { errorText, statusLabel } from './labels.js';
import { renderAccount } from './views/account.js';
import { enrolDoneView, enrolView, joinView, linkProblemView, setUpView } from './views/accounts.js';
import { caseErrorView, caseView } from './views/case-view.js';
import { caseListView, noAccessView } from './views/case-list.js';
import { membersView, removeConfirmView } from './views/members.js';
import { signInView } from './views/sign-in.js';

const view = byId('view');
const accountArea = byId('account');
const announcer = byId('announce');

function startEngine() {
  const worker = new Worker('/static/console-engine.js', { type: 'module' });
  // Without an engine nothing can be decrypted, and its pending calls would never answer.
  worker.addEventListener('error', () => {
    showView(view, el('h1', {}, 'The console could not start'),
      el('p', { class: 'error', role: 'alert' }, 'Its decryption engine did not load. Reload the page; if this persists, tell your administrator.'));
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
  restart('You are signed out. Your keys were removed from this page.');
}

/** Runs an engine call; a session that ended sends the person back to sign-in. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSessionEnded(error)) restart('Your session has ended. Sign in again.');
    throw error;
  }
}

function showSignIn(notice?: string): void {
  showView(view, ...signInView({
    ...(notice ? { notice } : {}),
    async signIn(username, password, totp, stage) {
      account = await engine.signIn(username, password, totp);
      stage(account.hasKeys ? 'Signed in. Decrypting the case list…' : 'Signed in.');
      renderAccount(accountArea, account, signOut);
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
  let rows: CaseRow[] | null = null;
  let error: string | undefined;
  try {
    rows = await guarded(() => engine.listCases());
  } catch (failure) {
    if (isSessionEnded(failure)) return;
    error = errorText(failure, 'other');
  }
  showView(view, ...caseListView({
    organisationName: account.organisationName,
    rows,
    ...(error ? { error } : {}),
    ...(notice ? { notice } : {}),
    open: (row) => void showCase(row),
    refresh: async () => {
      await showList();
      announce('Case list refreshed.');
    },
    ...(account.role === 'admin' ? { members: () => void showMembers() } : {}),
  }));
}

async function showCase(row: Pick<CaseRow, 'id' | 'reference'>): Promise<void> {
  announce(`Opening case ${row.reference}…`);
  try {
    renderCase(await guarded(() => engine.openCase(row.id)));
  } catch (failure) {
    if (isSessionEnded(failure)) return;
    showView(view, ...caseErrorView(row.reference, errorText(failure, 'other'), () => void showList()));
  }
}

function renderCase(detail: CaseDetailView, notice?: string): void {
  showView(view, ...caseView({
    detail,
    ...(notice ? { notice } : {}),
    back: () => void showList(),
    refresh: async () => {
      try {
        renderCase(await guarded(() => engine.openCase(detail.id)));
        announce('Case refreshed.');
      } catch (failure) {
        if (!isSessionEnded(failure)) showView(view, ...caseErrorView(detail.reference, errorText(failure, 'other'), () => void showList()));
      }
    },
    describe: (error) => errorText(error, 'other'),
    // After either action the engine re-opens the case, so the view shows what the server now holds.
    reply: async (text, status) => {
      const updated = await guarded(() => engine.reply(detail.id, text, status));
      const done = status ? `Message sent, and the status is now “${statusLabel(status)}”.` : 'Message sent.';
      renderCase(updated, done);
      announce(done);
    },
    setStatus: async (status: CaseStatus) => {
      const updated = await guarded(() => engine.setStatus(detail.id, status));
      const done = `The status is now “${statusLabel(status)}”.`;
      renderCase(updated, done);
      announce(done);
    },
    otherOrganisations: () => guarded(() => engine.otherOrganisations()),
    passOn: async (organisation, keepAccess) => {
      await guarded(() => engine.passOn(detail.id, organisation.id, keepAccess));
      await showList(keepAccess
        ? `Case ${detail.reference} was passed to ${organisation.name}. You kept access to it.`
        : `Case ${detail.reference} was passed to ${organisation.name} and has left your list.`);
    },
  }));
}

const inviteLink = (token: string) => `${location.origin}/console#invite=${encodeURIComponent(token)}`;

async function showMembers(notice?: string): Promise<void> {
  if (!account) return;
  const signedIn = account;
  let members: MemberRow[] | null = null;
  let error: string | undefined;
  try {
    members = await guarded(() => engine.listMembers());
  } catch (failure) {
    if (isSessionEnded(failure)) return;
    error = errorText(failure, 'other');
  }
  showView(view, ...membersView({
    organisationName: signedIn.organisationName,
    members,
    ...(error ? { error } : {}),
    ...(notice ? { notice } : {}),
    instanceAdmin: signedIn.instanceAdmin,
    back: () => void showList(),
    inviteMember: async (role) => inviteLink(await guarded(() => engine.inviteMember(role))),
    inviteOrganisation: async (name) => inviteLink(await guarded(() => engine.inviteOrganisation(name))),
    grant: async (member) => {
      await guarded(() => engine.grantAccess(member.id));
      await showMembers(`${member.username} now has access to reports. They see them after they next sign in.`);
    },
    remove: (member) => showRemoveConfirm(member),
    endSessions: async (member) => {
      await guarded(() => engine.endSessions(member.id));
      announce(`${member.username} is signed out everywhere.`);
    },
    copied: () => announce('Link copied.'),
    describe: (failure) => errorText(failure, 'other'),
  }));
}

function showRemoveConfirm(member: MemberRow): void {
  showView(view, ...removeConfirmView({
    member,
    confirm: async () => {
      await guarded(() => engine.removeMember(member.id));
      await showMembers(`${member.username} was removed, and the organisation’s keys were replaced.`);
    },
    cancel: () => void showMembers(),
    describe: (failure) => errorText(failure, 'other'),
  }));
}

function showEnrol(enrolment: Enrolment): void {
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

function followLink(link: { kind: 'setup' | 'invite'; token: string }): void {
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
