// Cloudflare Workers: the same app from the same factory (app.ts) over D1 and R2, and the cron's
// scheduled work. Workers have no start-up hook, so bindings and vars are validated on the
// first request; a misconfigured deployment answers every request with the one error
// shape, naming what is missing. No request logging: the server keeps no trace of callers.
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { Hono } from 'hono';
import * as schema from '../db/schema.js';
import type { ParleyDb } from '../db/database.js';
import { createApp } from './app.js';
import { webCryptoRandomBytes, type AppDeps } from './deps.js';
import { readWorkersEnv } from './env-workers.js';
import { workersAssetSource } from './assets-workers.js';
import { r2FileStore } from './file-store.js';
import { ApiError, errorResponse, handleError } from './errors.js';
import { EnvironmentError } from './config-vars.js';
import { securityHeaders } from './middleware/security-headers.js';
import { runScheduledWork } from './scheduled.js';
import { sendStaffNotices, type NoticeSender } from './notices.js';
import { sendEmailMailer } from './mailer-workers.js';

/** wrangler.toml's second cron: staff notices only, every 5 minutes (the first runs all the scheduled work). */
const NOTICE_CRON = '*/5 * * * *';
import { DataProtocolError, requireProtocol2Data } from './data-protocol.js';
import { requireMatchingServerSecret } from './server-secret-check.js';
import { StartupRefusal } from './startup-refusal.js';

function depsFor(env: unknown): AppDeps {
  const { db, assets, files, config, serverSecret } = readWorkersEnv(env);
  return {
    db: drizzle(db, { schema }) as unknown as ParleyDb,
    clock: Date.now,
    randomBytes: webCryptoRandomBytes,
    config,
    assets: workersAssetSource(assets),
    serverSecret,
    files: r2FileStore(files),
  };
}

// One app per isolate and env (the app keeps small caches such as the public KDF salt).
const apps = new WeakMap<object, Hono>();

function appFor(env: object): Hono {
  let app = apps.get(env);
  if (!app) {
    app = createApp(depsFor(env));
    apps.set(env, app);
  }
  return app;
}

/**
 * Answers every request in the API's error shape: naming what is misconfigured (nothing
 * secret: binding and var names, never their values), or, for any other failure to build
 * the app, saying no more than app.onError would.
 */
function failedApp(error: unknown): Hono {
  const misconfigured = error instanceof EnvironmentError;
  console.error(misconfigured ? `Parley is misconfigured: ${error.message}` : `Parley could not start: ${error instanceof Error ? error.name : 'error'}`);
  const app = new Hono();
  app.use('*', securityHeaders());
  app.all('*', (c) => (misconfigured ? errorResponse(c, new ApiError('server_misconfigured', `The server is misconfigured. ${error.message}`)) : handleError(error as Error, c)));
  return app;
}

// Checked once per isolate and env, as Node checks at start: a database holding protocol-1 data
// is not served (worker/data-protocol.ts), nor one whose server secret is another (worker/server-secret-check.ts).
const startupChecks = new WeakMap<object, Promise<unknown>>();

function startupCheckFor(env: object): Promise<unknown> {
  let check = startupChecks.get(env);
  if (!check) {
    const { db, serverSecret } = depsFor(env);
    check = (async () => {
      await requireProtocol2Data(db, 'The D1 database');
      await requireMatchingServerSecret(db, serverSecret, {
        database: 'the D1 database',
        secretFrom: 'the PARLEY_SERVER_SECRET Worker secret',
        fix: 'Put back the secret this database was set up with (wrangler secret put PARLEY_SERVER_SECRET); do not make a new one.',
      });
    })().then(() => null, (error: unknown) => error);
    startupChecks.set(env, check);
  }
  return check;
}

/** Every request answered 503 with what the operator must do: the Workers form of refusing to start. */
function refusingApp(error: DataProtocolError | StartupRefusal): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  const refusal = error instanceof DataProtocolError ? new ApiError('unsupported_data', error.message) : new ApiError('server_misconfigured', error.message);
  app.all('*', (c) => errorResponse(c, refusal));
  return app;
}

export default {
  async fetch(request: Request, env: object, ctx: ExecutionContext): Promise<Response> {
    let app: Hono;
    try {
      app = appFor(env);
      const refused = await startupCheckFor(env);
      if (refused instanceof DataProtocolError || refused instanceof StartupRefusal) {
        console.error(refused.message);
        app = refusingApp(refused);
      }
    } catch (error) {
      app = failedApp(error);
    }
    return app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: object): Promise<void> {
    // A misconfiguration throws here, so the cron run is recorded as failed.
    const { noticeBinding } = readWorkersEnv(env);
    const notices: NoticeSender | undefined = noticeBinding && {
      mailer: sendEmailMailer(noticeBinding.binding, noticeBinding.from),
      ...(noticeBinding.consoleUrl ? { consoleUrl: noticeBinding.consoleUrl } : {}),
    };
    if (controller.cron === NOTICE_CRON) await sendStaffNotices({ db: depsFor(env).db, notices }, controller.scheduledTime);
    else await runScheduledWork({ ...depsFor(env), notices }, controller.scheduledTime);
  },
};
