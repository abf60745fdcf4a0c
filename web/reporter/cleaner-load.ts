// Loads the file cleaner (web/files/) when the first file is added, so a reporter who adds none
// never downloads it.
import type { cleanFile } from './pending-merge.js';

export async function loadCleaner(): Promise<{ cleanFile: typeof cleanFile }> {
  return import('./pending-merge.js');
}
