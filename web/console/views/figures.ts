// The unit's figures: counted on this device from the decrypted reports (web/casework/figures.ts),
// shown as bar charts (SVG with a title and a description, each with its data as a table) and a
// table of every figure; exported only suppressed, as a CSV or a printable page for an FOI request.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { categoryLabel, formatDay } from '../../i18n/labels.js';
import { statusLabel } from '../labels.js';
import { alertLine, present, whileBusy } from './parts.js';
import { saveAs } from './attachments.js';
import {
  CATEGORY_IDS, FIGURES_PERIODS, OUTCOME_STATUSES, computeFigures, figuresCsv, suppressFigures,
  type CaseFacts, type FiguresCsvWords, type FiguresPeriod, type PeriodFigures, type ShownCount, type ShownMedian, type SuppressedFigures,
} from '../../casework/figures.js';

export interface FiguresSpan {
  from: string;
  to: string;
  period: FiguresPeriod;
}

export interface FiguresOptions {
  organisationName: string;
  span: FiguresSpan;
  /** The cases of the span, their categories opened on this device; null before the first load or after a failure. */
  facts: CaseFacts[] | null;
  error?: string;
  show(span: FiguresSpan): Promise<void>;
  print(figures: SuppressedFigures[]): void;
  back(): void;
  announce(text: string): void;
  /** For instance administrators: the instance's figures. */
  instance?: () => void;
}

const PERIOD_KEYS = { month: 'figures.period.month', quarter: 'figures.period.quarter', year: 'figures.period.year' } as const;

/** A period's figures as a table shows them: the unit's (with categories), suppressed or not, or the instance's (without). */
type FigureRow = Pick<PeriodFigures | SuppressedFigures, 'period' | 'received' | 'acknowledgedWithin' | 'feedbackWithin' | 'medianDaysToFirstResponse' | 'outcomes'>
  & Partial<Pick<PeriodFigures | SuppressedFigures, 'byCategory' | 'unreadable'>>;

/** Which figure a row shows, with its words and how to read it from a period's figures. */
interface Measure { label: string; value: (f: FigureRow) => ShownCount | ShownMedian | number | null | undefined }

function measures(withCategories: boolean): Measure[] {
  return [
    { label: t('figures.received'), value: (f) => f.received },
    ...(withCategories ? [
      ...CATEGORY_IDS.map((c) => ({ label: categoryLabel(c), value: (f: FigureRow) => f.byCategory?.[c] })),
      { label: t('figures.unreadable'), value: (f: FigureRow) => f.unreadable },
    ] : []),
    { label: t('figures.acknowledgedWithin'), value: (f) => f.acknowledgedWithin },
    { label: t('figures.feedbackWithin'), value: (f) => f.feedbackWithin },
    { label: t('figures.medianDays'), value: (f) => f.medianDaysToFirstResponse },
    ...OUTCOME_STATUSES.map((s) => ({ label: statusLabel(s), value: (f: FigureRow) => f.outcomes[s] })),
  ];
}

export function shownValue(value: ShownCount | ShownMedian | number | null | undefined): string {
  if (value === 'fewer_than_5') return t('figures.fewerThan5');
  if (value === 'withheld' || value === null || value === undefined) return t('figures.withheld');
  return String(value);
}

