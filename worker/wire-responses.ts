// What each route answers, as zod schemas beside the request schemas (worker/wire.ts). The
// route table (worker/route-table.ts) names them per route, the OpenAPI document is made from
// them, the test harness checks every response the suite receives against them, and the clients
// take their types from them (web/client/wire-types.ts): one description of the wire, no copies.
import { z } from 'zod';
import { CASE_STATUSES } from '../db/schema.js';
import { wireField as f } from './wire.js';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../web/casework/figures.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD');
const ms = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
/** A count as published: 0, 5 or more, or "fewer than 5" (web/casework/figures.ts). */
const shownCount = z.union([count, z.literal('fewer_than_5')]);
const caseStatus = z.enum(CASE_STATUSES);
const kdf = z.strictObject({ opsLimit: z.number().int().positive(), memLimitBytes: z.number().int().positive() });

export const chainLink = z.strictObject({ keyVersion: f.keyVersion, boxPublicKey: f.publicKey, signPublicKey: f.publicKey, endorsement: f.signature });
/** Clients seal to and verify with keys from `keyChain` only, after verifying it from version 1; the flat fields are for display. */
export const publicOrganisation = z.strictObject({
  id: f.id,
  name: z.string(),
  boxPublicKey: f.publicKey,
  signPublicKey: f.publicKey,
  keyVersion: f.keyVersion,
  keyChain: z.array(chainLink),
});
export const wireMessage = z.strictObject({
  id: f.id,
  role: z.enum(['reporter', 'organisation']),
  orgId: f.id.nullable(),
  /** For organisation messages: which of the organisation's signing keys signed it. */
  keyVersion: f.keyVersion.nullable(),
  day,
  envelope: f.envelope,
  signature: f.signature,
});
/** A message in a thread, with its files: a file that expired unfinished is simply absent. */
export const threadMessage = wireMessage.extend({ files: z.array(z.strictObject({ id: f.id, bytes: z.number().int().positive(), complete: z.boolean() })) });
/** A sealed case key and who sealed it: null, the reporter's mailbox key; else that organisation's signing key of that version. */
export const wireCaseKey = z.strictObject({
  keyVersion: f.keyVersion,
  sealedCaseKey: f.sealedCaseKey,
  sealSignature: f.signature.nullable(),
  sealedBy: z.strictObject({ orgId: f.id, keyVersion: f.keyVersion.nullable() }).nullable(),
});
export const keyVersionInfo = z.strictObject({ keyVersion: f.keyVersion, state: z.enum(['pending', 'active']), boxPublicKey: f.publicKey, signPublicKey: f.publicKey, createdBy: f.id.nullable(), endorsement: f.signature });
export const heldKeyring = z.strictObject({ keyVersion: f.keyVersion, sealedKeyring: f.sealedKeyring, confirmed: z.boolean() });
/** A case's deadlines (web/casework/deadlines.ts): due days fixed on arrival, and the days each was met (null: not yet). */
const caseDeadlines = z.strictObject({ ackDueDay: day.nullable(), ackDay: day.nullable(), feedbackDueDay: day.nullable(), feedbackDay: day.nullable() });
export const caseSummary = z.strictObject({
  id: f.id, reference: z.string(), status: caseStatus, receivedDay: day, lastReporterDay: day, caseKey: wireCaseKey,
  deadlines: caseDeadlines,
  /** The day the case was last closed (closed, or no further action); null while open. */
  closedDay: day.nullable(),
  /** The member the case is assigned to. */
  assignedTo: f.id.nullable(),
  /** The day retention deletes the case, under its leading organisation's settings (web/casework/retention.ts). */
  deletionDay: day,
});
const totpEnrolment = z.strictObject({ totp: z.strictObject({ secret: z.string().regex(/^[A-Z2-7]+$/), uri: z.string().startsWith('otpauth://totp/') }) });
const keyVersionState = z.strictObject({ keyVersion: f.keyVersion, state: z.literal('pending') });

