// Every route, once: what it takes (body, query, path parameters), what it needs (who may call
// it, whether it costs work), and what it answers. A test holds this table equal to the routes
// the app really has (test/worker/route-table.test.ts); the OpenAPI document (worker/openapi.ts),
// the bad-input checks, the fuzzer and the response checks in the test harness are all read from it.
import type { z } from 'zod';
import * as wire from './wire.js';
import { responses } from './wire-responses.js';

/**
 * Who may call: anyone; anyone who pays a proof of work (docs/PROTOCOL.md §11); the holder of a
 * mailbox (its proof, §10); a signed-in investigator (bearer token); an administrator; or the
 * holder of a one-time link (setup, invitation) carried in the body.
 */
export type Caller = 'anyone' | 'work' | 'mailbox' | 'session' | 'admin' | 'link';

export interface RouteSpec {
  summary: string;
  caller: Caller;
  body?: z.ZodType;
  /** The body is raw bytes (application/octet-stream): a file part, its length checked by the route. */
  bytesBody?: true;
  query?: z.ZodType;
  params?: z.ZodType;
  /** The success status, and the schema of its JSON body (null: no body, or not JSON; 'bytes': application/octet-stream). */
  ok: { status: 200 | 201 | 202 | 204; body: z.ZodType | null; type?: 'json' | 'page' | 'bytes' };
}