/** Every figure, a column per period; in a region that scrolls sideways by keyboard on a narrow screen. */
export function figuresTable(rows: readonly FigureRow[], caption: string, withCategories = true): HTMLElement {
  const table = el('table', { class: 'figures' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('figures.measure')), ...rows.map((r) => el('th', { scope: 'col' }, r.period)))),
    el('tbody', {}, ...measures(withCategories).map((m) => el('tr', {}, el('th', { scope: 'row' }, m.label), ...rows.map((r) => el('td', {}, shownValue(m.value(r))))))),
  );
  return el('div', { class: 'figures-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, table);
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

let chartCount = 0;

/**
 * A horizontal bar chart: role="img" named by its <title> and described by its <desc>, which
 * says every bar in words; each bar carries its value as text too, so colour is never the only cue.
 */
export function barChart(title: string, bars: readonly { label: string; value: number }[]): SVGSVGElement {
  const id = `chart-${++chartCount}`;
  const rowHeight = 28, labelWidth = 180, barWidth = 150, width = labelWidth + barWidth + 50;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const description = bars.map((b) => t('figures.chart.bar', { label: b.label, count: b.value })).join('; ');
  return svg('svg', { class: 'bar-chart', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, viewBox: `0 0 ${width} ${bars.length * rowHeight + 8}`, width: '100%' },
    svg('title', { id: `${id}-title` }, title),
    svg('desc', { id: `${id}-desc` }, description),
    ...bars.map((b, i) => svg('g', { transform: `translate(0 ${i * rowHeight + 4})` },
      svg('text', { x: String(labelWidth - 6), y: '17', 'text-anchor': 'end', class: 'bar-label' }, b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label),
      svg('rect', { x: String(labelWidth), y: '4', height: '18', width: String(Math.round((b.value / max) * barWidth)), class: 'bar' }),
      svg('text', { x: String(labelWidth + Math.round((b.value / max) * barWidth) + 4), y: '17', class: 'bar-value' }, String(b.value)),
    )));
}

/** The CSV's words, from the page's catalogue. */
export function csvWords(): FiguresCsvWords {
  return {
    period: t('figures.period'), received: t('figures.received'),
    category: Object.fromEntries(CATEGORY_IDS.map((c) => [c, categoryLabel(c)])) as FiguresCsvWords['category'],
    unreadable: t('figures.unreadable'), acknowledgedWithin: t('figures.acknowledgedWithin'), feedbackWithin: t('figures.feedbackWithin'),
    medianDaysToFirstResponse: t('figures.medianDays'),
    outcome: Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, statusLabel(s)])) as FiguresCsvWords['outcome'],
    fewerThan5: t('figures.fewerThan5'), withheld: t('figures.withheld'),
  };
}

const sum = (rows: readonly PeriodFigures[], of: (f: PeriodFigures) => number) => rows.reduce((n, f) => n + of(f), 0);

