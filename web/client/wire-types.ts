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

export interface InstanceConfig {
  protocolVersion: number;
  mailboxKdf: KdfParams & { salt: string };
  organisations: PublicOrganisation[];
}

export interface WireMessage {
  id: string;
  role: 'reporter' | 'organisation';
  orgId: string | null;
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
  organisations: PublicOrganisation[];
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
}

export interface CaseDetail extends CaseSummary {
  reporterSignPublicKey: string | null;
  organisations: PublicOrganisation[];
  messages: WireMessage[];
}

export interface SignInResponse {
  token: string;
  expiresAt: number;
  investigator: { id: string; username: string; role: 'admin' | 'investigator'; boxPublicKey: string; wrappedSeed: string };
  organisation: PublicOrganisation;
  keyrings: { keyVersion: number; sealedKeyring: string }[];
}
