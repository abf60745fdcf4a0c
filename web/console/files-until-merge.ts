// TEMPORARY (deleted when wt-fproto and wt-fserver are merged): the contract's signatures
// (/work/files-contract.md) for the file stream and its transfer, so the console compiles
// before they land. Nothing here works; the console imports the real modules after the merge.
import { bytesToB64, randomBytes, SIZES } from '../protocol/index.js';
import type { ApiClient } from '../client/api.js';
import type { InvestigatorSession } from '../client/investigator.js';

export interface FileSecret { id: Uint8Array; key: Uint8Array; size: number }
export interface AttachmentDescriptor { id: string; key: string; name: string; type: string; size: number }

export function newFileSecret(size: number): FileSecret {
  return { id: randomBytes(SIZES.caseId), key: randomBytes(SIZES.key), size };
}

export function descriptorOf(secret: FileSecret, name: string, type: string): AttachmentDescriptor {
  return { id: bytesToB64(secret.id), key: bytesToB64(secret.key), name, type, size: secret.size };
}

export interface FileAccess { readonly routes: { kind: 'case'; caseId: string } }
export function caseFileAccess(_session: InvestigatorSession, caseId: string): FileAccess {
  return { routes: { kind: 'case', caseId } };
}

export function uploadFile(_api: ApiClient, _auth: FileAccess, _file: FileSecret, _read: (start: number, end: number) => Promise<Uint8Array>, _onProgress: (done: number, total: number) => void): Promise<void> {
  return Promise.reject(new Error('file upload is not merged yet'));
}

export function downloadFile(_api: ApiClient, _auth: FileAccess, _file: FileSecret, _sink: (piece: Uint8Array) => void, _onProgress: (done: number, total: number) => void): Promise<void> {
  return Promise.reject(new Error('file download is not merged yet'));
}

export type Finding = 'location' | 'camera' | 'date' | 'author' | 'software' | 'thumbnail' | 'comments' | 'editing' | 'other';
export type Cleaned =
  | { outcome: 'cleaned'; bytes: Blob; type: string; removed: Finding[] }
  | { outcome: 'cannot_clean'; reason: 'unsupported_type' | 'unreadable' };
export function cleanFile(_file: Blob, _type: string): Promise<Cleaned> {
  return Promise.resolve({ outcome: 'cannot_clean', reason: 'unsupported_type' });
}
