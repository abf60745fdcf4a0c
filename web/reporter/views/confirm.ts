// The check before sending: type back three of the passphrase's words, chosen at random.
// The report is encrypted and sent only when all three match.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { ReportInProgress, ReporterApp } from '../app.js';
import { positionsToConfirm, wordMatches } from '../confirm-words.js';
import { errorSummary, formField, PRIVATE_TEXT } from '../form-fields.js';
import { draftToReport } from '../report-draft.js';
import { problemMessage } from './problems.js';
import { derivationProgress } from '../timed-progress.js';
import { evidenceChoices } from './evidence.js';

const BUSY_AFTER_MS = 6000;
/** After the keys, without WebAssembly: this device's own remaining work, with room for a loaded machine. */
const BUSY_AFTER_SLOW_ENGINE_MS = 30_000;

export function confirmView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const words = report.words ?? [];
  const positions = positionsToConfirm(words.length);
  const fields = positions.map((position) => ({
    position,
    field: formField(el('input', { type: 'text', id: `confirm-word-${position}`, name: `word-${position}`, ...PRIVATE_TEXT }), { label: t('confirm.wordLabel', { position }) }),
  }));

  const summary = errorSummary();
  const status = el('p', { role: 'status', class: 'send-status' });
  const progressSlot = el('div', {});
  const send = el('button', { type: 'submit' }, t('confirm.send'));
  const back = el('button', { type: 'button', class: 'secondary' }, t('confirm.showAgain'));
  back.addEventListener('click', () => app.go.passphrase(report));

  const form = el('form', { novalidate: true },
    el('p', { class: 'lead', id: 'confirm-intro' }, t('confirm.intro', { first: positions[0]!, second: positions[1]!, third: positions[2]! })),
    summary.element,
    ...fields.map(({ field }) => field.element),
    el('div', { class: 'actions' }, send, back),
    status,
    progressSlot,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send.disabled) return;
    const wrong = fields.filter(({ position, field }) => !wordMatches(field.control.value, words[position - 1] ?? ''));
    for (const { position, field } of fields) {
      const isWrong = wrong.some((w) => w.position === position);
      field.showError(isWrong ? t('confirm.wrongWord', { position }) : null);
    }
    summary.show(wrong.map(({ position }) => t('confirm.wrongWordShort', { position })));
    if (wrong.length > 0) {
      wrong[0]!.field.control.focus();
      return;
    }
    send.disabled = true;
    back.disabled = true;
    status.textContent = t('confirm.sending');
    // Without WebAssembly the keys may still be in the making (a minute or more): show how far.
    const progress = derivationProgress(app.engine, t('confirm.sending'), { hiddenUntilDeriving: true });
    progressSlot.replaceChildren(progress.element);
    // When the service is flooded the engine keeps the report and tries again; say so, but not
    // while the keys are still being made: that is this device's work, not the service's.
    // Without WebAssembly (and without a JIT) the sealing, signing and proof of work after the keys
    // take seconds too, so the wait starts afresh, longer, once the keys are made.
    let busy = 0;
    let waitedAfterKeys = false;
    const sayBusyLater = (wait: number) => {
      busy = window.setTimeout(() => {
        if (progress.deriving()) return sayBusyLater(1000);
        if (progress.withoutWebAssembly() && !waitedAfterKeys) {
          waitedAfterKeys = true;
          return sayBusyLater(BUSY_AFTER_SLOW_ENGINE_MS);
        }
        status.textContent = t('confirm.busy');
      }, wait);
    };
    sayBusyLater(BUSY_AFTER_MS);
    void sendReport(app, report).finally(() => {
      clearTimeout(busy);
      progress.stop();
      progressSlot.replaceChildren();
    }).then(
      (result) => app.go.sent(result),
      (error: unknown) => {
        send.disabled = false;
        back.disabled = false;
        status.textContent = '';
        summary.show([t('confirm.notSent', { problem: problemMessage(error) })]);
        send.focus();
      },
    );
  });

  return el('div', {}, el('h1', {}, t('confirm.heading')), form);
}

async function sendReport(app: ReporterApp, report: ReportInProgress) {
  const { organisations } = await app.engine.loadConfig();
  const { orgId, report: document } = draftToReport(report.draft, organisations);
  const files = evidenceChoices(report.evidence);
  return app.engine.sendReport(orgId, document, files);
}
