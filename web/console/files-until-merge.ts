// TEMPORARY (deleted when wt-fserver is merged): the contract's signatures
// (/work/files-contract.md) for the file transfer client, so the console compiles
// before they land. Nothing here works; the console imports the real modules after the merge.
import type { ApiClient } from '../client/api.js';
import type { InvestigatorSession } from '../client/investigator.js';
import type { FileSecret } from '../protocol/file-crypto.js';

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

