// Response shapes the clients read (the request shapes come from the worker's zod schemas).
import type { CaseStatus } from '../../db/schema.js';
import type { KdfParams } from '../protocol/labels.js';

export type { CaseStatus };
export type { SubmitReportBody, ReplyBody, InvestigatorReplyBody } from '../../worker/wire.js';

export interface PublicOrganisation {
  id: string;
  name: string;
  boxPublicKey: string;
  signPublicKey: string;
  keyVersion: number;
}

/** An organisation as a thread shows it: with every signing key it has had. */
export interface SigningOrganisation extends PublicOrganisation {
  signingKeys?: { keyVersion: number; signPublicKey: string }[];
}

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
  organisations: SigningOrganisation[];
  messages: WireMessage[];
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  caseKey: { keyVersion: number; sealedCaseKey: string };
}

export interface CaseListResponse {
  cases: (CaseSummary & { reporterSignPublicKey: string; report: WireMessage | null })[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** A case another organisation offers to pass to this one. */
export interface TransferOffer {
  caseId: string;
  reference: string;
  receivedDay: string;
  fromOrgId: string;
  fromOrgName: string | null;
  caseKey: { keyVersion: number; sealedCaseKey: string };
  reporterSignPublicKey: string;
  report: WireMessage | null;
}

/** One of an organisation's key versions; 'pending' until a member confirms it opens. */
export interface KeyVersion {
  keyVersion: number;
  state: 'pending' | 'active';
  boxPublicKey: string;
  signPublicKey: string;
  createdBy: string | null;
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
}