export const ROUTE_TABLE = {
  'GET /api/config': { summary: 'The instance: protocol version, the mailbox KDF and the organisations with their key chains', caller: 'anyone', ok: { status: 200, body: responses.config } },
  'GET /api/openapi.json': { summary: 'This API, as OpenAPI 3.1', caller: 'anyone', ok: { status: 200, body: null } },
  'POST /api/reports': { summary: 'A new report, its mailbox and its sealed case keys', caller: 'work', body: wire.submitReportBody, ok: { status: 201, body: responses.reportReceipt } },
  'POST /api/mailbox/challenge': { summary: 'A challenge to spend with a proof of work (writes nothing)', caller: 'anyone', ok: { status: 200, body: responses.challenge } },
  'GET /api/mailbox': { summary: "The reporter's thread, padded to a fixed size", caller: 'mailbox', ok: { status: 200, body: responses.mailboxThread } },
  'POST /api/mailbox/messages': { summary: 'A reply from the reporter', caller: 'mailbox', body: wire.replyBody, ok: { status: 201, body: responses.messageReceipt } },
  'PUT /api/mailbox/files/:fileId/parts/:part': { summary: 'One part of a file the reporter attached, exactly its length (the proof signs its bytes)', caller: 'mailbox', params: wire.mailboxFilePartParam, bytesBody: true, ok: { status: 204, body: null } },
  'GET /api/mailbox/files/:fileId': { summary: "A file of the reporter's case: its length and the parts still missing", caller: 'mailbox', params: wire.mailboxFileParam, ok: { status: 200, body: responses.fileStatus } },
  'GET /api/mailbox/files/:fileId/content': { summary: "A file of the reporter's case, the whole ciphertext", caller: 'mailbox', params: wire.mailboxFileParam, ok: { status: 200, body: null, type: 'bytes' } },
  'POST /api/investigator/prelogin': { summary: 'The salt and KDF cost to derive the authentication key (stand-ins for unknown names)', caller: 'anyone', body: wire.preloginBody, ok: { status: 200, body: responses.prelogin } },
  'POST /api/investigator/sessions': { summary: 'Sign in with the authentication key and a TOTP code', caller: 'work', body: wire.signInBody, ok: { status: 201, body: responses.signIn } },
  'DELETE /api/investigator/sessions/current': { summary: 'Sign out', caller: 'session', ok: { status: 204, body: null } },
  'POST /api/investigator/totp/confirm': { summary: "Confirm a new account's authenticator with its first code", caller: 'work', body: wire.totpConfirmBody, ok: { status: 204, body: null } },
  'GET /api/investigator/cases': { summary: "A page of the organisation's cases, newest first, with each report", caller: 'session', query: wire.caseListQuery, ok: { status: 200, body: responses.caseList } },
  'GET /api/investigator/cases/assignees': { summary: "Who a case can be assigned to: the organisation's current members, names only", caller: 'session', ok: { status: 200, body: responses.assignees } },
  'GET /api/investigator/cases/transfers': { summary: 'Cases other organisations offer to pass to this one', caller: 'session', ok: { status: 200, body: responses.transfers } },
  'POST /api/investigator/cases/transfers/:caseId/accept': { summary: 'Accept an offered case', caller: 'session', params: wire.caseIdParam, ok: { status: 200, body: responses.transferAccepted } },
  'POST /api/investigator/cases/transfers/:caseId/decline': { summary: 'Decline an offered case', caller: 'session', params: wire.caseIdParam, body: wire.declineTransferBody, ok: { status: 204, body: null } },
  'GET /api/investigator/cases/:caseId': { summary: 'One case with its whole thread', caller: 'session', params: wire.caseIdParam, ok: { status: 200, body: responses.caseDetail } },
  'POST /api/investigator/cases/:caseId/messages': { summary: 'A message to the reporter (optionally with a new status)', caller: 'session', params: wire.caseIdParam, body: wire.investigatorReplyBody, ok: { status: 201, body: responses.caseMessageReceipt } },
  'PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part': { summary: 'One part of a file the organisation attached, exactly its length', caller: 'session', params: wire.caseFilePartParam, bytesBody: true, ok: { status: 204, body: null } },
  'GET /api/investigator/cases/:caseId/files/:fileId': { summary: 'A file of the case: its length and the parts still missing', caller: 'session', params: wire.caseFileParam, ok: { status: 200, body: responses.fileStatus } },
  'GET /api/investigator/cases/:caseId/files/:fileId/content': { summary: 'A file of the case, the whole ciphertext (audited as a view of the case)', caller: 'session', params: wire.caseFileParam, ok: { status: 200, body: null, type: 'bytes' } },
  'PUT /api/investigator/cases/:caseId/status': { summary: "A signed status change, shown to the reporter", caller: 'session', params: wire.caseIdParam, body: wire.statusBody, ok: { status: 200, body: responses.caseStatusReceipt } },
  'POST /api/investigator/cases/:caseId/pass-on': { summary: 'Offer the case to another organisation, its key sealed to theirs', caller: 'session', params: wire.caseIdParam, body: wire.passOnBody, ok: { status: 202, body: responses.passOnOffer } },
  'GET /api/investigator/figures': { summary: "The unit's cases received within a span of days, for its figures (the device opens each category and counts)", caller: 'session', query: wire.figuresQuery, ok: { status: 200, body: responses.figureCases } },
  'GET /api/investigator/instance/figures': { summary: 'Per organisation and month, what the server counts without decrypting (instance administrators)', caller: 'admin', query: wire.instanceFiguresQuery, ok: { status: 200, body: responses.instanceFigures } },
  'GET /api/figures': { summary: 'Suppressed instance-wide figures per organisation and month, when the operator publishes them (PARLEY_PUBLIC_FIGURES=on; else 404)', caller: 'anyone', query: wire.publicFiguresQuery, ok: { status: 200, body: responses.publicFigures } },
  'PUT /api/investigator/cases/:caseId/assignee': { summary: 'Assign the case to a current member of the unit that leads it, or to nobody', caller: 'session', params: wire.caseIdParam, body: wire.assigneeBody, ok: { status: 200, body: responses.caseAssignee } },
  'POST /api/investigator/cases/:caseId/notes': { summary: "An internal note of the unit on the case, signed by the organisation's key (never shown to the reporter)", caller: 'session', params: wire.caseIdParam, body: wire.noteBody, ok: { status: 201, body: responses.caseMessageReceipt } },
  'GET /api/investigator/cases/:caseId/notes': { summary: "The unit's internal notes on the case (audited as a view of the case)", caller: 'session', params: wire.caseIdParam, ok: { status: 200, body: responses.caseNotes } },
  'GET /api/investigator/admin/members': { summary: 'The members, their keys and what each holds', caller: 'admin', ok: { status: 200, body: responses.members } },
  'GET /api/investigator/admin/invites': { summary: 'Open invitations', caller: 'admin', ok: { status: 200, body: responses.invites } },
  'POST /api/investigator/admin/invites': { summary: 'Invite a member, or (instance administrators) a new organisation', caller: 'admin', body: wire.createInviteBody, ok: { status: 201, body: responses.newInvite } },
  'DELETE /api/investigator/admin/invites/:inviteId': { summary: 'Withdraw an invitation', caller: 'admin', params: wire.inviteIdParam, ok: { status: 204, body: null } },
  'POST /api/investigator/admin/members/:memberId/keyrings': { summary: "Give a member the organisation's keys, endorsing their key", caller: 'admin', params: wire.memberIdParam, body: wire.grantKeyringsBody, ok: { status: 201, body: responses.granted } },
  'POST /api/investigator/admin/members/:memberId/remove': { summary: 'Remove a member and start a key rotation without them', caller: 'admin', params: wire.memberIdParam, body: wire.removeMemberBody, ok: { status: 200, body: responses.keyVersionPending } },
  'POST /api/investigator/admin/rotation': { summary: 'Start a key rotation', caller: 'admin', body: wire.rotationBody, ok: { status: 201, body: responses.keyVersionPending } },
  'DELETE /api/investigator/admin/rotation': { summary: 'Abandon a pending key rotation', caller: 'admin', ok: { status: 204, body: null } },
  'DELETE /api/investigator/admin/members/:memberId/sessions': { summary: "End a member's sessions", caller: 'admin', params: wire.memberIdParam, ok: { status: 204, body: null } },
  'GET /api/investigator/organisation/settings': { summary: "The organisation's deadlines, retention and time zone", caller: 'session', ok: { status: 200, body: responses.organisationSettings } },
  'PUT /api/investigator/admin/settings': { summary: "Change the organisation's deadlines (for reports received afterwards), retention and time zone", caller: 'admin', body: wire.organisationSettingsBody, ok: { status: 200, body: responses.organisationSettings } },
  'GET /api/investigator/keyrings': { summary: "This member's keyrings and the organisation's key versions", caller: 'session', ok: { status: 200, body: responses.keyrings } },
  'POST /api/investigator/keyrings/checks': { summary: 'What this member found opening their keyrings (may activate a pending version)', caller: 'session', body: wire.keyringCheckBody, ok: { status: 200, body: responses.keyringChecks } },
  'GET /api/investigator/account/notices': { summary: "Where this member's staff notices go (null: none)", caller: 'session', ok: { status: 200, body: responses.noticeAddress } },
  'PUT /api/investigator/account/notices': { summary: "Set or clear this member's notice address", caller: 'session', body: wire.noticeAddressBody, ok: { status: 200, body: responses.noticeAddress } },
  'POST /api/setup': { summary: 'Found the first organisation with the one-time setup link', caller: 'link', body: wire.setupBody, ok: { status: 201, body: responses.totpEnrolment } },
  'POST /api/invites/inspect': { summary: 'What an invitation link is for', caller: 'link', body: wire.inviteTokenBody, ok: { status: 200, body: responses.inviteInfo } },
  'POST /api/invites/accept': { summary: 'Join with an invitation link (or found the invited organisation)', caller: 'link', body: wire.acceptInviteBody, ok: { status: 201, body: responses.totpEnrolment } },
  'GET /': { summary: "The reporter's page", caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /:lang/': { summary: "The reporter's page in one of the offered languages (/cy/: Welsh)", caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /:lang': { summary: 'The same page without the final slash (/cy)', caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /figures': { summary: "The instance's suppressed figures per organisation and month for the last 12 months, as a public page, when the operator publishes them (PARLEY_PUBLIC_FIGURES=on; else 404)", caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /console': { summary: 'The staff console', caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /:lang/console': { summary: 'The staff console in another language (/cy/console: Welsh)', caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /static/:file': { summary: "The pages' scripts and styles", caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /:lang/figures': { summary: 'The same public figures page in another language the instance offers (/cy/figures: Welsh; else 404)', caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
  'GET /:lang/:page': { summary: 'An information page beside the reporter\'s, in that language: /cy/staying-safe, /cy/privacy, /cy/accessibility', caller: 'anyone', ok: { status: 200, body: null, type: 'page' } },
} satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof ROUTE_TABLE;

/** "METHOD /path/:param" split, with a matcher for concrete paths. */
export function routeParts(key: string): { method: string; path: string; matches: (path: string) => boolean } {
  const [method, path] = key.split(' ') as [string, string];
  const pattern = new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
  return { method, path, matches: (concrete) => pattern.test(concrete) };
}

/** Each route's matcher, made once: routeFor runs on every PUT (worker/app.ts), and compiling every route's pattern each time was a third of a millisecond of a file part in workerd. */
const MATCHERS = (Object.keys(ROUTE_TABLE) as RouteKey[]).map((key) => ({ key, ...routeParts(key), parameters: key.split(':').length - 1 }));

/** The route a request is for: the most specific pattern wins (/cases/transfers before /cases/:caseId). */
export function routeFor(method: string, path: string): { key: RouteKey; spec: RouteSpec } | null {
  const candidates = MATCHERS.filter((route) => route.method === method && route.matches(path));
  const key = candidates.sort((a, b) => a.parameters - b.parameters)[0]?.key;
  return key ? { key, spec: ROUTE_TABLE[key] } : null;
}
