// Rows decoded as drizzle decodes them (its mapResultRow), with the work that depends only on the
// selection done once per statement, not once per row. Why: drizzle finds each field's decoder by
// walking prototype chains (`is`), up to three times for every field of every row; on a page of
// the case list (50 rows of some 40 fields) that was the worker isolate's largest single cost,
// about a sixth of its CPU (bench/RESULTS.md, issue 16). The plan is kept for each prepared
// statement and holds no rows.
import { Column, getTableName, is, SQL, Subquery } from 'drizzle-orm';

/** A selected field as drizzle's prepared statements keep them (`fields`): where it goes, and what it is. */
export interface SelectedField {
  path: string[];
  field: unknown;
}

/** Which joined tables can be missing from a row (false): drizzle's `joinsNotNullableMap`. */
export type JoinsNotNullable = Record<string, boolean> | undefined;

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (field as unknown as { decoder: Decoder }).decoder;
  if (is(field, Subquery)) return (field._.sql as unknown as { decoder: Decoder }).decoder;
  return (field as { sql: { decoder: Decoder } }).sql.decoder;
}

/**
 * An object of columns under one name (`{ member: members }`, or columns picked from one table)
 * is null as a whole when its table's join may miss it and its first column came back null:
 * drizzle's rule, kept as it is. It looks at the first column only; it does not apply when the
 * object holds columns of two tables; SQL fields under the same name are not looked at.
 */
interface Nullable {
  key: string;
  firstField: number;
}

interface Plan {
  decoders: Decoder[];
  paths: string[][];
  nullable: Nullable[];
}

function planOf(fields: readonly SelectedField[], joinsNotNullable: JoinsNotNullable): Plan {
  const tableOf = (field: unknown) => (joinsNotNullable && is(field, Column) ? getTableName(field.table) : null);
  const nullable: Nullable[] = [];
  const groups = new Map<string, { firstField: number; table: string | null }>();
  fields.forEach(({ path, field }, index) => {
    if (path.length !== 2) return;
    const table = tableOf(field);
    if (table === null) return;
    const group = groups.get(path[0]!);
    if (!group) groups.set(path[0]!, { firstField: index, table });
    else if (group.table !== table) group.table = null;
  });
  for (const [key, { firstField, table }] of groups) {
    if (table !== null && !joinsNotNullable![table]) nullable.push({ key, firstField });
  }
  return { decoders: fields.map((f) => decoderOf(f.field)), paths: fields.map((f) => f.path), nullable };
}

/** What a drizzle prepared statement keeps of its selection. */
export interface Selection {
  fields: readonly SelectedField[];
  joinsNotNullableMap?: JoinsNotNullable;
}

const plans = new WeakMap<Selection, Plan>();

/** `rows` (each an array of values in selection order) as objects shaped like the statement's selection, each value decoded by its column. */
export function mapRows(statement: Selection, rows: readonly (readonly unknown[])[]): Record<string, unknown>[] {
  let plan = plans.get(statement);
  if (!plan) {
    plan = planOf(statement.fields, statement.joinsNotNullableMap);
    plans.set(statement, plan);
  }
  const { decoders, paths, nullable } = plan;
  return rows.map((row) => {
    const result: Record<string, unknown> = {};
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      let node = result;
      for (let j = 0; j < path.length - 1; j++) {
        const chunk = path[j]!;
        if (!(chunk in node)) node[chunk] = {};
        node = node[chunk] as Record<string, unknown>;
      }
      const raw = row[i];
      node[path[path.length - 1]!] = raw === null ? null : decoders[i]!.mapFromDriverValue(raw);
    }
    for (const { key, firstField } of nullable) {
      if ((result[key] as Record<string, unknown>)[paths[firstField]![1]!] === null) result[key] = null;
    }
    return result;
  });
}
