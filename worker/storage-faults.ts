// Conditions of the storage that are not bugs, told apart from bugs: the disk is full, the
// database is held by another process, or it cannot be written. Each has its own code and a
// Retry-After, so clients wait and try again, and the operator's log names the condition.
// better-sqlite3 gives SQLite's codes (SQLITE_FULL…); D1 gives its messages.
import { ApiError } from './errors.js';

const FAULTS: { pattern: RegExp; fault: () => ApiError }[] = [
  { pattern: /SQLITE_FULL|database or disk is full/i, fault: () => new ApiError('storage_full', 'The server has run out of storage. Nothing you sent was kept; try again later.', 300) },
  { pattern: /SQLITE_BUSY|database is locked/i, fault: () => new ApiError('storage_busy', 'The server is busy. Nothing you sent was kept; try again in a moment.', 2) },
  { pattern: /SQLITE_READONLY|readonly database|SQLITE_IOERR|disk I\/O error/i, fault: () => new ApiError('storage_unwritable', 'The server cannot save anything right now. Nothing you sent was kept; try again later.', 300) },
];

/** The ApiError a storage condition deserves, or null for anything else. */
export function storageFault(error: unknown): ApiError | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const text = `${(e as { code?: string }).code ?? ''} ${e.message}`;
    const known = FAULTS.find((f) => f.pattern.test(text));
    if (known) return known.fault();
  }
  return null;
}
