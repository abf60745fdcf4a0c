// What machine a benchmark ran on, for the results file: cores, CPU model, memory, Node, date, load.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  date: string;
  loadAverage: number[];
}

function cpuModelFromProc(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux: fall through to os.cpus()
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return {
    nproc: cpus().length,
    cpuModel: cpuModelFromProc(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** One markdown line; a load average near the core count means the figures are noisy. */
export function machineLine(m: MachineInfo = machineInfo()): string {
  return `${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.date}, load average at start ${m.loadAverage.join(' / ')}`;
}
