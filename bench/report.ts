// What every benchmark shares for its figures: small statistics, the machine it ran on, CPU
// time of another process from /proc, and its own section of bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Rounds to a few significant digits so tables stay readable. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(decimals, 6));
}

export const pct = (ratio: number) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)} %` : 'n/a');
export const mib = (bytes: number) => fmt(bytes / 1024 ** 2);

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  date: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return { nproc: cpus().length, cpuModel, memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10, node: process.version, date, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
}

/** One markdown line; a load average near the core count means the figures are noisy. */
export function machineLine(m: MachineInfo = machineInfo()): string {
  return `${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.date}, load average at start ${m.loadAverage.join(' / ')}`;
}

/** utime + stime of a process (all its threads) in ms, from /proc/<pid>/stat (10 ms ticks: USER_HZ is 100). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const RESULTS_PATH = join(import.meta.dirname, 'RESULTS.md');

const HEADER = `# Benchmark results

Each section is written by its own command, between its own markers; re-running a command
replaces only its section. Figures depend on the machine and on what else it was doing:
each section names both.
`;

/** Writes one section of bench/RESULTS.md between its own markers (<!-- name:start --> … <!-- name:end -->), leaving the others as they were. */
export function updateResultsSection(name: string, markdown: string, path: string = RESULTS_PATH): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(path, from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`);
}

/** Prints a benchmark's section and, unless --no-write was given, writes it into bench/RESULTS.md. */
export function publish(name: string, markdown: string, options: { 'no-write'?: boolean }): void {
  console.log(markdown);
  if (!options['no-write']) updateResultsSection(name, markdown);
}

/** The optional bold note under a section's command line (--note). */
export const noteLine = (note: string | undefined) => (note ? `  \n**${note}**` : '');
