// Every response the suite receives is held to the route table (worker/route-table.ts): a
// success has its route's status and body schema, an error the one error shape with a known
// code and that code's status; and every one, success or error, page or API, on either runtime,
// carries the security headers. A mismatch fails the test that made the request, so neither the
// schemas nor the headers can drift from what the server sends.
import { ERROR_STATUS, type ErrorCode } from '../../worker/errors.js';
import { routeFor } from '../../worker/route-table.js';
import { responses } from '../../worker/wire-responses.js';

export class ResponseMismatch extends Error {
  override name = 'ResponseMismatch';
}

/** Written out here rather than imported from the middleware, so a change there has to be made twice on purpose. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // No browser or proxy keeps a reporter's page or thread on a shared device.
  'cache-control': 'no-store',
};
const CSP_MUST_INCLUDE = ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"];

export async function checkResponse(method: string, url: string, response: Response): Promise<void> {
  const where = `${method} ${new URL(url).pathname} → ${response.status}`;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (response.headers.get(name) !== value) throw new ResponseMismatch(`${where}: ${name} is ${JSON.stringify(response.headers.get(name))}, not ${JSON.stringify(value)}`);
  }
  const csp = response.headers.get('content-security-policy') ?? '';
  const missing = CSP_MUST_INCLUDE.filter((directive) => !csp.includes(directive));
  if (missing.length > 0) throw new ResponseMismatch(`${where}: content-security-policy lacks ${missing.join(', ')}`);
  if (response.status < 400 && routeFor(method, new URL(url).pathname)?.spec.ok.type === 'bytes') return checkBytes(where, response);
  const text = await response.text();
  if (response.status >= 400) {
    const parsed = responses.error.safeParse(JSON.parse(text || 'null'));
    if (!parsed.success) throw new ResponseMismatch(`${where}: not the one error shape: ${text.slice(0, 200)}`);
    const code = parsed.data.error.code as ErrorCode;
    if (ERROR_STATUS[code] !== response.status) throw new ResponseMismatch(`${where}: code ${code} belongs with ${ERROR_STATUS[code] ?? 'no status'}`);
    return;
  }
  const route = routeFor(method, new URL(url).pathname);
  if (!route) throw new ResponseMismatch(`${where}: a success from a route not in the route table`);
  if (response.status !== route.spec.ok.status) throw new ResponseMismatch(`${where}: ${route.key} answers ${route.spec.ok.status}`);
  if (route.spec.ok.status === 204 && text !== '') throw new ResponseMismatch(`${where}: a body on 204`);
  if (!route.spec.ok.body) return;
  const checked = route.spec.ok.body.safeParse(JSON.parse(text));
  if (!checked.success) throw new ResponseMismatch(`${where}: does not match its schema: ${checked.error.message.slice(0, 600)}`);
}

/** A file's content: raw bytes, exactly as many as content-length says. */
async function checkBytes(where: string, response: Response): Promise<void> {
  if (response.headers.get('content-type') !== 'application/octet-stream') throw new ResponseMismatch(`${where}: content-type is ${response.headers.get('content-type')}, not application/octet-stream`);
  const length = (await response.arrayBuffer()).byteLength;
  if (response.headers.get('content-length') !== String(length)) throw new ResponseMismatch(`${where}: content-length ${response.headers.get('content-length')} for ${length} bytes`);
}
