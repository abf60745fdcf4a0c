// vitest strips types without checking them: this is where a type error, or a name declared and
// never used (tsconfig's noUnusedLocals), fails `npm test`.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

describe('the TypeScript of the whole project', () => {
  it('type-checks under tsconfig.json (strict), as `npm run typecheck` does', async () => {
    const outcome = await promisify(execFile)(process.execPath, [TSC, '--noEmit', '-p', ROOT], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
      () => 'clean',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(outcome).toBe('clean');
  }, 300_000);
});
