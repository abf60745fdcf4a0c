// The investigator console page: swaps views in #view and asks the engine (a Web Worker that
// holds the token and keys) for everything. The URL and title never change, nothing is
// stored, and a reload starts over at sign-in.
import { byId, el, showView } from '../ui/dom.js';
import { connectEngine } from '../ui/engine-rpc.js';
import type { Account, CaseDetailView, CaseRow, CaseStatus, ConsoleEngine } from './engine-api.js';
import { errorText, statusLabel } from './labels.js';
import { renderAccount } from './views/account.js';
import { caseErrorView, caseView } from './views/case-view.js';
import { caseListView } from './views/case-list.js';
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
      stage('Signed in. Decrypting the case list…');
      renderAccount(accountArea, account, signOut);
      await showList();
    },
  }));
}

async function showList(notice?: string): Promise<void> {
  if (!account) return;
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
  }));
}

showSignIn();