export function figuresView(options: FiguresOptions): Node[] {
  const heading = el('h1', { tabindex: '-1' }, t('figures.heading'));
  const back = el('button', { type: 'button', class: 'secondary' }, t('figures.back'));
  back.addEventListener('click', () => options.back());
  const instance = options.instance ? el('button', { type: 'button', class: 'secondary' }, t('figures.instance.open')) : null;
  if (instance) instance.addEventListener('click', () => options.instance?.());

  const period = el('select', { id: 'figures-period', name: 'period' },
    ...FIGURES_PERIODS.map((p) => el('option', { value: p, ...(p === options.span.period ? { selected: '' } : {}) }, t(PERIOD_KEYS[p]))));
  const from = el('input', { id: 'figures-from', name: 'from', type: 'date', required: '', value: options.span.from });
  const to = el('input', { id: 'figures-to', name: 'to', type: 'date', required: '', value: options.span.to });
  const show = el('button', { type: 'submit' }, t('figures.show'));
  const problem = alertLine('figures-problem');
  const form = el('form', { class: 'figures-form', novalidate: '' },
    el('p', {}, el('label', { for: 'figures-period' }, t('figures.by')), period),
    el('p', {}, el('label', { for: 'figures-from' }, t('figures.from')), from),
    el('p', {}, el('label', { for: 'figures-to' }, t('figures.to')), to),
    el('div', { class: 'actions' }, show), problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.textContent = '';
    // The server refuses a backwards span or one over a year; say so here first, in words.
    if (!from.value || !to.value || from.value > to.value) {
      problem.textContent = t('figures.badSpan');
      return;
    }
    void whileBusy(show, t('figures.counting'), () => options.show({ from: from.value, to: to.value, period: period.value as FiguresPeriod }));
  });

  const body: Node[] = [];
  if (options.error) body.push(el('p', { class: 'error', role: 'alert' }, options.error));
  if (options.facts) {
    const figures = computeFigures(options.facts, options.span.period);
    if (figures.length === 0) {
      body.push(el('p', { class: 'empty' }, t('figures.none')));
    } else {
      const suppressed = figures.map(suppressFigures);
      const csv = el('button', { type: 'button', class: 'secondary' }, t('figures.csv'));
      csv.addEventListener('click', () => {
        saveAs(new Blob([figuresCsv(suppressed, csvWords())], { type: 'text/csv' }), `figures-${options.span.from}-${options.span.to}.csv`);
        options.announce(t('figures.csvSaved'));
      });
      const print = el('button', { type: 'button', class: 'secondary' }, t('figures.foi'));
      print.addEventListener('click', () => options.print(suppressed));
      body.push(
        el('h2', {}, t('figures.charts')),
        barChart(t('figures.chart.received'), figures.map((f) => ({ label: f.period, value: f.received }))),
        barChart(t('figures.chart.categories'), CATEGORY_IDS.map((c) => ({ label: categoryLabel(c), value: sum(figures, (f) => f.byCategory[c]) }))),
        barChart(t('figures.chart.outcomes'), OUTCOME_STATUSES.map((s) => ({ label: statusLabel(s), value: sum(figures, (f) => f.outcomes[s]) }))),
        el('h2', {}, t('figures.tableHeading')),
        figuresTable(figures, t('figures.tableCaption')),
        el('h2', {}, t('figures.exportHeading')),
        el('p', {}, t('figures.exportHint')),
        el('div', { class: 'actions' }, csv, print),
      );
    }
  }
  return present(
    heading,
    el('p', {}, t('figures.hint', { organisation: options.organisationName })),
    el('div', { class: 'actions' }, back, instance ?? ''),
    form,
    ...body,
  );
}

/** A page that answers an FOI request: suppressed figures only, laid out for paper (print CSS hides the rest). */
export function foiView(options: { organisationName: string; span: FiguresSpan; figures: SuppressedFigures[]; back(): void }): Node[] {
  const print = el('button', { type: 'button' }, t('figures.print'));
  print.addEventListener('click', () => window.print());
  const back = el('button', { type: 'button', class: 'secondary' }, t('figures.backToFigures'));
  back.addEventListener('click', () => options.back());
  return [
    el('h1', { tabindex: '-1' }, t('figures.foi.heading', { organisation: options.organisationName })),
    el('p', {}, t('figures.foi.span', { from: formatDay(options.span.from), to: formatDay(options.span.to) })),
    el('p', {}, t('figures.foi.suppression')),
    figuresTable(options.figures, t('figures.foi.caption')),
    el('div', { class: 'actions no-print' }, print, back),
  ];
}

/** What the server counts without decrypting, per organisation and month: for instance administrators. */
export interface InstanceOrganisationFigures {
  id: string;
  name: string;
  months: FigureRow[];
}

export function instanceFiguresView(options: { span: FiguresSpan; organisations: InstanceOrganisationFigures[] | null; error?: string; back(): void }): Node[] {
  const back = el('button', { type: 'button', class: 'secondary' }, t('figures.backToFigures'));
  back.addEventListener('click', () => options.back());
  return present(
    el('h1', { tabindex: '-1' }, t('figures.instance.heading')),
    el('p', {}, t('figures.instance.hint', { from: formatDay(options.span.from), to: formatDay(options.span.to) })),
    el('div', { class: 'actions' }, back),
    options.error ? el('p', { class: 'error', role: 'alert' }, options.error) : null,
    ...(options.organisations ?? []).flatMap((org) => [
      el('h2', {}, org.name),
      org.months.length === 0 ? el('p', { class: 'empty' }, t('figures.none')) : figuresTable(org.months, t('figures.instance.caption', { organisation: org.name }), false),
    ]),
  );
}
