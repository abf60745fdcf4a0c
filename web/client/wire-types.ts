// Response shapes the clients read (the request shapes come from the worker's zod schemas).
import type { CaseStatus } from '../../db/schema.js';
import type { KdfParams } from '../protocol/labels.js';

export type { CaseStatus };
export type { SubmitReportBody, ReplyBody, InvestigatorReplyBody } from '../../worker/wire.js';

/** One version of an organisation's keys, signed by the version before it (protocol 2). */
export interface WireChainLink {
  keyVersion: number;
  boxPublicKey: string;
  signPublicKey: string;
  endorsement: string;
}

/**
 * An organisation as the server describes it. Clients seal to and verify with keys from
 * `keyChain` only, after verifying it from version 1 (the anchor); the flat fields are for display.
 */
export interface PublicOrganisation {
  id: string;
  name: string;
  boxPublicKey: string;
  signPublicKey: string;
  keyVersion: number;
  keyChain: WireChainLink[];
}

export type SigningOrganisation = PublicOrganisation;

export interface InstanceConfig {
  protocolVersion: number;
  mailboxKdf: KdfParams & { salt: string };
  organisations: PublicOrganisation[];
}

export interface WireMessage {
  id: string;
  role: 'reporter' | 'organisation';
  orgId: string | null;
  /** For organisation messages: which of the organisation's signing keys signed it. */
  keyVersion?: number | null;
  day: string;
  envelope: string;
  signature: string;
}

export interface MailboxThread {
  caseId: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  sealedCaseKey: string;
  /** The mailbox key's signature over its sealed case key: the reporter's client checks it. */
  sealSignature: string;
  organisations: SigningOrganisation[];
  messages: WireMessage[];
}

/** A sealed case key and who sealed it: null, the reporter's mailbox key; else that organisation's signing key of that version. */
export interface WireCaseKey {
  keyVersion: number;
  sealedCaseKey: string;
  sealSignature: string | null;
  sealedBy: { orgId: string; keyVersion: number | null } | null;
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  caseKey: WireCaseKey;
}

export interface CaseListResponse {
  cases: (CaseSummary & { reporterSignPublicKey: string; report: WireMessage | null })[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
  /** Every organisation that sealed one of these case keys (after a pass-on), with its key chain. */
  organisations: SigningOrganisation[];
}

/** A case another organisation offers to pass to this one. */
export interface TransferOffer {
  caseId: string;
  reference: string;
  receivedDay: string;
  fromOrgId: string;
  fromOrgName: string | null;
  caseKey: WireCaseKey;
  reporterSignPublicKey: string;
  report: WireMessage | null;
  /** The offering organisation, with its key chain: its signature on the sealed key is checked against it. */
  from: SigningOrganisation;
}

/** One of an organisation's key versions; 'pending' until a member confirms it opens. */
export interface KeyVersion {
  keyVersion: number;
  state: 'pending' | 'active';
  boxPublicKey: string;
  signPublicKey: string;
  createdBy: string | null;
  endorsement: string;
}

export interface HeldKeyring {
  keyVersion: number;
  sealedKeyring: string;
  confirmed: boolean;
}

export interface CaseDetail extends CaseSummary {
  reporterSignPublicKey: string | null;
  organisations: SigningOrganisation[];
  messages: WireMessage[];
}

export interface SignInResponse {
  token: string;
  expiresAt: number;
  investigator: { id: string; username: string; role: 'admin' | 'investigator'; instanceAdmin: boolean; boxPublicKey: string; wrappedSeed: string };
  organisation: PublicOrganisation;
  keyrings: HeldKeyring[];
  keyVersions: KeyVersion[];
  deviceToken: string;
}