export const responses = {
  config: z.strictObject({ protocolVersion: z.number().int(), mailboxKdf: kdf.extend({ salt: z.string() }), organisations: z.array(publicOrganisation) }),
  challenge: z.strictObject({ challenge: z.string(), expiresInSeconds: z.number().int().positive(), workBits: z.number().int().min(0) }),
  reportReceipt: z.strictObject({ reference: z.string(), receivedDay: day }),
  mailboxThread: z.strictObject({
    caseId: f.id,
    reference: z.string(),
    status: caseStatus,
    receivedDay: day,
    /** The day the unit aims to answer by (its next open deadline); null when none is open. */
    replyBy: day.nullable(),
    sealedCaseKey: f.sealedCaseKey,
    /** The mailbox key's signature over its sealed case key: the reporter's client checks it. */
    sealSignature: f.signature,
    organisations: z.array(publicOrganisation),
    messages: z.array(threadMessage),
    /** While the case is closed (closed, no further action): the day it will be deleted. */
    deletionDay: day.nullable(),
    /** Spaces that make the body one of the fixed sizes (worker/padded-json.ts). */
    padding: z.string().regex(/^ *$/).optional(),
  }),
  messageReceipt: z.strictObject({ id: f.id, day }),
  /** `missing`: the parts a resumed upload still has to send. */
  fileStatus: z.strictObject({ id: f.id, bytes: z.number().int().positive(), partBytes: z.number().int().positive(), parts: z.number().int().positive(), missing: z.array(z.number().int().nonnegative()), complete: z.boolean() }),
  prelogin: z.strictObject({ salt: z.string(), kdf }),
  signIn: z.strictObject({
    token: z.string(),
    expiresAt: ms,
    investigator: z.strictObject({ id: f.id, username: f.username, role: f.role, instanceAdmin: z.boolean(), boxPublicKey: f.publicKey, wrappedSeed: f.wrappedSeed }),
    organisation: publicOrganisation,
    keyrings: z.array(heldKeyring),
    keyVersions: z.array(keyVersionInfo),
    deviceToken: z.string(),
  }),
  caseList: z.strictObject({
    cases: z.array(caseSummary.extend({
      reporterSignPublicKey: f.publicKey, report: wireMessage.nullable(),
      /** A reporter message this member has not seen, or a case they have never opened. */
      unread: z.boolean(),
    })),
    /** Pass as `after` for the next page; null on the last one. */
    nextCursor: z.string().nullable(),
    organisations: z.array(publicOrganisation),
    /** The organisation's day (its time zone), which `overdue` and `dueThisWeek` count from. */
    today: day,
    /** Over all the organisation's cases, not this page: open deadlines passed, and falling within seven days from today. */
    summary: z.strictObject({ overdue: z.number().int().nonnegative(), dueThisWeek: z.number().int().nonnegative() }),
  }),
  transfers: z.strictObject({
    transfers: z.array(z.strictObject({
      caseId: f.id,
      reference: z.string(),
      receivedDay: day,
      fromOrgId: f.id,
      fromOrgName: z.string().nullable(),
      from: publicOrganisation,
      caseKey: wireCaseKey,
      reporterSignPublicKey: f.publicKey,
      report: wireMessage.nullable(),
    })),
  }),
  caseDetail: caseSummary.extend({ reporterSignPublicKey: f.publicKey.nullable(), organisations: z.array(publicOrganisation), messages: z.array(threadMessage) }),
  caseMessageReceipt: z.strictObject({ id: f.id }),
  caseStatusReceipt: z.strictObject({ id: f.id, status: caseStatus }),
  caseAssignee: z.strictObject({ id: f.id, assignedTo: f.id.nullable() }),
  /** A unit's internal notes on a case, oldest first; never part of the reporter's thread. */
  caseNotes: z.strictObject({
    notes: z.array(z.strictObject({ id: f.id, authorId: f.id, authorName: f.username, keyVersion: f.keyVersion, envelope: f.envelope, signature: f.signature, createdAt: ms })),
  }),
  assignees: z.strictObject({ members: z.array(z.strictObject({ id: f.id, username: f.username })) }),
  passOnOffer: z.strictObject({ id: f.id, offeredTo: f.id, state: z.literal('offered') }),
  transferAccepted: z.strictObject({ id: f.id, orgId: f.id, status: z.literal('passed_on') }),
  members: z.strictObject({
    keyVersion: f.keyVersion,
    keyVersions: z.array(keyVersionInfo),
    members: z.array(z.strictObject({
      id: f.id,
      username: f.username,
      role: f.role,
      boxPublicKey: f.publicKey,
      totpConfirmed: z.boolean(),
      hasCurrentKeyring: z.boolean(),
      keyProof: z.string().nullable(),
      inviteId: z.string().nullable(),
      inviteKeyVersion: f.keyVersion.nullable(),
      endorsement: f.signature.nullable(),
      endorsementVersion: f.keyVersion.nullable(),
      keyrings: z.array(z.strictObject({ keyVersion: f.keyVersion, confirmed: z.boolean() })),
    })),
  }),
  invites: z.strictObject({
    invites: z.array(z.strictObject({ id: z.string(), kind: z.enum(['member', 'organisation']), role: f.role, orgName: z.string().nullable(), createdBy: z.string().nullable(), expiresAt: ms })),
  }),
  newInvite: z.strictObject({ token: f.token, id: z.string(), expiresAt: ms, keyVersion: f.keyVersion.nullable() }),
  granted: z.strictObject({ memberId: f.id, added: z.array(f.keyVersion) }),
  keyVersionPending: keyVersionState,
  keyrings: z.strictObject({ keyrings: z.array(heldKeyring), keyVersions: z.array(keyVersionInfo) }),
  keyringChecks: z.strictObject({ keyVersions: z.array(keyVersionInfo) }),
  totpEnrolment,
  inviteInfo: z.strictObject({ kind: z.enum(['member', 'organisation']), role: f.role, orgName: z.string().nullable(), orgId: f.id.nullable() }),
  /**
   * The unit's figures: per case only what counting needs (no reference, no thread), and what
   * the device needs to open the report's category. The category is counted there, never here.
   */
  figureCases: z.strictObject({
    cases: z.array(z.strictObject({
      id: f.id, receivedDay: day, status: caseStatus, deadlines: caseDeadlines, closedDay: day.nullable(),
      caseKey: wireCaseKey, reporterSignPublicKey: f.publicKey, report: wireMessage.nullable(),
    })),
    nextCursor: z.string().nullable(),
    organisations: z.array(publicOrganisation),
  }),
  /** Per organisation and month, what the server counts without decrypting (web/casework/figures.ts over day-only facts). */
  instanceFigures: z.strictObject({
    organisations: z.array(z.strictObject({
      id: f.id,
      name: z.string(),
      months: z.array(z.strictObject({
        period: z.string().regex(/^\d{4}-\d{2}$/),
        received: count, acknowledgedWithin: count, feedbackWithin: count,
        medianDaysToFirstResponse: z.number().nonnegative().nullable(), responded: count,
        outcomes: z.strictObject(Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, count])) as Record<OutcomeStatus, typeof count>),
      })),
    })),
  }),
  noticeAddress: z.strictObject({ email: z.string().nullable() }),
  /** The instance's figures made public: the same per organisation and month, every count and median suppressed. */
  publicFigures: z.strictObject({
    organisations: z.array(z.strictObject({
      name: z.string(),
      months: z.array(z.strictObject({
        period: z.string().regex(/^\d{4}-\d{2}$/),
        received: shownCount, acknowledgedWithin: shownCount, feedbackWithin: shownCount,
        medianDaysToFirstResponse: z.union([z.number().nonnegative(), z.literal('withheld')]),
        outcomes: z.strictObject(Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, shownCount])) as Record<OutcomeStatus, typeof shownCount>),
      })),
    })),
  }),
  organisationSettings: z.strictObject({ ackDays: z.number().int(), feedbackMonths: z.number().int(), keepClosedDays: z.number().int(), keepInactiveDays: z.number().int(), timeZone: z.string() }),
  error: z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) }),
};
