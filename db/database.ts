// The database type every repository function takes: drizzle over SQLite, sync
// (better-sqlite3 on Node) or async (D1 on Workers). Queries are awaited either way.
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

export type ParleyDb = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;
