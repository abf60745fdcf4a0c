// The real app (createApp) in this process over a real SQLite file opened as `npm start` opens
// it (db/open-node.ts: migrations, WAL, synchronous=FULL): in a temp directory removed on
// close, or over a given file. Used by the tests (test/support/test-app.ts) and the benchmarks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeDatabase, type NodeDatabase } from '../../db/open-node.js';
import { createApp } from '../../worker/app.js';
import { webCryptoRandomBytes, type AppConfig, type AppDeps } from '../../worker/deps.js';
import { databaseFileStore, type FileStore } from '../../worker/file-store.js';

export interface LocalApp {
  app: ReturnType<typeof createApp>;
  database: NodeDatabase;
  dbPath: string;
  /** The server secret this app encrypts TOTP secrets with (fresh unless given). */
  serverSecret: Uint8Array;
  /** The app's file store (the database's own table). */
  files: FileStore;
  close(): void;
}

export function openLocalApp(config: AppConfig, options: { dbPath?: string; clock?: () => number; serverSecret?: Uint8Array; checkpoint?: AppDeps['checkpoint'] } = {}): LocalApp {
  const dir = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'parley-app-'));
  const dbPath = options.dbPath ?? join(dir!, 'parley.sqlite');
  const database = openNodeDatabase(dbPath);
  const serverSecret = options.serverSecret ?? webCryptoRandomBytes(32);
  const checkpoint = options.checkpoint ? { checkpoint: options.checkpoint } : {};
  const files = databaseFileStore(database.db);
  const app = createApp({ db: database.db, clock: options.clock ?? Date.now, randomBytes: webCryptoRandomBytes, config, serverSecret, files, ...checkpoint });
  return {
    app, database, dbPath, serverSecret, files,
    close() {
      database.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
