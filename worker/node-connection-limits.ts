// Connection limits and deadlines for the Node server, so that idle or slow connections cannot
// use up the open-file limit and shut a reporter out (issue 11; docs/OPERATIONS.md,
// "Connection limits and timeouts").
import { readFileSync } from 'node:fs';
import { Server, type IncomingMessage } from 'node:http';
import type { ServerType } from '@hono/node-server';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** From connecting, or from the end of the previous response, to a request's last header byte. */
  headersTimeoutMs: number;
  /** From a request's headers to its last body byte. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept for the next request. */
  keepAliveTimeoutMs: number;
  /** Silence after which any connection is closed, such as a reader that stopped reading a response. */
  inactivityTimeoutMs: number;
  /** Open connections at most; past it the oldest idle one is closed to admit the new one. */
  maxConnections: number;
}

// A reporter's browser sends its headers within milliseconds of connecting, and a body is at
// most 128 KiB (maxBodyBytes): a phone on a poor 2G link (~50 kbit/s) sends that in about 20 s.
// Node's defaults (60 s for headers, 300 s for a request, no idle limit) let a few hundred
// cheap connections hold every file descriptor for minutes.
export const CONNECTION_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  inactivityTimeoutMs: 30_000,
} as const;

/** Descriptors kept back from connections: stdio, the database with its WAL and shared memory, Node's own, a margin. */
export const RESERVED_FILE_DESCRIPTORS = 128;
/** Assumed when the limit cannot be read (not Linux): the usual soft limit. */
const FALLBACK_OPEN_FILE_LIMIT = 1024;
const MOST_CONNECTIONS = 65_536;

/** The process's soft open-file limit, from the text of /proc/self/limits. */
export function openFileLimitFrom(procLimits: string | null): number {
  const match = procLimits && /^Max open files\s+(\d+|unlimited)\s/m.exec(procLimits);
  if (!match) return FALLBACK_OPEN_FILE_LIMIT;
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** Connections allowed under an open-file limit, leaving room for everything else the process opens. */
export function maxConnectionsFor(openFileLimit: number): number {
  return Math.max(16, Math.min(openFileLimit, MOST_CONNECTIONS) - RESERVED_FILE_DESCRIPTORS);
}

function readProcLimits(): string | null {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
}

/** The limits for this process: the cap given (PARLEY_MAX_CONNECTIONS), or one derived from its open-file limit. */
export function connectionLimits(maxConnections?: number): ConnectionLimits {
  if (maxConnections !== undefined && (!Number.isInteger(maxConnections) || maxConnections < 1)) {
    throw new RangeError(`maxConnections must be a positive whole number, not ${maxConnections}`);
  }
  return { ...CONNECTION_TIMEOUTS, maxConnections: maxConnections ?? maxConnectionsFor(openFileLimitFrom(readProcLimits())) };
}

const SWEEP_INTERVAL_MS = 1000;
/** The first notice waits this long, so that it counts a burst rather than its first connection. */
const NOTICE_GATHER_MS = 1000;
const NOTICE_INTERVAL_MS = 60_000;

interface Tracked {
  /** When the connection opened, or its last request began or ended. */
  since: number;
  /** Requests whose headers arrived and whose response has not ended. */
  inFlight: number;
  request: IncomingMessage | null;
}

/**
 * Applies `limits` to a listening server. Sets Node's own timeouts, and enforces the header and
 * request deadlines itself every second: Node checks them only every 30 s
 * (connectionsCheckingInterval, fixed when the server is created).
 *
 * At the cap, the connection that has waited longest without a request in flight is closed to
 * admit the new one, rather than Node's maxConnections, which turns the newcomer away. A flood
 * of idle connections is then what gets closed, and a reporter's fresh connection, which sends
 * its request at once, gets in. Only when every connection has a request in flight is the
 * newcomer refused; those requests end by requestTimeoutMs.
 *
 * Closed and refused connections are counted in one line at most once a minute: a count and the
 * cap, never an address or anything else about a connection.
 */
export function limitConnections(server: ServerType, limits: ConnectionLimits, notify: (line: string) => void = console.warn): void {
  // serve() without a createServer option makes an HTTP/1.1 server; HTTP/2 has other limits.
  if (!(server instanceof Server)) throw new TypeError('limitConnections needs a node:http Server');
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.inactivityTimeoutMs);

  // In order of `since`, oldest first: a connection moves to the end when its response ends.
  const connections = new Map<Socket, Tracked>();
  const counts = { shed: 0, refused: 0, tooSlow: 0 };
  let lastNoticeAt = -Infinity;
  let pendingNotice: NodeJS.Timeout | undefined;

  const sendNotice = () => {
    pendingNotice = undefined;
    lastNoticeAt = Date.now();
    notify(
      `Parley connections since the last notice: ${counts.shed} idle closed to admit new ones (cap ${limits.maxConnections}), ` +
        `${counts.refused} refused with every connection busy, ${counts.tooSlow} closed for sending a request too slowly. ` +
        'If this is ordinary traffic, raise the open-file limit or PARLEY_MAX_CONNECTIONS (docs/OPERATIONS.md).',
    );
    counts.shed = counts.refused = counts.tooSlow = 0;
  };
  const record = (what: keyof typeof counts) => {
    counts[what] += 1;
    pendingNotice ??= setTimeout(sendNotice, Math.max(NOTICE_GATHER_MS, lastNoticeAt + NOTICE_INTERVAL_MS - Date.now())).unref();
  };
  const drop = (socket: Socket) => {
    connections.delete(socket);
    socket.destroy();
  };

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { since: Date.now(), inFlight: 0, request: null });
    socket.once('close', () => connections.delete(socket));
    if (connections.size <= limits.maxConnections) return;
    for (const [oldest, tracked] of connections) {
      if (tracked.inFlight === 0 && oldest !== socket) {
        drop(oldest);
        record('shed');
        return;
      }
    }
    drop(socket);
    record('refused');
  });

  server.on('request', (request: IncomingMessage, response) => {
    const socket = request.socket;
    const tracked = connections.get(socket);
    if (!tracked) return;
    tracked.inFlight += 1;
    tracked.request = request;
    tracked.since = Date.now();
    response.once('close', () => {
      tracked.inFlight -= 1;
      if (tracked.inFlight > 0 || !connections.has(socket)) return;
      tracked.request = null;
      tracked.since = Date.now();
      connections.delete(socket);
      connections.set(socket, tracked);
    });
  });

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, tracked] of connections) {
      // No request headers yet: an idle connection, a slow one, or one that never meant to send.
      if (tracked.inFlight === 0 && now - tracked.since > limits.headersTimeoutMs) drop(socket);
      else if (tracked.request && !tracked.request.complete && now - tracked.since > limits.requestTimeoutMs) {
        drop(socket);
        record('tooSlow');
      }
    }
  }, SWEEP_INTERVAL_MS).unref();

  server.once('close', () => {
    clearInterval(sweep);
    clearTimeout(pendingNotice);
  });
}
