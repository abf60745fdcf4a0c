// The soak's figures as lines of text: one per cycle, and a summary of the run.
import type { LoadTally } from './load.js';
import type { CycleFigures, SoakResult } from './run.js';

export function ackedTotal(load: LoadTally): number {
  return load.acked.report + load.acked.reporterReply + load.acked.investigatorReply;
}

export function formatCycle(f: CycleFigures, of: number): string {
  const v = f.verify;
  const db = f.afterKill;
  return (
    `cycle ${f.cycle}/${of}: kill after ${f.killAfterMs} ms; acked ${ackedTotal(f.load)} ` +
    `(${f.load.acked.report} reports, ${f.load.acked.reporterReply} reporter + ${f.load.acked.investigatorReply} investigator replies); ` +
    `in flight at kill ${f.load.inFlightAtKill} (2xx before death ${f.load.ackedAfterKill}, landed ${v.landed.reports + v.landed.replies}, absent ${v.absent.reports + v.absent.replies}); ` +
    `checked ${v.checkedReports} reports + ${v.checkedReplies} replies, lost ${v.lost}; ` +
    `integrity ${db.integrity}, invariants ${db.violations.length === 0 ? 'ok' : db.violations.join(', ')}, replies without audit ${db.repliesWithoutAudit}; ${f.seconds.cycle.toFixed(1)} s (restart ${f.seconds.restart.toFixed(1)}, verify ${f.seconds.verify.toFixed(1)})`
  );
}

export function formatSummary(r: SoakResult): string[] {
  const sum = (pick: (f: CycleFigures) => number) => r.cycles.reduce((n, f) => n + pick(f), 0);
  const integrityOk = r.cycles.filter((f) => f.afterKill.integrity === 'ok').length;
  return [
    `crash-soak: ${r.cycles.length}/${r.options.cycles} cycles, seed ${r.options.seed}, concurrency ${r.options.concurrency} (investigator lanes ${r.options.investigatorLanes}), kill after ${r.options.killAfterMs.min}-${r.options.killAfterMs.max} ms`,
    `  time: ${r.seconds.toFixed(1)} s (server restarts ${sum((f) => f.seconds.restart).toFixed(1)} s, checks after restart ${sum((f) => f.seconds.verify).toFixed(1)} s)`,
    `  acknowledged writes: ${sum((f) => ackedTotal(f.load))} (${sum((f) => f.load.acked.report)} reports, ${sum((f) => f.load.acked.reporterReply)} reporter replies, ${sum((f) => f.load.acked.investigatorReply)} investigator replies)`,
    `  in flight at kill: ${sum((f) => f.load.inFlightAtKill)} (2xx before death ${sum((f) => f.load.ackedAfterKill)}, landed ${sum((f) => f.verify.landed.reports + f.verify.landed.replies)}, absent ${sum((f) => f.verify.absent.reports + f.verify.absent.replies)})`,
    `  lost acknowledged writes: ${r.lostAcknowledged}`,
    `  integrity_check after kill: ok ${integrityOk}/${r.cycles.length}; final: ${r.final?.integrity ?? 'not run'}; invariant violations: ${sum((f) => f.afterKill.violations.length) + (r.final?.violations.length ?? 0)}`,
    `  final database: ${r.final ? `${r.final.counts.cases} cases, ${r.final.counts.messages} messages, ${r.final.counts.auditEntries} audit entries, investigator replies without audit entry ${r.final.repliesWithoutAudit}` : 'not checked'}`,
    `  result: ${r.ok ? 'PASS' : 'FAIL'}${r.problems.length ? `, ${r.problems.length} problems` : ''}${r.dbPath ? ` (database kept at ${r.dbPath})` : ''}`,
  ];
}
