// The crash soak's section of bench/RESULTS.md: the command, the machine, the totals and a
// line per cycle, so a reader can repeat the run (same seed) and compare.
import { execFileSync } from 'node:child_process';
import { machineLine, type MachineInfo } from '../../bench/report.js';
import { ackedTotal } from './format.js';
import type { CycleFigures, SoakResult } from './run.js';

function codeVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `commit ${head} plus uncommitted changes` : `commit ${head}`;
  } catch {
    return 'commit unknown';
  }
}

export function crashSoakMarkdown(r: SoakResult, command: string, machine: MachineInfo): string {
  const sum = (pick: (f: CycleFigures) => number) => r.cycles.reduce((n, f) => n + pick(f), 0);
  const integrityOk = r.cycles.filter((f) => f.afterKill.integrity === 'ok').length;
  const violations = sum((f) => f.afterKill.violations.length) + (r.final?.violations.length ?? 0);
  const unaudited = r.final?.repliesWithoutAudit ?? 0;
  const rows = r.cycles.map(
    (f) =>
      `| ${f.cycle} | ${f.killAfterMs} | ${ackedTotal(f.load)} | ${f.load.inFlightAtKill} | ${f.load.ackedAfterKill} | ${f.verify.landed.reports + f.verify.landed.replies} | ` +
      `${f.verify.checkedReports} + ${f.verify.checkedReplies} | ${f.verify.lost} | ${f.afterKill.integrity} | ${f.afterKill.violations.length} | ${f.afterKill.repliesWithoutAudit} | ${f.seconds.cycle.toFixed(1)} |`,
  );
  return `## Crash durability: SIGKILL soak

\`${command}\` — ${machineLine(machine)}; ${codeVersion()}.

The Node server (\`worker/entry-node.ts\`, WAL, synchronous=FULL) runs as a child process on
127.0.0.1. Each cycle: ${r.options.concurrency} writers at once (report submissions, reporter replies, and
investigator replies from ${r.options.investigatorLanes} lane${r.options.investigatorLanes === 1 ? '' : 's'}), SIGKILL ${r.options.killAfterMs.min}–${r.options.killAfterMs.max} ms after the
cycle's first acknowledged write (seeded), \`PRAGMA integrity_check\` and the schema invariants on
the file opened read-only, restart on the same file, then every acknowledged write read back
through the clients (investigator case list and threads, each reporter's mailbox), decrypted
and compared. SIGKILL tests a process crash; the OS page cache survives it, so it says nothing
about power loss.

| figure | value |
|---|---|
| cycles (kill + restart) | ${r.cycles.length} of ${r.options.cycles} |
| acknowledged writes | ${sum((f) => ackedTotal(f.load))} (${sum((f) => f.load.acked.report)} reports, ${sum((f) => f.load.acked.reporterReply)} reporter replies, ${sum((f) => f.load.acked.investigatorReply)} investigator replies) |
| writes in flight at a kill | ${sum((f) => f.load.inFlightAtKill)}: ${sum((f) => f.load.ackedAfterKill)} answered 2xx before the process died, ${sum((f) => f.verify.landed.reports + f.verify.landed.replies)} landed without an answer, ${sum((f) => f.verify.absent.reports + f.verify.absent.replies)} absent |
| **lost acknowledged writes** | **${r.lostAcknowledged}** |
| integrity_check after each kill | ok ${integrityOk} of ${r.cycles.length}; after the run: ${r.final?.integrity ?? 'not run'} |
| invariant violations (mailbox, case key, message 1, seq 1..n, orphans, foreign keys, audit chain) | ${violations} |
| investigator replies stored without their audit entry | ${unaudited} |
| final database | ${r.final ? `${r.final.counts.cases} cases, ${r.final.counts.messages} messages, ${r.final.counts.auditEntries} audit entries` : 'not checked'} |
| time | ${r.seconds.toFixed(0)} s (server restarts ${sum((f) => f.seconds.restart).toFixed(0)} s, read-back checks ${sum((f) => f.seconds.verify).toFixed(0)} s) |
| result | ${r.ok ? 'PASS' : `FAIL: ${r.problems.slice(0, 5).join('; ')}`} |
${
  unaudited > 0
    ? `
${unaudited} investigator replies survived a kill without their \`case_reply\` audit entry: the reply and its audit
entry are written in two transactions (\`worker/routes/investigator-cases.ts\`: \`appendMessage\`, then
\`appendAudit\`), and a kill between them leaves a reply the audit log does not record. No
acknowledged write was affected (the 2xx comes after both).
`
    : ''
}
<details><summary>Per cycle</summary>

| cycle | kill after ms | acked | in flight | 2xx before death | landed | checked reports + replies | lost | integrity | violations | replies w/o audit (total) | s |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

</details>`;
}
