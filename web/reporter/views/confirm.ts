// The check before sending: type back three of the passphrase's words, chosen at random.
// The report is encrypted and sent only when all three match.
import { el } from '../../ui/dom.js';
import type { ReportInProgress, ReporterApp } from '../app.js';
import { positionsToConfirm, wordMatches } from '../confirm-words.js';
import { errorSummary, formField, PRIVATE_TEXT } from '../form-fields.js';
import { draftToReport } from '../report-draft.js';
import { problemMessage } from './problems.js';

const BUSY_AFTER_MS = 6000;

export function confirmView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const words = report.words ?? [];
  const positions = positionsToConfirm(words.length);
  const fields = positions.map((position) => ({
    position,
    field: formField(el('input', { type: 'text', id: `confirm-word-${position}`, name: `word-${position}`, ...PRIVATE_TEXT }), { label: `Word ${position}` }),
  }));

  const summary = errorSummary();
  const status = el('p', { role: 'status', class: 'send-status' });
  const send = el('button', { type: 'submit' }, 'Send my report');
  const back = el('button', { type: 'button', class: 'secondary' }, 'Show the passphrase again');
  back.addEventListener('click', () => app.go.passphrase(report));

  const form = el('form', { novalidate: true },
    el('p', { class: 'lead', id: 'confirm-intro' }, `To check you have your passphrase, type words ${positions.join(', ').replace(/, (\d+)$/, ' and $1')} from what you wrote down.`),
    summary.element,
    ...fields.map(({ field }) => field.element),
    el('div', { class: 'actions' }, send, back),
    status,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send.disabled) return;
    const wrong = fields.filter(({ position, field }) => !wordMatches(field.control.value, words[position - 1] ?? ''));
    for (const { position, field } of fields) {
      const isWrong = wrong.some((w) => w.position === position);
      field.showError(isWrong ? `Word ${position} does not match. Check what you wrote down, or show the passphrase again.` : null);
    }
    summary.show(wrong.map(({ position }) => `Word ${position} does not match.`));
    if (wrong.length > 0) {
      wrong[0]!.field.control.focus();
      return;
    }
    send.disabled = true;
    back.disabled = true;
    status.textContent = 'Encrypting and sending your report…';
    // When the service is flooded the engine keeps the report and tries again; say so.
    const busy = setTimeout(() => {
      status.textContent = 'The service is busy. Your report is kept on this page and will be sent as soon as it can. Please keep this page open.';
    }, BUSY_AFTER_MS);
    void sendReport(app, report).finally(() => clearTimeout(busy)).then(
      (result) => app.go.sent(result),
      (error: unknown) => {
        send.disabled = false;
        back.disabled = false;
        status.textContent = '';
        summary.show([`Your report has not been sent. ${problemMessage(error)}`]);
        send.focus();
      },
    );
  });

  return el('div', {}, el('h1', {}, 'Check your passphrase'), form);
}

async function sendReport(app: ReporterApp, report: ReportInProgress) {
  const { organisations } = await app.engine.loadConfig();
  const { orgId, report: document } = draftToReport(report.draft, organisations);
  return app.engine.sendReport(orgId, document);
}
