// The protocol's public surface: everything clients and tests use comes from here.
export { sodiumReady, randomBytes, sha256, wipe, type KeyPair } from './sodium.js';
export { bytesToB64, b64ToBytes, utf8ToBytes, bytesToUtf8, bytesEqual } from './encoding.js';
export { PROTOCOL_VERSION, PRODUCTION_KDF, SIZES, PASSPHRASE_WORDS, PADDING_BUCKETS, type KdfParams, type Role } from './labels.js';
export { ProtocolError, type ProtocolErrorKind } from './errors.js';
export { generatePassphrase, passphraseFromIndices, parsePassphrase, type ParsedPassphrase, type PassphraseProblem } from './passphrase.js';
export { deriveMailboxKeys, deriveMailboxKeysReporting, type MailboxKeys } from './mailbox-keys.js';
export { newCaseKey, newId, sealCaseKey, openCaseKey, encryptMessage, decryptMessage, signMessage, verifyMessage, type MessageBinding } from './case-crypto.js';
export { mailboxProofHeaders } from './request-proof.js';
export { mailboxProofMessage, PROOF_HEADERS } from './proof-message.js';
export { solveProofOfWork } from './proof-of-work.js';
export { keyFingerprint } from './fingerprint.js';
export { leadingZeroBits, WORK_HEADER } from './work-puzzle.js';
export {
  deriveInvestigatorSecrets, newSeed, personalKeyPair, wrapSeed, unwrapSeed,
  newOrgKeyring, orgKeyringFromSeeds, sealOrgKeyring, openOrgKeyring, type OrgKeyring, type InvestigatorSecrets,
} from './investigator-keys.js';
export {
  orgAnchorFingerprint, endorseOrgKeyVersion, verifyOrgKeyChain, inviteSecret, memberKeyProof, memberKeyProofValid, endorseMemberKey, memberKeyEndorsed,
  signSealedCaseKey, requireSealedCaseKeySigned, threadLink, type ChainLink, type VerifiedChain,
} from './trust.js';
export { THREAD_START } from './signed-bytes.js';
export { REPORT_CATEGORIES, CASE_STATUSES, MAX_ATTACHMENTS, isAttachmentType, type AttachmentDescriptor, encodeDocument, decodeDocument, type ReportDocument, type MessageDocument, type StatusDocument, type ThreadDocument, type ReportCategory, type CaseStatus } from './documents.js';
export {
  FILE_CHUNK_BYTES, FILE_PART_CHUNKS, FILE_PART_BYTES, paddedFileLength, fileCipherLength, isFileCipherLength, filePartCount, filePartLength,
  newFileSecret, encryptFilePart, encryptFilePartBytes, FileDecryptor, attachmentFor, fileSecretOf, type FileSecret,
} from './file-crypto.js';
export { encryptNote, decryptNote, signNote, verifyNote, type NoteBinding } from './notes.js';
