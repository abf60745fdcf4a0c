// A small fetch wrapper for the Parley API: JSON in, JSON out, errors as ApiRequestError
// carrying the server's error code. Works in the browser, Node and workerd. Calls name a route
// of the server's route table (worker/route-table.ts), whose schemas type what is sent and what
// comes back: types only, so nothing of the worker or of zod reaches the bundles.
import type { z } from 'zod';
import type { ROUTE_TABLE } from '../../worker/route-table.js';

type Table = typeof ROUTE_TABLE;
/** The API's routes, as the table names them: "POST /api/reports". */
export type ApiRoute = Extract<keyof Table, `${string} /api/${string}`>;
type Part<K extends ApiRoute, P extends 'body' | 'query' | 'params'> =
  Table[K] extends { [Q in P]: infer S extends z.ZodType } ? { [Q in P]: z.input<S> } : { [Q in P]?: never };
/** What a call to route K carries: its body, query and path parameters as the server's schemas take them. */
export type RouteInput<K extends ApiRoute> = Part<K, 'body'> & Part<K, 'query'> & Part<K, 'params'> & { headers?: Record<string, string> };
/** What route K answers on success (undefined for 204). */
export type RouteAnswer<K extends ApiRoute> = Table[K]['ok']['body'] extends infer S extends z.ZodType ? z.output<S> : undefined;
type InputArgument<K extends ApiRoute> = object extends RouteInput<K> ? [input?: RouteInput<K>] : [input: RouteInput<K>];

/** The method, concrete path and body bytes of a call to a route: the bytes a mailbox proof signs. */
export function routeRequest<K extends ApiRoute>(route: K, input: RouteInput<K> = {} as RouteInput<K>): ApiRequest {
  const [method, template] = route.split(' ') as [ApiRequest['method'], string];
  const params = (input.params ?? {}) as Record<string, string>;
  let path = template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = Object.entries((input.query ?? {}) as Record<string, unknown>).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]));
  if (query.length > 0) path += `?${new URLSearchParams(query).toString()}`;
  const req: ApiRequest = { method, path };
  if (input.body !== undefined) req.bodyBytes = new TextEncoder().encode(JSON.stringify(input.body));
  if (input.headers) req.headers = input.headers;
  return req;
}

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From Retry-After, when the server says when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Sent as the exact bytes given, so a signature over them stays valid. */
  bodyBytes?: Uint8Array;
  /** The body's type when it is not JSON (a file part: application/octet-stream). */
  contentType?: string;
  headers?: Record<string, string>;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
    /** This device's clock (tests give the test's): sent at sign-in so a wrong clock is named. */
    readonly clock: () => number = Date.now,
  ) {}

  async request<T>(req: ApiRequest): Promise<T> {
    const response = await this.send(req, 'application/json');
    if (response.status === 204) return undefined as T;
    return (await response.json().catch(() => null)) as T;
  }

  /** A route that answers raw bytes (a file's content): its body, streamed. */
  async stream(req: ApiRequest): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send(req, 'application/octet-stream, application/json');
    if (!response.body) throw new ApiRequestError(response.status, 'unknown', 'The answer had no body.');
    return response.body;
  }

  /** Sends the request; an answer that is not a success becomes an ApiRequestError. */
  private async send(req: ApiRequest, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept, ...req.headers };
    if (req.bodyBytes) headers['content-type'] = req.contentType ?? 'application/json';
    const response = await this.fetchImpl(this.baseUrl + req.path, {
      method: req.method,
      headers,
      body: req.bodyBytes ? (req.bodyBytes as Uint8Array<ArrayBuffer>) : null,
      // No credentials and no referrer: nothing ambient leaves with the request.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
    if (response.ok) return response;
    const payload: unknown = await response.json().catch(() => null);
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiRequestError(response.status, error?.code ?? 'unknown', error?.message ?? `HTTP ${response.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }

  /** One call to a route of the table: `api.call('GET /api/investigator/cases/:caseId', { params: { caseId }, headers })`. */
  call<K extends ApiRoute>(route: K, ...[input]: InputArgument<K>): Promise<RouteAnswer<K>> {
    return this.request<RouteAnswer<K>>(routeRequest(route, input));
  }
}
