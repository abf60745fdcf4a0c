// Who runs this instance, as the operator writes it in config/operator.json: read when the pages
// are built (like config/anchors.json and PARLEY_LANGUAGES), shown in every reporter page's footer
// and on its privacy notice and accessibility statement. A fresh install has none: the pages then
// say, in words a reporter can read, that these are placeholders the operator must replace.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the operator's details are; PARLEY_OPERATOR_FILE names another file. */
export const OPERATOR_FILE = join(ROOT, 'config', 'operator.json');

/** The static pages beside each language's reporter page: /<language>/<page>. */
export const INFO_PAGES = ['staying-safe', 'privacy', 'accessibility'] as const;
export type InfoPage = (typeof INFO_PAGES)[number];

/**
 * Free text as the operator wrote it: one string (in `language`, English unless the file says
 * otherwise), or one per language ({"en": "…", "cy": "…"}). A page shows its own language's text
 * when there is one, and otherwise the operator's own words, marked with their language.
 */
const text = z.union([z.string().min(1), z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1)).refine((t) => Object.keys(t).length > 0, 'give at least one language')]);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

export const operatorDetails = z.object({
  /** The language of plain-string texts. */
  language: z.string().regex(/^[a-z]{2,3}$/).default('en'),
  name: text,
  email: z.string().email().optional(),
  postalAddress: text.optional(),
  /** Other ways to report: the phone line, a postal route, another service — one entry each. */
  otherWays: z.array(text).default([]),
  privacy: z.object({
    /** Why the data may be handled (the lawful basis), in the operator's words. */
    lawfulBasis: text,
    /** How long reports and messages are kept. */
    retention: text,
    /** Who to ask about data protection (a data protection officer, an address). */
    contact: text,
  }),
  accessibility: z.object({
    /** WCAG 2.2 AA: fully, partially or not compliant (the GDS model statement's three wordings). */
    compliance: z.enum(['full', 'partial', 'not']),
    /** What is known not to be accessible, one entry each. */
    nonAccessible: z.array(text).default([]),
    /** Working days within which an accessibility request is answered. */
    responseDays: z.number().int().min(1).max(60).default(5),
    preparedOn: isoDay,
    reviewedOn: isoDay,
    testedOn: isoDay,
    testedBy: text,
  }),
});

export type OperatorText = z.infer<typeof text>;
export type OperatorDetailsInput = z.input<typeof operatorDetails>;
export type OperatorDetails = z.infer<typeof operatorDetails> & { placeholder: boolean };

const SET_IT = 'config/operator.json';

/**
 * A fresh install's details: each says plainly that it is a placeholder, so a page built without
 * config/operator.json is obviously unfinished rather than quietly wrong.
 */
export const PLACEHOLDER_OPERATOR: OperatorDetailsInput = {
  name: `[placeholder: the operator's name, set in ${SET_IT}]`,
  postalAddress: `[placeholder: the operator's postal address (and "email"), set in ${SET_IT}]`,
  otherWays: [`[placeholder: other ways to report, such as a phone line, set in ${SET_IT}]`],
  privacy: {
    lawfulBasis: `[placeholder: the lawful basis for handling reports, set in ${SET_IT}]`,
    retention: `[placeholder: how long reports are kept, set in ${SET_IT}]`,
    contact: `[placeholder: who to contact about data protection, set in ${SET_IT}]`,
  },
  accessibility: {
    compliance: 'partial',
    nonAccessible: [`[placeholder: what is known not to be accessible, set in ${SET_IT}]`],
    preparedOn: '2026-12-03',
    reviewedOn: '2026-12-03',
    testedOn: '2026-12-03',
    testedBy: `[placeholder: who tested this website, set in ${SET_IT}]`,
  },
};

/** Checks the operator's details, naming each bad entry. */
export function parseOperatorDetails(input: unknown, source: string): OperatorDetails {
  const parsed = operatorDetails.safeParse(input);
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...parsed.data, placeholder: false };
}

/** The operator's details from their file, or the placeholders (marked `placeholder`) when there is none. */
export function readOperatorDetails(file: string = process.env.PARLEY_OPERATOR_FILE || OPERATOR_FILE): OperatorDetails {
  if (!existsSync(file)) return { ...parseOperatorDetails(PLACEHOLDER_OPERATOR, 'the placeholder operator'), placeholder: true };
  return parseOperatorDetails(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

/** The text for a page in `language`, and the language it is actually in (for a lang attribute). */
export function operatorText(value: OperatorText, language: string, details: Pick<OperatorDetails, 'language'>): { text: string; language: string } {
  if (typeof value === 'string') return { text: value, language: details.language };
  const own = value[language];
  if (own !== undefined) return { text: own, language };
  const fallback = value[details.language] ?? value.en ?? Object.values(value)[0]!;
  const fallbackLanguage = value[details.language] !== undefined ? details.language : value.en !== undefined ? 'en' : Object.keys(value)[0]!;
  return { text: fallback, language: fallbackLanguage };
}

/** The warning a build and `npm run doctor` give while the placeholders are in use. */
export const PLACEHOLDER_WARNING = `the reporter pages say "placeholder" where the operator's name, other ways to report, privacy notice and accessibility statement belong. Fix: write ${SET_IT} (docs/OPERATIONS.md, "Who runs the service"), then rebuild (npm run build:web, or restart).`;
