// Starts the app on Node with the embedded SQLite database. Used by `npm start` and by
// tests that need a real HTTP server (bound to 127.0.0.1 only).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { openNodeDatabase, type NodeDatabase } from '../db/open-node.js';
import { createApp } from './app.js';
import { databaseFileStore } from './file-store.js';
import { webCryptoRandomBytes, type AppConfig } from './deps.js';
import { loadNodeAssets } from './assets-node.js';
import { loadMatchingNodeServerSecret } from './server-secret-node.js';
import { StartupRefusal } from './startup-refusal.js';
import { issueSetupToken } from './setup-token.js';
import { runScheduledWork } from './scheduled.js';
import { requireProtocol2Data } from './data-protocol.js';
import { connectionLimits, limitConnections } from './node-connection-limits.js';
import { sendStaffNotices, type NoticeSender } from './notices.js';

/** Staff notices go out this often (worker/notices.ts); the rest of the scheduled work, hourly. */
const NOTICE_INTERVAL_MS = 5 * 60 * 1000;

/** Where `npm run build:web` puts the bundles. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

export interface RunningServer {
  url: string;
  /** While no organisation exists: the one-time link that founds the first one. */
  setupLink: string | null;
  close(): Promise<void>;
}

export async function startNodeServer(options: { host: string; port: number; dbPath: string; config: AppConfig; webDir?: string; serverSecret?: string; clock?: () => number; maxConnections?: number; notices?: NoticeSender | undefined }): Promise<RunningServer> {
  // Each step refuses (StartupRefusal, DataProtocolError) what would lose data or fail every request.
  const database = openNodeDatabase(options.dbPath);
  let serverSecret: Uint8Array;
  try {
    await requireProtocol2Data(database.db, `The database ${options.dbPath}`);
    serverSecret = await loadMatchingNodeServerSecret(database.db, options.dbPath, options.serverSecret);
  } catch (error) {
    database.close();
    throw error;
  }
  const assets = loadNodeAssets(options.webDir ?? WEB_DIR);
  const app = createApp({
    db: database.db,
    clock: options.clock ?? Date.now,
    randomBytes: webCryptoRandomBytes,
    config: options.config,
    serverSecret,
    files: databaseFileStore(database.db),
    ...(assets ? { assets } : {}),
  });
  const setupFragment = await issueSetupToken(database.db, webCryptoRandomBytes);
  // The same clean-up the Workers cron runs, hourly; unref'd so it never keeps the process alive.
  const cleanUp = setInterval(() => void nodeHousekeeping(database, options.config, Date.now()).catch(() => undefined), 60 * 60 * 1000);
  cleanUp.unref();
  // Staff notices by their own timer only (the hourly run above sends none), one run at a time: two
  // runs at once would both find the same news and tell it twice.
  let notifying = false;
  const notify = setInterval(() => {
    if (notifying || !options.notices) return;
    notifying = true;
    void sendStaffNotices({ db: database.db, notices: options.notices }, Date.now()).catch(() => undefined).finally(() => (notifying = false));
  }, NOTICE_INTERVAL_MS);
  notify.unref();
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', (error) => {
      clearInterval(cleanUp);
      clearInterval(notify);
      database.close();
      reject(listenRefusal(error, options.host, options.port));
    });
  });
  limitConnections(server, connectionLimits(options.maxConnections));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    setupLink: setupFragment ? `http://${options.host}:${port}/console${setupFragment}` : null,
    close: () =>
      new Promise((resolve) => {
        clearInterval(cleanUp);
        clearInterval(notify);
        server.close(() => {
          database.close();
          resolve();
        });
        // Keep-alive connections would hold close() open; end them.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * The Workers cron's clean-up, then a truncating checkpoint: secure_delete zeroes deleted rows in
 * the database file, but the write-ahead log still holds the pages as they were before (ended
 * sessions, spent challenges) until it is emptied. D1 manages its own log.
 */
export async function nodeHousekeeping(database: NodeDatabase, config: AppConfig, now: number): Promise<void> {
  await runScheduledWork({ db: database.db, config, files: databaseFileStore(database.db) }, now);
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

/** A port already taken or not ours to bind is the operator's to fix; other listen errors stay as they are. */
function listenRefusal(error: Error & { code?: string }, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new StartupRefusal(`Another process is already listening on ${host}:${port}.`, 'Stop that process (is Parley already running?), or set PARLEY_PORT to a free port.', { cause: error });
  }
  if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
    return new StartupRefusal(`Parley may not listen on ${host}:${port} (${error.code}).`, 'Set PARLEY_HOST to an address of this machine and PARLEY_PORT to a port above 1023, or give Node the right to bind it.', { cause: error });
  }
  return error;
}
