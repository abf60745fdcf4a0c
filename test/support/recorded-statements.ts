// Records what a better-sqlite3 connection runs, however the statement was prepared (drizzle,
// prepared once, by hand): its SQL, its parameters and the rows it returned or changed. For
// tests that check the work a request does (rows touched, query plans), not its timing.
import type Database from 'better-sqlite3';

export interface RecordedStatement {
  source: string;
  params: unknown[];
  rows: number;
}

/** Calls `seen` for each statement the connection runs from now on. */
export function recordStatements(sqlite: Database.Database, seen: (statement: RecordedStatement) => void): void {
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    const recorded: Database.Statement = new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...params: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, params);
          if (key === 'run') seen({ source, params, rows: (result as Database.RunResult).changes });
          if (key === 'all') seen({ source, params, rows: (result as unknown[]).length });
          if (key === 'get' || key === 'iterate') seen({ source, params, rows: result === undefined ? 0 : 1 });
          return result === target ? recorded : result; // chained setters (raw, pluck) keep the recording
        };
      },
    });
    return recorded;
  }) as typeof sqlite.prepare;
}
