// Issue 11: `npm start` under an open-file limit of 1,024 lets a reporter through while 2,000
// idle and 200 slow connections are open, closes connections that send too slowly at their
// deadlines, and tells the operator without naming anyone.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maxConnectionsFor } from '../../worker/node-connection-limits.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** The limit in the finding, and a common default (systemd, most distributions). */
const OPEN_FILE_LIMIT = 1024;
const IDLE_CONNECTIONS = 2000;
const SLOW_CONNECTIONS = 200;
const REPORTER_BOUND_MS = 5000;
// Comfortably under maxBodyBytes (worker/deps.ts), so the route waits for all of it.
const SLOW_BODY_BYTES = 100_000;
// The route reads its JSON body before anything else.
const BODY_ROUTE = '/api/investigator/prelogin';

let dir: string;
let server: ServerProcess;
let port: number;
const sockets: Socket[] = [];
const drips: NodeJS.Timeout[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-connections-'));
  // Under the open-file limit: the shell lowers the soft and hard limit before Node starts.
  server = await startServerProcess(join(dir, 'parley.sqlite'), {}, { openFileLimit: OPEN_FILE_LIMIT });
  port = Number(new URL(server.url).port);
});
afterEach(() => {
  for (const drip of drips.splice(0)) clearInterval(drip);
  for (const socket of sockets.splice(0)) socket.destroy();
});
afterAll(async () => {
  await server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  socket: Socket;
  /** Resolves with the milliseconds from connecting until the server closed the connection. */
  closedAfterMs: Promise<number>;
}

/** How long the server took to close the connection, or Infinity if it is still open after `boundMs`. */
function closedWithin(opened: Opened, boundMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), boundMs)));
  return Promise.race([opened.closedAfterMs, bound]).finally(() => clearTimeout(timer));
}

/** A TCP connection to the server that sends `first` (nothing by default) once connected. */
function open(first = '', to = port): Promise<Opened> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port: to });
    sockets.push(socket);
    const closedAfterMs = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
    socket.on('error', () => undefined); // resets are expected: the server sheds and times out
    socket.on('data', () => undefined); // a 408 or the like, read and dropped
    const settle = () => resolve({ socket, closedAfterMs });
    socket.once('connect', () => {
      if (first) socket.write(first);
      settle();
    });
    socket.once('close', settle);
  });
}

async function openMany(count: number, first = '', to = port): Promise<Opened[]> {
  const opened: Opened[] = [];
  // In batches, so the listen backlog is not what turns connections away.
  for (let i = 0; i < count; i += 100) {
    opened.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open(first, to)))));
  }
  return opened;
}

/** One more byte a second on each connection, for as long as it is open. */
function drip(opened: Opened[], byte: string): void {
  drips.push(
    setInterval(() => {
      for (const { socket } of opened) if (!socket.destroyed) socket.write(byte);
    }, 1000),
  );
}

const SLOW_HEADERS = `POST ${BODY_ROUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `;
const SLOW_BODY = `POST ${BODY_ROUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${SLOW_BODY_BYTES}\r\n\r\n{`;

/** A reporter's request: its status, or what went wrong instead. */
async function reporterRequest(path: string, init: RequestInit = {}, url = server.url): Promise<number | string> {
  try {
    const response = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(REPORTER_BOUND_MS) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
  }
}

describe('the Node server under a connection flood', () => {
  it(`lets a reporter in within ${REPORTER_BOUND_MS / 1000} s while ${IDLE_CONNECTIONS} idle and ${SLOW_CONNECTIONS} slow connections are open`, { timeout: 45_000 }, async () => {
    await openMany(IDLE_CONNECTIONS);
    const slow = [...(await openMany(SLOW_CONNECTIONS / 2, SLOW_HEADERS)), ...(await openMany(SLOW_CONNECTIONS / 2, SLOW_BODY))];
    drip(slow.slice(0, SLOW_CONNECTIONS / 2), 'a');
    drip(slow.slice(SLOW_CONNECTIONS / 2), ' ');

    expect(await reporterRequest('/api/config')).toBe(200);
    expect(await reporterRequest('/api/mailbox/challenge', { method: 'POST' })).toBe(200);
    expect(await reporterRequest(BODY_ROUTE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice' }) })).toBe(200);

    // The operator is told, once, with counts and nothing that identifies a connection.
    await expect.poll(() => server.output(), { timeout: 5000 }).toMatch(/^Parley connections/m);
    const notices = server.output().split('\n').filter((line) => /^Parley connections/.test(line));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`(cap ${maxConnectionsFor(OPEN_FILE_LIMIT)})`);
    expect(notices[0]).not.toMatch(/\d+\.\d+\.\d+\.\d+|127\.0\.0\.1|:\d{4,5}\b/);
  });

  it('closes a connection that sends no request in 10 s, and one whose request takes over 30 s to arrive', { timeout: 45_000 }, async () => {
    const [idle] = await openMany(1);
    const [slowHeaders] = await openMany(1, SLOW_HEADERS);
    const [slowBody] = await openMany(1, SLOW_BODY);
    drip([slowHeaders!], 'a');
    drip([slowBody!], ' ');
    // Lower bounds a little under the deadlines: the server may not close early, and the
    // client starts its clock before the server accepts.
    const idleMs = await closedWithin(idle!, 13_000);
    expect(idleMs).toBeGreaterThan(9_000);
    expect(idleMs).toBeLessThan(13_000);
    const slowHeadersMs = await closedWithin(slowHeaders!, 13_000);
    expect(slowHeadersMs).toBeGreaterThan(9_000);
    expect(slowHeadersMs).toBeLessThan(13_000);
    const slowBodyMs = await closedWithin(slowBody!, 33_000);
    expect(slowBodyMs).toBeGreaterThan(29_000);
    expect(slowBodyMs).toBeLessThan(33_000);
  });
});

describe('PARLEY_MAX_CONNECTIONS', () => {
  it('sets the cap in place of the one derived from the open-file limit', async () => {
    const capped = await startServerProcess(join(dir, 'capped.sqlite'), { PARLEY_MAX_CONNECTIONS: '20' });
    try {
      await openMany(40, '', Number(new URL(capped.url).port));
      expect(await reporterRequest('/api/config', {}, capped.url)).toBe(200);
      await expect.poll(() => capped.output(), { timeout: 5000 }).toMatch(/^Parley connections since the last notice: \d+ idle closed to admit new ones \(cap 20\)/m);
    } finally {
      await capped.kill();
    }
  });

  it('refuses to start on a cap that is not a positive whole number, naming it', async () => {
    await expect(startServerProcess(join(dir, 'bad-cap.sqlite'), { PARLEY_MAX_CONNECTIONS: '0' })).rejects.toThrow(/PARLEY_MAX_CONNECTIONS/);
  });
});
