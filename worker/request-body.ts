// The request's body, and its size limit, without Node's Web Request adapter where it can be
// avoided. @hono/node-server hands a route a lightweight request and builds a real Request
// (headers, AbortController, a web stream over the socket) the first time anything touches its
// body: ~0.3 ms of a 0.4 ms POST (issue 16). On Node it also passes the IncomingMessage as
// c.env.incoming; HTTP/1.1 bounds a body that is not chunked by its Content-Length (none: no
// body), so such a body is checked from the header and read from the socket directly. Chunked
// bodies, and every body on Workers (a real Request already), go through Hono as before.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

type NodeBindings = { incoming?: AsyncIterable<Uint8Array> & { readableDidRead?: boolean } };

/** The IncomingMessage to read directly, if this request came through Node's HTTP/1.1 server and is not chunked. */
function directIncoming(c: Context): NodeBindings['incoming'] | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  return incoming && c.req.header('transfer-encoding') === undefined ? incoming : undefined;
}

/** Refuses a body over maxSize with `refuse`; a declared length is checked without touching the body. */
export function limitBody(maxSize: number, refuse: (c: Context) => Response): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError: refuse });
  return async (c, next) => {
    if (!directIncoming(c)) return streamed(c, next);
    if (Number(c.req.header('content-length') ?? 0) > maxSize) return refuse(c);
    await next();
  };
}

const bodies = new WeakMap<object, Promise<Uint8Array>>();

/** The body's bytes, read once however many times asked (the mailbox proof hashes it, then the route parses it). */
export function requestBody(c: Context): Promise<Uint8Array> {
  let body = bodies.get(c.req.raw);
  if (!body) {
    body = readBody(c);
    bodies.set(c.req.raw, body);
  }
  return body;
}

async function readBody(c: Context): Promise<Uint8Array> {
  const incoming = directIncoming(c);
  if (!incoming || incoming.readableDidRead) return new Uint8Array(await c.req.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of incoming) {
    chunks.push(chunk);
    length += chunk.length;
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}
