// The app factory: one Hono app from its dependencies, used by both entry points (Node
// with better-sqlite3, Workers with D1) and by the tests.
import { Hono } from 'hono';
import { ApiError, errorResponse, handleError } from './errors.js';
import type { AppDeps } from './deps.js';
import { securityHeaders } from './middleware/security-headers.js';
import { limitBody } from './request-body.js';
import { configRoutes } from './routes/config.js';
import { reportRoutes } from './routes/reports.js';
import { mailboxRoutes } from './routes/mailbox.js';
import { investigatorSessionRoutes } from './routes/investigator-sessions.js';
import { investigatorCaseRoutes } from './routes/investigator-cases.js';
import { pageRoutes } from './routes/pages.js';
import { accountRoutes } from './routes/accounts.js';
import { memberRoutes } from './routes/members.js';
import { noticeAddressRoutes } from './routes/notice-address.js';
import { organisationSettingsRoutes } from './routes/organisation-settings.js';
import { keyringRoutes } from './routes/keyrings.js';
import { figuresRoutes, publicFiguresRoutes } from './routes/figures.js';
import { workGate } from './proof-of-work.js';
import { openApiRoutes } from './routes/openapi.js';
import { MAX_FILE_PART_BYTES } from '../web/protocol/file-lengths.js';
import { routeFor } from './route-table.js';

/** The routes the route table marks as taking raw bytes: a file part (worker/file-transfer.ts). Only PUTs do. */
const takesFilePart = (method: string, path: string) => method === 'PUT' && routeFor(method, path)?.spec.bytesBody === true;

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  const limitTo = (maxSize: number) => limitBody(maxSize, (c) => errorResponse(c, new ApiError('payload_too_large', `The body is larger than ${maxSize} bytes.`)));
  // Every body is small: a key rotation carries one keyring per member (about 250 bytes each),
  // never the organisation's case keys (docs/PROTOCOL.md, "Key rotation"). File parts alone are
  // larger, and have their own limit: the largest part a stored file may have (the route then
  // checks the exact length of that file's part).
  const smallBodies = limitTo(deps.config.maxBodyBytes);
  const filePart = limitTo(MAX_FILE_PART_BYTES);
  app.use('/api/*', (c, next) => (takesFilePart(c.req.method, c.req.path) ? filePart(c, next) : smallBodies(c, next)));
  app.route('/api', configRoutes(deps));
  app.route('/api', openApiRoutes());
  // One per app, so per process or isolate: it holds the in-memory intake count.
  const work = workGate(deps);
  app.route('/api/reports', reportRoutes(deps, work));
  app.route('/api/mailbox', mailboxRoutes(deps, work));
  app.route('/api/investigator', investigatorSessionRoutes(deps, work));
  app.route('/api/investigator/cases', investigatorCaseRoutes(deps));
  // Before the members' routes: its admin route answers before their middleware runs.
  app.route('/api/investigator', organisationSettingsRoutes(deps));
  app.route('/api/investigator/admin', memberRoutes(deps));
  app.route('/api/investigator/keyrings', keyringRoutes(deps));
  app.route('/api/investigator', figuresRoutes(deps));
  app.route('/api/investigator/account/notices', noticeAddressRoutes(deps));
  app.route('/api', accountRoutes(deps));
  app.route('/api', publicFiguresRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.notFound((c) => errorResponse(c, new ApiError('not_found', 'No such route.')));
  app.onError(handleError);
  return app;
}
