// Searching stored bytes for planted markers: the SQLite file with its WAL and shared
// memory, since recent writes may live only in the WAL.
import { existsSync, readFileSync } from 'node:fs';

export function databaseFilesBytes(dbPath: string): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

/** Which of the markers occur in the haystack, as UTF-8 or as UTF-16LE (SQLite can store either). */
export function markersFound(haystack: Buffer, markers: readonly string[]): string[] {
  return markers.filter((m) => haystack.includes(Buffer.from(m, 'utf8')) || haystack.includes(Buffer.from(m, 'utf16le')));
}
