// The requests bench:scale times as the database grows: the reporter's mailbox fetch and what
// an investigator's console asks for (the case list in both orders, a case, a month of
// figures), each built and signed before its run so the timed request is the HTTP request alone.
import { signIn, sessionHeaders, type InvestigatorSession } from '../web/client/investigator.js';
import { setNoticeAddress } from '../web/client/notices.js';
import type { MailboxKeys } from '../web/protocol/index.js';
import { addDays } from '../web/casework/calendar.js';
import { totpCodeAt } from '../worker/totp.js';
import { BENCH_KDF, MAILBOX_PATH, signedMailboxFetches, type BenchDatabase, type BenchInstance } from './instance.js';
import type { LoadVariant } from './load.js';

export interface ScaleRequest {
  /** As the results name it. */
  name: string;
  /** Path and query of every request, unless a variant gives its own path. */
  path: string;
  headers?: Record<string, string>;
  /** Per-request headers or paths, made just before each run (a mailbox fetch's challenge is single-use). */
  variants?: (count: number) => Promise<LoadVariant[]>;
}

/** Cases a figures page holds: a page a month of the smallest database fills too, so both sizes return the same work. */
export const FIGURES_PAGE = 20;
export const CASES_PATH = '/api/investigator/cases';

/** The last whole calendar month (UTC) before today. */
export function lastWholeMonth(today: string): { from: string; to: string } {
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** The organisation's administrator signed in through the real client, with a notice address so staff notices have someone to tell. */
export async function signedInAdmin(instance: BenchInstance, db: BenchDatabase): Promise<InvestigatorSession> {
  const { username, password, totpSecret } = db.admin;
  const session = await signIn(instance.api, { username, password, totp: totpCodeAt(totpSecret, Date.now()) }, BENCH_KDF);
  await setNoticeAddress(instance.api, session, 'unit@bench.invalid');
  return session;
}

export function scaleRequests(instance: BenchInstance, session: InvestigatorSession, known: { mailboxes: readonly MailboxKeys[]; caseIds: readonly string[] }): ScaleRequest[] {
  const headers = sessionHeaders(session);
  const month = lastWholeMonth(new Date().toISOString().slice(0, 10));
  return [
    { name: 'mailbox fetch', path: MAILBOX_PATH, variants: (count) => signedMailboxFetches(instance.api, known.mailboxes, count) },
    { name: 'case list, newest first', path: CASES_PATH, headers },
    { name: 'case list, by due day', path: `${CASES_PATH}?sort=due`, headers },
    { name: 'case view', path: CASES_PATH, headers, variants: async (count) => Array.from({ length: count }, (_, i) => ({ path: `${CASES_PATH}/${known.caseIds[i % known.caseIds.length]}` })) },
    { name: `figures, ${month.from.slice(0, 7)}`, path: `/api/investigator/figures?from=${month.from}&to=${month.to}&limit=${FIGURES_PAGE}`, headers },
  ];
}

/** One request as the load generator would send it, outside any timed run: its status, size and how many cases it returned. */
export async function probe(serverUrl: string, request: ScaleRequest): Promise<{ status: number; bytes: number; cases: number | null }> {
  const variant = (await request.variants?.(1))?.[0];
  const response = await fetch(`${serverUrl}${variant?.path ?? request.path}`, { headers: { ...request.headers, ...variant?.headers } });
  const text = await response.text();
  const body = JSON.parse(text) as { cases?: unknown[] };
  return { status: response.status, bytes: Buffer.byteLength(text), cases: Array.isArray(body.cases) ? body.cases.length : null };
}
