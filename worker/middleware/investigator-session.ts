// Investigator requests carry `Authorization: Bearer <token>`: no cookies, so no ambient
// authority for a cross-site request to ride on (no CSRF). Sessions expire when idle and
// at an absolute limit; the database keeps only the token's hash.
import type { MiddlewareHandler } from 'hono';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { findSession, touchSession, deleteSession } from '../../db/repo/sessions.js';
import type { Member } from '../../db/repo/members.js';
import type { Organisation } from '../../db/repo/organisations.js';
import { ApiError } from '../errors.js';
import { sha256B64 } from '../server-crypto.js';
import type { AppDeps } from '../deps.js';
import { storageFault } from '../storage-faults.js';

/** `organisation`: the member's own, as the session's read found it (its keys and settings). */
export type InvestigatorVariables = { investigator: Member; organisation: Organisation; sessionTokenHash: string };

export const SESSION_TOKEN_BYTES = 32;

const TOUCH_EVERY_MS = 60_000;

export function investigatorSession(deps: AppDeps): MiddlewareHandler<{ Variables: InvestigatorVariables }> {
  return async function investigatorSessionMiddleware(c, next) {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(c.req.header('authorization') ?? '');
    const token = match ? b64ToBytes(match[1]!) : null;
    if (!token || token.length !== SESSION_TOKEN_BYTES) throw new ApiError('unauthorised', 'Sign in to continue.');
    const tokenHash = await sha256B64(token);
    const found = await findSession(deps.db, tokenHash);
    const now = deps.clock();
    if (!found) throw new ApiError('unauthorised', 'Your session has ended. Sign in again.');
    const { session, member: investigator, organisation } = found;
    if (now >= session.expiresAt || now - session.lastUsedAt >= deps.config.sessionIdleMs) {
      await deleteSession(deps.db, tokenHash);
      throw new ApiError('unauthorised', 'Your session has ended. Sign in again.');
    }
    if (!investigator || !organisation) throw new ApiError('unauthorised', 'Your session has ended. Sign in again.');
    // Reading needs no write: the idle clock is moved at most once a minute, and a full or
    // busy disk that refuses the move does not refuse the read (the session may end a little sooner).
    if (now - session.lastUsedAt >= TOUCH_EVERY_MS) {
      await touchSession(deps.db, tokenHash, now).catch((error: unknown) => {
        if (!storageFault(error)) throw error;
      });
    }
    c.set('investigator', investigator);
    c.set('organisation', organisation);
    c.set('sessionTokenHash', tokenHash);
    await next();
  };
}
