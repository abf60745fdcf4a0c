// TEMPORARY (deleted at merge): the contract's signatures (/work/files-contract.md) for the parts
// other branches are writing — file-crypto.ts, client/files.ts, web/files/ — so this branch's
// engine compiles before they land. Nothing here is used once they are merged.
import type { Finding } from './engine-api.js';

export interface FileSecret { id: Uint8Array; key: Uint8Array; size: number }
export interface Attachment { id: string; key: string; name: string; type: string; size: number }
export type Cleaned =
  | { outcome: 'cleaned'; bytes: Blob; type: string; removed: Finding[] }
  | { outcome: 'cannot_clean'; reason: 'unsupported_type' | 'unreadable' };
export type RequestAuth = (request: { method: string; path: string; bodyBytes?: Uint8Array }) => Promise<Record<string, string>>;

export function newFileSecret(size: number): FileSecret {
  return { id: crypto.getRandomValues(new Uint8Array(16)), key: crypto.getRandomValues(new Uint8Array(32)), size };
}
export function workBitsWithFiles(askedBits: number, totalCipherBytes: number): number {
  const mib = 1024 * 1024;
  if (askedBits === 0) return 0;
  return Math.min(28, askedBits + (totalCipherBytes <= mib ? 0 : Math.ceil(Math.log2(totalCipherBytes / mib) / 2)));
}
export async function uploadFile(_api: unknown, _auth: RequestAuth, _file: FileSecret, _read: (start: number, end: number) => Promise<Uint8Array>, _onProgress: (done: number, total: number) => void): Promise<void> {
  throw new Error('not merged yet');
}
export async function downloadFile(_api: unknown, _auth: RequestAuth, _file: FileSecret, _sink: (piece: Uint8Array) => void, _onProgress: (done: number, total: number) => void): Promise<void> {
  throw new Error('not merged yet');
}
export async function cleanFile(file: Blob, type: string): Promise<Cleaned> {
  return type === 'image/jpeg' ? { outcome: 'cleaned', bytes: file, type, removed: ['location', 'camera'] } : { outcome: 'cannot_clean', reason: 'unsupported_type' };
}
