// Response shapes the clients read: the server's zod schemas (worker/wire-responses.ts), as
// types only — nothing of the worker or of zod reaches the bundles. Request shapes come from
// worker/wire.ts the same way.
import type { z } from 'zod';
import type { CaseStatus } from '../../db/schema.js';
import type { caseSummary, chainLink, heldKeyring, keyVersionInfo, publicOrganisation, responses, wireCaseKey, wireMessage } from '../../worker/wire-responses.js';

export type { CaseStatus };
export type { SubmitReportBody, ReplyBody, InvestigatorReplyBody } from '../../worker/wire.js';

/** One version of an organisation's keys, signed by the version before it (protocol 2). */
export type WireChainLink = z.infer<typeof chainLink>;
/** Clients seal to and verify with keys from `keyChain` only, after verifying it from version 1. */
export type PublicOrganisation = z.infer<typeof publicOrganisation>;
export type SigningOrganisation = PublicOrganisation;
export type InstanceConfig = z.infer<typeof responses.config>;
export type WireMessage = z.infer<typeof wireMessage>;
export type WireCaseKey = z.infer<typeof wireCaseKey>;
export type CaseSummary = z.infer<typeof caseSummary>;
export type CaseListResponse = z.infer<typeof responses.caseList>;
/** A case another organisation offers to pass to this one. */
export type TransferOffer = z.infer<typeof responses.transfers>['transfers'][number];
export type KeyVersion = z.infer<typeof keyVersionInfo>;
export type HeldKeyring = z.infer<typeof heldKeyring>;
export type CaseDetail = z.infer<typeof responses.caseDetail>;
export type Invite = z.infer<typeof responses.invites>['invites'][number];
export type TotpEnrolmentResponse = z.infer<typeof responses.totpEnrolment>;
export type MemberList = z.infer<typeof responses.members>;
export type InstanceFiguresResponse = z.infer<typeof responses.instanceFigures>;
export type OrganisationSettings = z.infer<typeof responses.organisationSettings>;
