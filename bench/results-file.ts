// Writes one benchmark's section of bench/RESULTS.md between its own markers
// (<!-- name:start --> … <!-- name:end -->), leaving every other section as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_PATH = join(import.meta.dirname, 'RESULTS.md');

const HEADER = `# Benchmark results

Each section is written by its own command, between its own markers; re-running a command
replaces only its section. Figures depend on the machine and on what else it was doing:
each section names both.
`;

export function updateResultsSection(name: string, markdown: string, path: string = RESULTS_PATH): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
