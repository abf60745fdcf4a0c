// A D1 binding that counts the calls reaching the database (test/edge/d1-round-trips*.test.ts):
// on Workers each is a round trip (a batch is one), so a route's count is what it waits for (issue 16).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { D1Database } from '@cloudflare/workers-types/latest';

const MIGRATIONS = join(import.meta.dirname, '../../db/migrations');

/** The binding with a count of the calls that reach the database: each statement run alone, each batch, each exec. */
export function countingD1(d1: D1Database): { d1: D1Database; calls: () => number } {
  let calls = 0;
  const counted = <F extends (...args: never[]) => unknown>(f: F, self: object): F =>
    ((...args: Parameters<F>) => {
      calls++;
      return f.apply(self, args);
    }) as F;
  const statement = (s: object): object =>
    new Proxy(s, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'bind') return (...args: unknown[]) => statement((value as (...a: unknown[]) => object).apply(target, args));
        if (key === 'all' || key === 'run' || key === 'first' || key === 'raw') return counted(value as (...a: never[]) => unknown, target);
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  const db = new Proxy(d1, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'prepare') return (query: string) => statement((value as (q: string) => object).call(target, query));
      if (key === 'batch' || key === 'exec') return counted(value as (...a: never[]) => unknown, target);
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { d1: db, calls: () => calls };
}

/** Applies db/migrations to a fresh D1, as `wrangler d1 migrations apply` would. */
export async function migrateD1(d1: D1Database): Promise<void> {
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = readFileSync(join(MIGRATIONS, file), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
    for (const s of statements) await d1.prepare(s).run();
  }
}
