// Only tests import from test/: the product, scripts/ and bench/ stand on their own, and
// what tests and benchmarks share (starting a server process, workerd, the app over a temp
// file) lives in scripts/lib/. Reads every TypeScript/JavaScript module outside test/ and
// resolves each import, static or dynamic, against the file that makes it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TEST_DIR = join(ROOT, 'test');
/** Not source: dependencies, build output, local state, mutation-testing sandboxes (copies of the repository). */
const SKIPPED = new Set(['node_modules', 'dist', 'data', 'backups', 'reports', 'test-output']);
const MODULE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** `from '…'`, `import '…'`, `import('…')`, `export … from '…'`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

function modulesOutsideTest(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') || SKIPPED.has(entry.name) || path === TEST_DIR ? [] : modulesOutsideTest(path);
    return MODULE.test(entry.name) ? [path] : [];
  });
}

/** The imports of a module that resolve into test/, as "file: specifier". */
export function importsFromTest(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[2]!)
    .filter((specifier) => specifier.startsWith('.') || specifier.startsWith('/'))
    .filter((specifier) => {
      const target = resolve(dirname(file), specifier);
      return target === TEST_DIR || target.startsWith(TEST_DIR + sep);
    })
    .map((specifier) => `${relative(ROOT, file)}: ${specifier}`);
}

describe('folder imports', () => {
  const files = modulesOutsideTest(ROOT);

  it('finds the modules outside test/ (bench, scripts, worker, web, db, root configs)', () => {
    const folders = new Set(files.map((file) => relative(ROOT, file).split(sep)[0]));
    for (const folder of ['bench', 'scripts', 'worker', 'web', 'db']) expect(folders).toContain(folder);
  });

  it('no module outside test/ imports from test/', () => {
    expect(files.flatMap((file) => importsFromTest(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('sees static, re-exported and dynamic imports', () => {
    const file = join(ROOT, 'bench', 'example.ts');
    const source = `import { a } from '../test/support/test-app.js';\nexport * from "../test/x.js";\nawait import('../test/y.js');\nimport '../scripts/lib/z.js';\nimport { b } from './test/c.js';`;
    expect(importsFromTest(file, source)).toEqual(['bench/example.ts: ../test/support/test-app.js', 'bench/example.ts: ../test/x.js', 'bench/example.ts: ../test/y.js']);
  });
});
