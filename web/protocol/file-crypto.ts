// STAND-IN, to be replaced on merge by the protocol helper's file of the same name (take theirs):
// the signatures of docs/files-contract.md only, so web/client/files.ts compiles on this branch.
// Nothing here encrypts; every function refuses.
export { FILE_CHUNK_BYTES, FILE_PART_CHUNKS, FILE_PART_BYTES, paddedFileLength, fileCipherLength, isFileCipherLength, filePartCount, filePartLength } from './file-lengths.js';

export interface FileSecret { id: Uint8Array; key: Uint8Array; size: number }

const notMerged = () => new Error('file-crypto.ts is a stand-in on this branch');

export function encryptFilePart(_file: FileSecret, _part: number, _read: (start: number, end: number) => Promise<Uint8Array>): Promise<Uint8Array> {
  return Promise.reject(notMerged());
}

export class FileDecryptor {
  constructor(_file: FileSecret) {
    throw notMerged();
  }
  push(_cipher: Uint8Array): Uint8Array[] {
    throw notMerged();
  }
  finish(): void {
    throw notMerged();
  }
}

export function newFileSecret(_size: number): FileSecret {
  throw notMerged();
}
