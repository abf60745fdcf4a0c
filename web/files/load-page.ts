// How a reporter's page or its Web Worker gets cleanFile: /static/file-cleaner.js, a bundle of its
// own (~20 KB gzip; PDFs load a second one), fetched the first time a reporter adds a file and
// checked against the hash pinned at build. Node and tests import ./index.js directly.
import { importChecked, type PinnedBundle } from '../protocol/import-checked.js';

declare const __PARLEY_FILE_CLEANER__: PinnedBundle;

export type FileCleaner = typeof import('./index.js');

let loading: Promise<FileCleaner> | undefined;

export function loadFileCleaner(): Promise<FileCleaner> {
  // One fetch however many files are added; a failed load is tried again next time.
  loading ??= importChecked<FileCleaner>(__PARLEY_FILE_CLEANER__, 'the file cleaner').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
